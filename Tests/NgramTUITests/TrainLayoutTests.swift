import NgramEngine
import Testing

@testable import NgramTUI

/// The Train screen at the smallest size (80x24): no line runs under another, and no number is
/// cut to a different-looking number.
@Suite struct TrainLayoutTests {
  /// A run of 20 epochs of a 35,354-context corpus with a 10% holdout, all trained, replayed
  /// over 5 seconds and 3 epochs in.
  static func replaying() -> AppState {
    var info = Fixture.info
    info.epochs = 20
    info.holdout = 0.1
    info.contexts = 35_354
    info.pairs = 46_643
    var s = AppState(info: info, corpus: Fixture.run.corpus, glyphs: .unicodeSet, topK: 5, pace: 5)
    var status = TrainStatus()
    status.epochsDone = 20
    status.history = (0..<20).map { EpochPoint(loss: 9.5 - Double($0) * 0.1, accuracy: 0.747) }
    status.heldOut = (0..<20).map { 9.6 - Double($0) * 0.02 }
    status.unseenContexts = 0.675
    status.elapsed = 0.0222
    status.phase = .saved("./artifacts (compact weights) and outputs/train_log.csv")
    s.update(status: status)
    _ = s.train.advance(by: 0.8)
    return s
  }

  @Test func theReplayLineEndsBeforeTheStateLabel() throws {
    let g = Render.frame(Self.replaying(), width: 80, height: 24)
    let lines = g.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let line = try #require(lines.first { $0.contains("pairs/s") })
    #expect(line.hasSuffix(" TRAINING"), "\(line)")
    #expect(line.contains("replaying, 4.20 s left"), "\(line)")
  }

  @Test func theFactsAndHeldOutLinesKeepTheirPercentages() throws {
    let g = Render.frame(Self.replaying(), width: 80, height: 24)
    #expect(g.text.contains("holdout 10.0%"), "\(g.text)")
    #expect(g.text.contains("unseen 67.5%"), "\(g.text)")
  }
}
