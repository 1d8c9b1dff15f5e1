import NgramEngine
import Testing

@testable import NgramTUI

/// Explore's `=` column: the count-based probability beside each SGD bar.
@Suite("Explore count column")
struct ExploreCountsTests {
  func explore(_ text: String, presses: Int, ascii: Bool = false) -> AppState {
    var s = Fixture.state(ascii: ascii)
    s.cycle(+1)
    Fixture.type(text, into: &s)
    _ = s.handle(.enter)
    _ = s.handle(.escape)
    for _ in 0..<presses { _ = s.handle(.char("=")) }
    return s
  }

  @Test func cyclesThroughTheModelsAndOff() {
    var s = explore("the cat", presses: 0)
    #expect(s.counts.estimator == nil)
    var seen: [String?] = []
    for _ in 0..<4 {
      _ = s.handle(.char("="))
      seen.append(s.counts.estimator?.name)
    }
    #expect(seen == ["mle", "add-k", "kneser-ney", nil])
  }

  @Test func columnHasNLTKsNumbers() throws {
    // NLTK 3.10: KneserNeyInterpolated(3, discount=0.75) fitted on everygrams of the corpus
    // scores 'lay' after ('the', 'cat') 0.30528846153846156; MLE scores it 0.5.
    let kn = explore("the cat", presses: 3)
    let knColumn = try #require(ExploreView.Model(kn).countColumn)
    let lay = kn.vocabulary.id(of: "lay")!
    #expect(knColumn.text(lay) == "30.5%")
    #expect(abs(knColumn.model.probability(of: lay, after: knColumn.context) - 0.30528846153846156) < 1e-12)
    let mle = try #require(ExploreView.Model(explore("the cat", presses: 1)).countColumn)
    #expect(mle.text(lay) == "50.0%")
  }

  @Test(arguments: [(1, 80, 24, false), (3, 100, 30, true)])
  func snapshot(presses: Int, width: Int, height: Int, ascii: Bool) {
    let s = explore("the cat", presses: presses, ascii: ascii)
    Snapshot.check(
      Render.frame(s, width: width, height: height),
      "explore_counts\(presses)_the_cat_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test func mleUndefinedIsSaidNotShownAsZero() {
    let s = explore("mat mat", presses: 1)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "explore_counts_mle_undefined_80x24_unicode")
  }
}
