import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// Explore's `r`: any word's rank and probability after the context, from the whole distribution.
@Suite("Explore rank")
struct ExploreRankTests {
  /// Explore with "the cat" predicted and the prompt left.
  static func predicted() -> AppState {
    var s = Fixture.state()
    s.cycle(+1)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    _ = s.handle(.escape)
    return s
  }

  @Test func rAsksForAWordAndNamesItsRankInTheWholeDistribution() throws {
    var s = Self.predicted()
    #expect(!s.isTyping)
    _ = s.handle(.char("r"))
    #expect(s.explore.rankQuery == "")
    Fixture.type("dox", into: &s)
    _ = s.handle(.backspace)
    #expect(Fixture.type("g", into: &s).isEmpty)
    #expect(s.notice == "rank of which word? dog_   Enter show  Esc cancel")
    _ = s.handle(.enter)
    // The rank counted here over every id: higher probability, or equal with a lower id.
    let d = Fixture.run.model.distribution(context: try Fixture.run.model.ids(for: ["the", "cat"]))
    let v = Fixture.run.corpus.vocabulary
    let dog = try #require(v.id(of: "dog"))
    let p = d.probability(of: dog)
    let rank = 1 + (0..<v.count).filter { d.probability(of: $0) > p || (d.probability(of: $0) == p && $0 < dog) }.count
    #expect(rank > 1)
    #expect(
      s.notice == "SGD rank of dog after \"the cat\": \(rank) of \(v.count), probability \(Format.percent(p))")
    #expect(s.explore.rankQuery == nil)
  }

  @Test func unknownWordsEscAndTheFocusedPromptKeepR() {
    var s = Self.predicted()
    _ = s.handle(.char("r"))
    Fixture.type("zebra", into: &s)
    _ = s.handle(.enter)
    #expect(s.notice == "zebra is not in the vocabulary")
    _ = s.handle(.char("r"))
    _ = s.handle(.escape)
    #expect(s.explore.rankQuery == nil && s.notice == nil)
    // With the prompt focused, r is a letter.
    _ = s.handle(.enter)
    #expect(s.isTyping)
    _ = s.handle(.char("r"))
    #expect(s.explore.rankQuery == nil && s.explore.text.hasSuffix("r"))
  }

  /// With `=`'s count column on, the answer adds the count model's rank of the same word in its
  /// own whole distribution (its vocabulary: the corpus's words plus NLTK's `<UNK>`), checked
  /// against NLTK's full distributions (`Fixtures/nltk`, scripts/make-nltk-fixtures.py).
  @Test func theCountColumnAddsTheCountModelsRank() throws {
    var s = Self.predicted()
    _ = s.handle(.char("="))  // mle
    _ = s.handle(.char("="))  // add-k
    _ = s.handle(.char("="))  // kneser-ney
    #expect(s.counts.estimator?.name == "kneser-ney")
    _ = s.handle(.char("r"))
    Fixture.type("dog", into: &s)
    _ = s.handle(.enter)
    let sgd = Fixture.run.model.distribution(context: try Fixture.run.model.ids(for: ["the", "cat"]))
    let v = Fixture.run.corpus.vocabulary
    let dog = try #require(v.id(of: "dog"))
    let nltk = try Self.nltkDistribution(model: "kneser-ney", order: 3, context: ["the", "cat"], vocabulary: v)
    let p = nltk[dog]
    let rank = 1 + nltk.indices.filter { nltk[$0] > p + 1e-12 || (abs(nltk[$0] - p) <= 1e-12 && $0 < dog) }.count
    #expect(nltk.count == v.count + 1)
    #expect(
      s.notice
        == "rank of dog after \"the cat\": SGD \(sgd.rank(of: dog)) of \(v.count) (\(Format.percent(sgd.probability(of: dog)))), kneser-ney \(rank) (\(Format.percent(p)))"
    )
  }

  /// NLTK's probability of every word after `context` (discount 0.75 for Kneser–Ney), in our ids:
  /// the corpus vocabulary's, then NLTK's `<UNK>` last.
  static func nltkDistribution(model: String, order: Int, context: [String], vocabulary: Vocabulary) throws
    -> [Double]
  {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("../NgramEngineTests/Fixtures/nltk/cat_dog.json").standardized
    let doc = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
    let words = doc["vocab"] as! [String]
    let c = (doc["cases"] as! [[String: Any]]).first {
      $0["model"] as? String == model && $0["order"] as? Int == order
        && (model != "kneser-ney" || $0["discount"] as? Double == 0.75)
    }!
    let entry = (c["contexts"] as! [[String: Any]]).first { $0["context"] as? [String] == context }!
    let scores = Dictionary(uniqueKeysWithValues: zip(words, entry["scores"] as! [Double]))
    return (vocabulary.tokens + ["<UNK>"]).map { scores[$0]! }
  }
}
