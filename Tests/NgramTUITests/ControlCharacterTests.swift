import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// Tokens may hold control characters (fortunes has `\a\a\aINTRUDER`): the explorer draws them
/// as the command line prints them (`TerminalText.escape`), never raw and never as nothing.
@Suite("control characters in the explorer")
struct ControlCharacterTests {
  /// "the cat" is followed by a token of BELs, a title-setting sequence and a plain word.
  static let text = "the cat \u{07}\u{07}\u{07}INTRUDER the cat \u{1B}]0;PWNED\u{07} the cat \u{07}\u{07} the cat sat\n"

  /// The explorer on that corpus, trained, with "the cat" answered on Explore.
  static func explored() throws -> AppState {
    var s = try Fixture.trainedState(on: text, name: "bells.txt")
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    return s
  }

  /// Every line of the frame, and whether any cell holds a control character.
  static func lines(_ g: Grid) -> (text: [String], raw: Bool) {
    let text = (0..<g.height).map { g.line($0) }
    let raw = text.contains { $0.unicodeScalars.contains(where: TerminalText.isControl) }
    return (text, raw)
  }

  @Test("Explore's bars name each token as the command line prints it")
  func exploreShowsEscapes() throws {
    let s = try Self.explored()
    let (text, raw) = Self.lines(Render.frame(s, width: 100, height: 30))
    #expect(!raw, "a control character reached the frame")
    let frame = text.joined(separator: "\n")
    // The bars' token column (cut with … when a token is longer than it).
    for shown in [#"\u{07}\u{07} "#, #"\e]0;PWNED\u{07} "#, #"\u{07}\u{07}\u{07}INTRU…"#] {
      #expect(text.contains { $0.hasPrefix("   " + shown) }, "\(shown) is not a bar's token:\n\(frame)")
    }
    // The corpus line names each in full.
    #expect(frame.contains(#"\u{07}\u{07} 1   \u{07}\u{07}\u{07}INTRUDER 1"#), "\(frame)")
    #expect(frame.contains(#"\e]0;PWNED\u{07} 1"#), "\(frame)")
  }

  @Test("escaped graphemes take the columns of their escaped form, and are cut like any text")
  func widthsAndCutting() {
    #expect(DisplayWidth.of(Character("\u{07}")) == 6)
    #expect(DisplayWidth.of("\u{1B}]0;x\u{07}") == 2 + 4 + 6)
    #expect(DisplayWidth.of(Character("\r\n")) == 4)
    #expect(DisplayWidth.of("plain é 漢") == 10)
    #expect(DisplayWidth.escaped(Character("a")) == nil && DisplayWidth.escaped(Character("\u{9B}")) == #"\u{9B}"#)
    var g = Grid(width: 12, height: 1)
    let end = g.put("a\u{07}bcdefgh", x: 0, y: 0)
    #expect(g.line(0) == #"a\u{07}bcdef"# && end == 12)
    // Cut before a whole escaped grapheme (the cell text stays the raw token; `put` escapes it).
    #expect(DisplayWidth.pad("\u{07}\u{07}x", to: 9, ellipsis: "…") == "\u{07}…  ")
  }
}
