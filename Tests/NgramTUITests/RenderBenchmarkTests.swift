import NgramEngine
import Testing

@testable import NgramTUI

/// The driver's diff and the frame benchmark behind `ngram-tui bench-tui`.
@Suite("Frames")
struct RenderBenchmarkTests {
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

  @Test func everyScreenIsTimedWithRealChanges() throws {
    let timings = try RenderBenchmark.run(corpus: Fixture.run.corpus, width: 200, height: 60, frames: 4)
    #expect(timings.map(\.screen) == ["Train", "Explore", "Generate", "Compare", "Help"])
    for t in timings {
      #expect(t.samples.count == 4)
      #expect(t.summary.max < 1, "\(t.screen): a frame took \(t.summary.max) s")
    }
    #expect(timings.filter { $0.screen != "Help" }.allSatisfy { $0.changedCells > 0 })
  }
}
