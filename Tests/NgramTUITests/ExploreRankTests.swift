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
      s.notice == "rank of dog after \"the cat\": \(rank) of \(v.count), probability \(Format.percent(p))")
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
}
