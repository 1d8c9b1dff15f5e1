import NgramEngine
import Testing

@testable import NgramTUI

/// Headings that name data of any length (a typed context, the Step window) cut that data with
/// `…` and keep what comes after it: which epoch the bars show, which token is the target.
@Suite struct LongTokenHeadingTests {
  static let long = String(repeating: "L", count: 60)
  static let wide = String(repeating: "漢", count: 30)
  /// "A B" where A and B are long tokens, followed by "cat" and "sat".
  static let text = "\(long) \(wide) cat \(long) \(wide) sat \(long) \(wide) cat the\n"

  /// The explorer trained on `text`, with the two long tokens answered on Explore.
  static func explored(ascii: Bool = false) throws -> AppState {
    var s = try Fixture.trainedState(on: text, name: "long.txt", ascii: ascii)
    Fixture.type("\(long) \(wide)", into: &s)
    _ = s.handle(.enter)
    return s
  }

  static func line(_ g: Grid, containing needle: String) throws -> String {
    try #require((0..<g.height).map { g.line($0) }.first { $0.contains(needle) })
  }

  @Test func exploreKeepsTheEpochBesideALongContext() throws {
    var s = try Self.explored()
    _ = s.handle(.char("<"))  // time travel: epoch 49
    let g = Render.frame(s, width: 80, height: 24)
    let heading = try Self.line(g, containing: "next token after")
    #expect(heading.hasSuffix("after epoch 49 of 50 (time travel; End returns)"), "\(heading)")
    #expect(heading.contains("\"LLLLL") && heading.contains("…"), "\(heading)")
  }

  @Test func compareKeepsItsSettingBesideALongText() throws {
    var s = try Self.explored(ascii: true)
    s.cycle(+2)
    #expect(s.screen == .compare)
    Fixture.type("\(Self.long) \(Self.wide)", into: &s)
    _ = s.handle(.enter)
    let g = Render.frame(s, width: 80, height: 24)
    let heading = try Self.line(g, containing: "comparing")
    #expect(heading.hasSuffix("each trained on the whole corpus: lr 0.1, 50 epochs"), "\(heading)")
  }

  @Test func stepKeepsTheTargetBesideALongWindow() throws {
    var s = try Self.explored()
    s.cycle(+4)
    #expect(s.screen == .step)
    let g = Render.frame(s, width: 80, height: 24)
    let window = try Self.line(g, containing: "window:")
    #expect(window.hasSuffix("→ cat   (context → target)"), "\(window)")
  }
}
