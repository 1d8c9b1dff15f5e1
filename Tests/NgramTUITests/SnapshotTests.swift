import NgramEngine
import Testing

@testable import NgramTUI

/// Every screen rendered into the grid at several sizes, in Unicode and ASCII, against text snapshots.
@Suite("Snapshots")
struct SnapshotTests {
  @Test(arguments: [(80, 24, false), (120, 40, false), (80, 24, true), (100, 30, true)])
  func trainFinished(width: Int, height: Int, ascii: Bool) {
    let s = Fixture.state(ascii: ascii)
    Snapshot.check(
      Render.frame(s, width: width, height: height), "train_done_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test(arguments: [false, true])
  func trainMidRun(ascii: Bool) {
    var s = Fixture.state(ascii: ascii, epochs: 20)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "train_epoch20_80x24_\(ascii ? "ascii" : "unicode")")
    _ = s.handle(.char(" "))
    s.train.status.trainerPaused = true
    Snapshot.check(Render.frame(s, width: 80, height: 24), "train_paused_80x24_\(ascii ? "ascii" : "unicode")")
  }

  @Test func trainManyEpochsAveragesEachColumn() {
    var s = Fixture.state()
    var info = Fixture.info
    info.epochs = 200
    s = AppState(
      info: info, corpus: s.corpus, glyphs: .unicodeSet, topK: 5, pace: 0)
    var status = TrainStatus()
    status.epochsDone = 150
    status.history = (0..<150).map { e in
      EpochPoint(loss: 4 / (1 + Double(e) / 10), accuracy: min(0.9, Double(e) / 100))
    }
    status.elapsed = 3
    s.update(status: status)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "train_epoch150of200_80x24_unicode")
  }

  @Test func trainWithHoldoutFlagsOverfitting() {
    var s = Fixture.state()
    var info = Fixture.info
    info.holdout = 0.2
    s = AppState(info: info, corpus: s.corpus, glyphs: .unicodeSet, topK: 5, pace: 0)
    var status = TrainStatus()
    status.epochsDone = 30
    status.history = (0..<30).map { (e: Int) -> EpochPoint in
      EpochPoint(loss: 2 / (1 + Double(e) / 5), accuracy: min(0.8, Double(e) / 30))
    }
    status.heldOut = (0..<30).map { (e: Int) -> Double in
      let down = 0.1 * Double(min(e, 10))
      let up = 0.02 * Double(max(0, e - 10))
      return 2.5 - down + up
    }
    status.unseenContexts = 0.25
    status.elapsed = 1
    status.phase = .saved("./artifacts (dense weights) and outputs/train_log.csv")
    s.update(status: status)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "train_holdout_80x24_unicode")
  }

  @Test func trainDiverging() {
    var s = Fixture.state(epochs: 20)
    s.train.status.history[19].loss = .nan
    Snapshot.check(Render.frame(s, width: 80, height: 24), "train_nan_80x24_unicode")
  }

  @Test func exploreEmpty() {
    var s = Fixture.state()
    s.cycle(+1)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "explore_empty_80x24_unicode")
  }

  @Test(arguments: [(80, 24, false), (120, 40, false), (80, 24, true), (100, 30, true)])
  func explorePrediction(width: Int, height: Int, ascii: Bool) {
    var s = Fixture.state(ascii: ascii)
    s.cycle(+1)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    Snapshot.check(
      Render.frame(s, width: width, height: height), "explore_the_cat_\(width)x\(height)_\(ascii ? "ascii" : "unicode")"
    )
  }

  @Test func exploreUnknownToken() {
    var s = Fixture.state()
    s.cycle(+1)
    Fixture.type("the kat", into: &s)
    _ = s.handle(.enter)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "explore_unknown_80x24_unicode")
  }

  @Test func exploreUnseenContext() {
    var s = Fixture.state()
    s.cycle(+1)
    Fixture.type("mat mat", into: &s)
    _ = s.handle(.enter)
    _ = s.handle(.escape)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "explore_unseen_80x24_unicode")
  }

  @Test(arguments: [(80, 24, false), (100, 30, true)])
  func generateCycle(width: Int, height: Int, ascii: Bool) {
    var s = Fixture.state(ascii: ascii)
    s.cycle(+1)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    s.cycle(+1)
    for _ in 0..<9 { _ = s.handle(.char(" ")) }
    Snapshot.check(
      Render.frame(s, width: width, height: height), "generate_cycle_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test func generateStartAndSampling() {
    var s = Fixture.state()
    s.show(.generate)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "generate_start_80x24_unicode")
    _ = s.handle(.char("m"))
    _ = s.handle(.char("]"))
    for _ in 0..<4 { _ = s.handle(.char(" ")) }
    Snapshot.check(Render.frame(s, width: 80, height: 24), "generate_sampling_80x24_unicode")
  }

  @Test(arguments: [false, true])
  func help(ascii: Bool) {
    var s = Fixture.state(ascii: ascii)
    _ = s.handle(.char("?"))
    Snapshot.check(Render.frame(s, width: 80, height: 24), "help_80x24_\(ascii ? "ascii" : "unicode")")
  }

  @Test(arguments: [(50, 12), (79, 24), (20, 5)])
  func tooSmall(width: Int, height: Int) {
    let s = Fixture.state()
    Snapshot.check(Render.frame(s, width: width, height: height), "too_small_\(width)x\(height)")
  }

  @Test(arguments: [(0, 0), (1, 1), (5, 2), (300, 100), (80, 24)])
  func everyScreenRendersAtAnySize(width: Int, height: Int) {
    var s = Fixture.state()
    for screen in Screen.allCases {
      s.show(screen)
      _ = s.handle(.char(" "))
      let g = Render.frame(s, width: width, height: height)
      #expect(g.width == width && g.height == height)
    }
  }

  @Test func greedyCycleIsUnderlinedInTheText() {
    var s = Fixture.state()
    s.show(.generate)
    for _ in 0..<12 { _ = s.handle(.char(" ")) }
    let g = Render.frame(s, width: 80, height: 24)
    let row = (0..<g.height).first { g.line($0).hasPrefix(" the cat ") }
    #expect(row != nil)
    if let row {
      let cycled = (0..<g.width).filter { g[$0, row].style == .cycle }.count
      #expect(cycled > 0)
    }
  }

  @Test func chosenRowIsHighlighted() {
    var s = Fixture.state()
    s.show(.generate)
    _ = s.handle(.char(" "))
    let g = Render.frame(s, width: 80, height: 24)
    let row = (0..<g.height).first { g.line($0).contains("▶") }
    #expect(row != nil)
    if let row {
      #expect(g.line(row).contains("lay"))
      let styled = (0..<g.width).contains { g[$0, row].style == .barChosen }
      #expect(styled)
    }
    // The newest token of the text is marked.
    let text = (0..<g.height).first { g.line($0).hasPrefix(" the cat lay") }
    #expect(text != nil)
    if let text {
      let marked = (0..<g.width).contains { g[$0, text].style == .highlight }
      #expect(marked)
    }
  }
}
