import NgramEngine
import Testing

@testable import NgramTUI

/// A paste arrives between the terminal's paste brackets (`.pasteBegin`, `.pasteEnd`): it is
/// text for the line being typed, never keys. Unbracketed, pasting "the cat <TAB>sat on the mat
/// quietly" into Explore moved to Generate at the tab and quit at the "q" of "quietly".
@Suite struct BracketedPasteTests {
  /// The keys a terminal sends for a paste of `text` (newlines as Enter, tabs as Tab, ESC as Esc).
  static func paste(_ text: String, into s: inout AppState) -> [Command] {
    var out = s.handle(.pasteBegin)
    for c in text {
      switch c {
      case "\t": out += s.handle(.tab)
      case "\n", "\r", "\r\n": out += s.handle(.enter)
      case "\u{1B}": out += s.handle(.escape)
      default: out += s.handle(.char(c))
      }
    }
    return out + s.handle(.pasteEnd)
  }

  /// Explore with its prompt focused (Tab from Train).
  static func onExplore() -> AppState {
    var s = Fixture.state()
    _ = s.handle(.tab)
    return s
  }

  @Test func tabsAndNewlinesInAPasteAreSpacesInThePrompt() {
    var s = Self.onExplore()
    #expect(s.screen == .explore && s.isTyping)
    let commands = Self.paste("the cat \tsat on the mat quietly\nthe\u{1B}[31mcat", into: &s)
    #expect(commands.isEmpty)
    #expect(s.screen == .explore && s.isTyping)
    #expect(s.explore.text == "the cat  sat on the mat quietly the[31mcat")
    // After the paste, keys are keys again.
    _ = s.handle(.escape)
    #expect(!s.isTyping)
    #expect(s.handle(.char("q")) == [.quit])
  }

  @Test func aPasteOnALeftPromptGoesIntoThePrompt() {
    var s = Self.onExplore()
    _ = s.handle(.escape)
    #expect(!s.isTyping)
    #expect(Self.paste("quit the cat", into: &s).isEmpty)
    #expect(s.isTyping && s.explore.text == "quit the cat")
  }

  @Test func aPasteWhereNothingIsTypedDoesNothing() {
    var s = Self.onExplore()
    _ = s.handle(.tab)
    #expect(s.screen == .generate)
    let before = s.generate.steps.count
    #expect(Self.paste("  c m q\t", into: &s).isEmpty)
    #expect(s.screen == .generate && s.generate.steps.count == before && !s.generate.sampling)
  }

  @Test func ctrlCStillQuitsInAPaste() {
    var s = Self.onExplore()
    _ = s.handle(.pasteBegin)
    #expect(s.handle(.ctrlC) == [.quit])
  }
}
