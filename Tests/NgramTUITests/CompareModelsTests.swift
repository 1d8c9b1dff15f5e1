import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// Compare's models view (`=`): SGD beside MLE, add-k and Kneser–Ney for the same text, each with
/// its held-out perplexity, as `ngram-tui compare --models` (numbers: NLTK's, recorded by
/// scripts/make-nltk-fixtures.py for the cat/dog corpus).
@Suite struct CompareModelsTests {
  static func nltkHeldOut(_ model: String, order: Int, holdout: Double, parameter: (String, Double)) throws -> Double {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../NgramEngineTests/Fixtures/nltk/cat_dog.json").standardized
    let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    let entry = (doc["heldout"] as! [[String: Any]]).first {
      $0["model"] as? String == model && $0["order"] as? Int == order && $0["holdout"] as? Double == holdout
        && (parameter.0.isEmpty || $0[parameter.0] as? Double == parameter.1)
    }!
    return entry["perplexity"] as! Double
  }

  static func modelsView(_ text: String, width: Int = 80, height: Int = 24) -> AppState {
    var s = Fixture.compared(text)
    _ = s.handle(.escape)
    _ = s.handle(.char("="))
    Fixture.runJobs(&s)
    return s
  }

  @Test func heldOutPerplexitiesAreNLTKs() throws {
    let s = Self.modelsView("the cat sat")
    #expect(s.compare.showModels)
    for (e, name, parameter) in [
      (CountEstimator.mle, "mle", ("", 0.0)), (.addK(1), "add-k", ("k", 1.0)),
      (.kneserNey(discount: 0.75), "kneser-ney", ("discount", 0.75)),
    ] {
      guard case .ready(let f)? = s.compare.countModels[e.name] else {
        Issue.record("\(name) not fitted")
        continue
      }
      let nltk = try Self.nltkHeldOut(name, order: 3, holdout: 0.1, parameter: parameter)
      let ours = try #require(f.heldOut?.perplexity)
      #expect(abs(ours - nltk) <= 1e-9 * nltk, "\(name)")
    }
  }

  @Test(arguments: [(80, 24), (120, 40)])
  func modelsViewSnapshot(width: Int, height: Int) {
    let s = Self.modelsView("the cat sat")
    Snapshot.check(
      Render.frame(s, width: width, height: height), "compare_models_the_cat_sat_\(width)x\(height)_unicode")
  }

  @Test func unknownWordsAndBackToContextLengths() {
    var s = Self.modelsView("zebra the")
    Snapshot.check(Render.frame(s, width: 100, height: 30), "compare_models_zebra_the_100x30_unicode")
    _ = s.handle(.char("="))
    #expect(!s.compare.showModels)
  }
}
