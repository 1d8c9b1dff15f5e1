import Testing

@testable import NgramTUI

/// Help at the smallest size (80x24) holds 21 of its 34 rows; Up/Down and PgUp/PgDn reach the
/// others (it used to say "enlarge the terminal", so at 80x24 the Map's keys were never shown
/// from any other screen).
@Suite struct HelpScrollTests {
  static func lines(_ s: AppState, width: Int = 80, height: Int = 24) -> [String] {
    let g = Render.frame(s, width: width, height: height)
    return (0..<g.height).map { g.line($0) }
  }

  @Test func everyKeyCanBeReachedAtTheSmallestSize() {
    var s = Fixture.state()
    _ = s.handle(.f1)
    #expect(s.screen == .help)
    var seen = Set(Self.lines(s))
    #expect(Self.lines(s)[22].contains("rows 1-21 of 34"))
    #expect(Self.lines(s)[23].contains("Up/Down PgUp/PgDn scroll"))
    for _ in 0..<40 { _ = s.handle(.down) }  // more than needed: stops at the last row
    #expect(s.helpScroll == 13)
    #expect(Self.lines(s)[22].contains("rows 14-34 of 34"))
    seen.formUnion(Self.lines(s))
    for row in KeyMap.helpSections.flatMap(\.1) {
      #expect(seen.contains { $0.hasPrefix("   " + row.keys) && $0.contains(row.text) }, "\(row.keys)")
    }
    _ = s.handle(.up)
    #expect(Self.lines(s)[22].contains("rows 13-33 of 34"))
    _ = s.handle(.home)
    _ = s.handle(.pageDown)
    #expect(s.helpScroll == 13)  // a page is 20 rows, capped at the last
    _ = s.handle(.pageUp)
    #expect(s.helpScroll == 0)
    // Leaving and opening Help again starts at the top.
    _ = s.handle(.end)
    _ = s.handle(.escape)
    _ = s.handle(.char("?"))
    #expect(s.screen == .help && s.helpScroll == 0)
  }

  @Test func aTallTerminalShowsEveryRowAndNoScrolling() {
    var s = Fixture.state()
    s.helpRows = 60 - 3
    _ = s.handle(.f1)
    _ = s.handle(.down)
    #expect(s.helpScroll == 0)
    let text = Self.lines(s, width: 100, height: 60)
    #expect(!text.contains { $0.contains("scroll") })
  }
}
