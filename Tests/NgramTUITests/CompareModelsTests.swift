import Foundation
@testable import NgramEngine
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

  static func modelsView(_ text: String, width: Int = 80, height: Int = 24, arpa: [ARPAModel] = []) -> AppState {
    var s = Fixture.compared(text, arpa: arpa)
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

  @Test(arguments: [(80, 24), (110, 30), (120, 40)])
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

  /// At 80 and 110 columns, with and without an ARPA column (4 or 5 columns), no column cuts a
  /// figure or a heading: lines too wide take a shorter form.
  @Test("the models view's columns fit: every perplexity, the loss and every heading whole", arguments: [80, 110])
  func columnsFit(width: Int) throws {
    for withARPA in [false, true] {
      let s = Self.modelsView("the cat", arpa: withARPA ? [try ARPAFixture.model()] : [])
      let text = Render.frame(s, width: width, height: 30).text
      var figures: [String] = []
      for e in CompareState.countEstimators {
        guard case .ready(let f)? = s.compare.countModels[e.name], let h = f.heldOut else {
          Issue.record("\(e.name) not fitted")
          continue
        }
        figures.append("ppl \(Format.fixed(h.perplexity, 2))")
        #expect(CompareView.headings(e).contains { text.contains($0) }, "\(width) \(e)")
      }
      for a in s.compare.arpaModels {
        guard case .ready(let h) = a.heldOut else { continue }
        figures.append("ppl \(Format.fixed(h.perplexity, 2))")
      }
      let sgd = s.compare.columns(vocabulary: s.vocabulary).first { $0.contextLength == 2 }?.column
      guard case .answer(let a)? = sgd, let p = a.heldOutPerplexity else {
        Issue.record("no SGD answer")
        continue
      }
      figures += ["ppl \(Format.fixed(p, 2))", "loss \(Format.fixed(a.trainingLoss, 4))"]
      #expect(figures.count == (withARPA ? 6 : 5))
      for f in figures { #expect(text.contains(f), "\(width) columns, ARPA \(withARPA): \(f) is cut") }
    }
  }

  /// `--compare-arpa`: KenLM's lmplz model of the same corpus in the models view, answering the
  /// same text with KenLM's probabilities and scoring the held-out tail with KenLM's perplexity
  /// (Fixtures/arpa: expected/cat_dog.o3.arpa.json and uses.json, recorded with KenLM's Python
  /// module by scripts/make-arpa-fixtures.py and scripts/make-arpa-use-fixtures.py).
  @Test func anARPAModelAnswersWithKenLMsNumbers() throws {
    let s = Self.modelsView("the cat", arpa: [try ARPAFixture.model()])
    let a = try #require(s.compare.arpaModels.first)
    guard case .ready(let h) = a.heldOut else {
      Issue.record("no held-out score: \(a.heldOut)")
      return
    }
    let uses =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: ARPAFixture.root.appendingPathComponent("uses.json"))) as! [String: Any]
    let kenlm = (uses["heldout"] as! [[String: Any]]).first {
      $0["model"] as? String == "cat_dog.o3.arpa" && $0["corpus"] as? String == "cat_dog"
        && $0["holdout"] as? Double == 0.1
    }!
    #expect(h.scored == kenlm["scored"] as! Int && h.oov == kenlm["oov"] as! Int)
    let ppl = kenlm["perplexity"] as! Double
    #expect(abs(h.perplexity - ppl) <= 1e-6 * ppl)  // KenLM adds 32-bit floats
    let answer = try #require(a.answer)
    let scores = try #require(try ARPAFixture.kenlm().first { $0.context == ["the", "cat"] }?.scores)
    // Every word but <s> (never predicted: probability 0, last) has a KenLM score.
    let predicted = answer.topK.filter { $0.token != "<s>" }
    #expect(predicted.count == answer.topK.count - 1 && answer.topK.last?.token == "<s>")
    #expect(answer.topK.last?.probability == 0)
    for p in predicted { #expect(abs(log10(p.probability) - scores[p.token]!) <= 2e-5, "\(p.token)") }
    let best = scores.filter { $0.key != "<s>" }.values.max()!
    #expect(abs(log10(answer.topK[0].probability) - best) <= 2e-5)
    Snapshot.check(Render.frame(s, width: 120, height: 40), "compare_models_arpa_the_cat_120x40_unicode")
    Snapshot.check(Render.frame(s, width: 110, height: 30), "compare_models_arpa_the_cat_110x30_unicode")
    Snapshot.check(Render.frame(s, width: 80, height: 24), "compare_models_arpa_the_cat_80x24_unicode")
  }
}

/// Count-based and ARPA columns show a held-out score through one function.
@Suite struct CompareHeldOutLinesTests {
  func lines(_ h: HeldOutScore, best: Double?) -> [String] {
    CompareView.heldOutLines(h, best: best).map { "\($0.forms.joined(separator: " | ")) [\($0.style)]" }
  }

  @Test("finite, infinite and unscored perplexities, unseen contexts and the words left out")
  func heldOutLines() {
    let finite = HeldOutScore(
      scored: 90, oov: 3, perplexity: 12.345, zeroProbability: 0, zeroTokens: [], unseenContexts: 0.25)
    #expect(
      lines(finite, best: 12.345) == [
        "held-out ppl 12.35 | ppl 12.35 [good]", "unseen ctx 25.0% | unseen 25.0% [dim]",
        "3 oov left out | 3 oov [dim]",
      ])
    #expect(lines(finite, best: 10)[0] == "held-out ppl 12.35 | ppl 12.35 [normal]")
    let zero = HeldOutScore(
      scored: 90, oov: 0, perplexity: .infinity, zeroProbability: 2, zeroTokens: ["a", "b"], unseenContexts: 0.5)
    #expect(
      lines(zero, best: nil) == [
        "held-out ppl inf (2 zero) | ppl inf (2 zero) | ppl inf [warning]", "unseen ctx 50.0% | unseen 50.0% [dim]",
      ])
    let none = HeldOutScore(
      scored: 0, oov: 7, perplexity: .nan, zeroProbability: 0, zeroTokens: [], unseenContexts: 0)
    #expect(
      lines(none, best: nil) == [
        "held-out ppl -- (no word known) | ppl -- (no word known) | ppl -- [warning]",
        "unseen ctx 0.0% | unseen 0.0% [dim]", "7 oov left out | 7 oov [dim]",
      ])
  }
}

/// The count and ARPA columns name the words they read as `<UNK>` / `<unk>` in a form that fits
/// their width: at 100 columns "'zebra' read as <UNK>" was cut to "'zebra' read a".
@Suite struct UnknownWordLineTests {
  @Test(arguments: [(80, 24), (100, 30), (120, 40)])
  func theUnknownWordLineKeepsUNK(width: Int, height: Int) throws {
    let s = CompareModelsTests.modelsView("the zebra", arpa: [try ARPAFixture.model(), try ARPAFixture.model()])
    let g = Render.frame(s, width: width, height: height)
    let text = g.text
    // mle, add-k and kneser-ney say <UNK>, the two ARPA columns <unk> (cut after it if need be).
    #expect(text.components(separatedBy: "<UNK>").count - 1 == 3, "\(text)")
    #expect(text.components(separatedBy: "<unk>").count - 1 == 2, "\(text)")
  }
}
