import Glibc
import Testing

@testable import NgramTUI

/// The grid counts columns as ncurses places characters: by glibc's `wcwidth` in a UTF-8
/// locale. A character the grid counts as 1 column but the terminal draws in 2 (🚀 ✅ ❌ ⚡)
/// pushed the rest of its row one column right and cut the row's last column.
@Suite struct DisplayWidthTests {
  /// glibc's `wcwidth`, looked up at run time (Swift's Glibc module does not export it).
  private static let wcwidth: (@convention(c) (Int32) -> Int32)? = {
    guard let handle = dlopen(nil, RTLD_NOW), let f = dlsym(handle, "wcwidth") else { return nil }
    return unsafeBitCast(f, to: (@convention(c) (Int32) -> Int32).self)
  }()

  @Test func everyScalarTakesTheColumnsWcwidthGivesIt() throws {
    let wcwidth = try #require(Self.wcwidth)
    // This thread only: a C.UTF-8 locale for wcwidth, without touching the process's locale.
    let utf8 = try #require(newlocale(LC_CTYPE_MASK, "C.UTF-8", nil))
    let previous = uselocale(utf8)
    defer {
      uselocale(previous)
      freelocale(utf8)
    }
    try #require(wcwidth(0x4E00) == 2)  // the locale is in effect
    var mismatches: [String] = []
    for v in UInt32(0x20)...0x10FFFF {
      guard let u = Unicode.Scalar(v), v != 0x7F, !(0x80..<0xA0).contains(v) else { continue }
      let expected = Int(wcwidth(Int32(bitPattern: v)))
      if expected < 0 { continue }  // unassigned in glibc's Unicode
      if DisplayWidth.of(scalar: u) != expected {
        mismatches.append("U+\(String(v, radix: 16, uppercase: true)): \(DisplayWidth.of(scalar: u)) not \(expected)")
      }
    }
    let count = mismatches.count
    #expect(count == 0, "first: \(mismatches.prefix(8).joined(separator: ", "))")
  }

  @Test func emojiTokensKeepTheirRowsAligned() {
    // Two columns each, as a terminal draws them: the bar after them starts in the same column.
    for token in ["🚀", "✅", "❌", "⚡", "✨", "🛸", "☕"] {
      #expect(DisplayWidth.of(token) == 2, "\(token)")
      var grid = Grid(width: 8, height: 1)
      grid.put(token, x: 0, y: 0)
      grid.put("x", x: 2, y: 0)
      #expect(grid[0, 0].text == token && grid[1, 0].isContinuation && grid[2, 0].text == "x", "\(token)")
    }
    // Combining marks take no column; text symbols the terminal draws narrow take one.
    #expect(DisplayWidth.of("e\u{301}") == 1)
    #expect(DisplayWidth.of("🌡") == 1 && DisplayWidth.of("♥") == 1)
  }

  @Test func aTokenStartingWithACombiningMarkKeepsItOnADottedCircle() {
    // "\u{301}abc" and "abc" are different tokens; the mark has no base to combine with, so it
    // is drawn on ◌ in a column of its own instead of vanishing (and the rest moves right).
    for (token, mark) in [("\u{301}abc", "\u{301}"), ("\u{20DD}x", "\u{20DD}"), ("\u{0300}\u{0301}y", "\u{0300}\u{0301}")] {
      #expect(DisplayWidth.of(token) == token.count, "\(token.unicodeScalars.map(\.value))")
      var grid = Grid(width: 8, height: 1)
      let end = grid.put(token, x: 0, y: 0)
      #expect(grid[0, 0].text == "\u{25CC}" + mark && end == token.count)
      #expect(grid.line(0) == "\u{25CC}" + token)
    }
    // A mark after its base stays part of the base's column; zero-width spaces stay invisible.
    var grid = Grid(width: 8, height: 1)
    #expect(grid.put("ae\u{301}", x: 0, y: 0) == 2 && grid[1, 0].text == "e\u{301}")
    #expect(grid.put("a\u{200B}b", x: 0, y: 0) == 2 && grid.line(0) == "ab")
  }
}

/// In a locale whose character set is not UTF-8 (`LC_ALL=C`) ncurses draws junk bytes for
/// non-ASCII text, so 🚀 and ✨ both looked like two stray ASCII characters.
@Suite struct NonUTF8LocaleTests {
  @Test func asciiCellsAreDrawnAsTheyAre() {
    #expect(DisplayWidth.nonUTF8Fallback("a") == nil)
    #expect(DisplayWidth.nonUTF8Fallback("~") == nil)
  }

  @Test func otherCellsAreAQuestionMarkPerColumn() {
    #expect(DisplayWidth.nonUTF8Fallback("é") == "?")
    #expect(DisplayWidth.nonUTF8Fallback("e\u{301}") == "?")
    #expect(DisplayWidth.nonUTF8Fallback("🚀") == "??")
    #expect(DisplayWidth.nonUTF8Fallback("世") == "??")
    #expect(DisplayWidth.nonUTF8Fallback("─") == "?")
  }
}
