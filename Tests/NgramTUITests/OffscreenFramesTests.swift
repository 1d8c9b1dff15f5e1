import NgramEngine
import Testing

@testable import NgramTUI

/// The driver's diff and the off-screen frames the benchmarks render.
@Suite("Frames")
struct OffscreenFramesTests {
  @Test func theDiffVisitsEveryCellFirstAndOnlyChangesAfter() {
    var a = Grid(width: 10, height: 3)
    a.put("a猫b", x: 0, y: 0)
    #expect(a.forEachChange(from: nil) { _, _, _ in } == 29)  // 30 cells, one continuation
    #expect(a.forEachChange(from: a) { _, _, _ in } == 0)
    var b = a
    b.put("x", x: 5, y: 2)
    var seen: [(Int, Int)] = []
    b.forEachChange(from: a) { x, y, _ in seen.append((x, y)) }
    // The changed cell, and its left neighbour (a wide character there could have covered it).
    #expect(seen.map(\.0) == [4, 5] && seen.allSatisfy { $0.1 == 2 })
    // Another size redraws everything.
    #expect(Grid(width: 4, height: 2).forEachChange(from: a) { _, _, _ in } == 8)
  }

  @Test func everyScreenRendersOffscreenWithRealChanges() throws {
    var frames = try OffscreenFrames(corpus: Fixture.run.corpus)
    #expect(frames.screens == ["Train", "Explore", "Generate", "Compare", "Help"])
    for screen in frames.screens {
      // The first frame writes (nearly) every cell; the next ones only what changed between two states.
      let first = frames.renderFrame(screen: screen, width: 200, height: 60)
      #expect(first > 200 * 60 * 9 / 10 && first <= 200 * 60, "\(screen): \(first)")
      let changed = (0..<3).map { _ in frames.renderFrame(screen: screen, width: 200, height: 60) }
      #expect(changed.allSatisfy { $0 < first }, "\(screen): \(changed)")
      if screen != "Help" { #expect(changed.allSatisfy { $0 > 0 }, "\(screen): \(changed)") }
    }
    #expect(try OffscreenFrames(corpus: Fixture.run.corpus, compare: false).screens.contains("Compare") == false)
  }
}
