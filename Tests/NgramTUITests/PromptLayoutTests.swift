import Testing

@testable import NgramTUI

@Suite("Prompt layout")
struct PromptLayoutTests {
  @Test("a 10,000-character input measures only the characters it shows")
  func measuresOnlyWhatFits() {
    let input = Array(String(repeating: "abcdefghij", count: 1000))
    for cursor in [input.count, input.count / 2, 0] {
      var measured = 0
      let r = PromptLayout.visible(input, cursor: cursor, room: 70) { _ in
        measured += 1
        return 1
      }
      #expect(r.contains(cursor) || r.upperBound == cursor)
      #expect(cursor - r.lowerBound <= 69)
      #expect(r.count <= 71)
      // One measurement per shown character plus the one that did not fit on each side.
      #expect(measured <= r.count + 2, "measured \(measured) for \(r.count) shown")
    }
  }

  @Test("the cursor stays visible and wide characters count twice")
  func cursorVisible() {
    let input = Array("日本語のテキスト")  // 8 wide characters
    let r = PromptLayout.visible(input, cursor: input.count, room: 7, width: DisplayWidth.of)
    // Room 7: 6 columns before the cursor cell, three wide characters.
    #expect(r == 5..<8)
    #expect(PromptLayout.visible(Array("abc"), cursor: 1, room: 10, width: DisplayWidth.of) == 0..<3)
  }

  @Test("drawing a prompt holding a long paste shows its end and the cursor")
  func longPasteDraws() {
    var e = ExploreState()
    e.setText(String(repeating: "x", count: 9_990) + " the cat")
    var g = Grid(width: 40, height: 2)
    ExploreView.drawPrompt(e, label: "context> ", x: 0, y: 0, width: 40, into: &g)
    #expect(g.text.contains("context> " + String(repeating: "x", count: 21) + " the cat"), "\(g.text)")
  }
}
