import NgramEngine
import Testing

@testable import NgramTUI

/// The hints under the prompt of Explore and Compare come from the key map, like the footers:
/// each names a key whose binding applies in that state.
@Suite("Header hints")
struct HeaderHintTests {
  /// The explorer on Explore, with `text` asked when given.
  func explore(_ text: String?) -> AppState {
    var s = Fixture.state()
    _ = s.handle(.tab)
    if let text {
      _ = Fixture.type(text, into: &s)
      _ = s.handle(.enter)
    }
    return s
  }

  @Test func typingOnExploreSaysWhatToTypeAndTheTypingKeys() {
    let s = explore(nil)
    #expect(s.isTyping)
    #expect(KeyMap.header(s) == ["type 2 tokens, then Enter", "Up/Down history", "Tab completes a word"])
    // The view draws exactly these, joined with the glyph dot, under the prompt.
    let g = Render.frame(s, width: 100, height: 30)
    #expect(
      (0..<30).contains { g.line($0).contains("type 2 tokens, then Enter · Up/Down history · Tab completes a word") })
  }

  @Test func aLeftPromptSaysHowToReturnAndTheKeysThatApply() {
    var s = explore(nil)
    _ = s.handle(.escape)
    #expect(!s.isTyping)
    let hints = KeyMap.header(s)
    #expect(hints == ["prompt inactive: Enter or / to type", "+/- change k", "Tab next screen", "q quit"])
    // Every hint's keys do what it says in this state.
    #expect(KeyMap.binding(for: .char("/"), in: s)?.action == .focusPrompt)
    #expect(KeyMap.binding(for: .char("+"), in: s)?.action == .moreK)
    #expect(KeyMap.binding(for: .tab, in: s)?.action == .nextScreen)
    #expect(KeyMap.binding(for: .char("q"), in: s)?.action == .quit)
  }

  @Test func aPredictionWithHistoryOffersTheEpochKeys() {
    var s = explore(
      Fixture.run.corpus.tokenIDs.prefix(2).map { Fixture.run.corpus.vocabulary.tokens[Int($0)] }.joined(separator: " ")
    )
    Fixture.runJobs(&s)
    guard s.canScrub else {
      Issue.record("expected a prediction with an epoch history")
      return
    }
    // Focused with an empty prompt: the scrubbing keys.
    #expect(KeyMap.header(s) == ["< >: epoch -/+1", "PgUp PgDn: -/+5", "Home End: 0 / 50", "or type a new context"])
    #expect(KeyMap.binding(for: .pageUp, in: s)?.action == .scrub)
    _ = s.handle(.escape)
    #expect(KeyMap.header(s) == ["prompt inactive: Enter or / to type", "< > Home End: epochs 0-50", "q quit"])
    #expect(KeyMap.binding(for: .home, in: s)?.action == .scrub)
  }

  @Test func comparePromptAndOtherScreensHaveNoneOfExploresHints() {
    var s = Fixture.state()
    s.show(.compare)
    #expect(KeyMap.header(s) == ["type text, Enter: the last 1, 2, 3 tokens are the contexts", "Tab completes"])
    s.show(.generate)
    #expect(KeyMap.header(s).isEmpty)
    s.show(.train)
    #expect(KeyMap.header(s).isEmpty)
  }
}
