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
    let corpus = try Corpus(bytes: Array(text.utf8), path: "corpus/long.txt")
    let trainer = try Trainer(corpus: corpus, config: TrainingConfig())
    let outcome = try trainer.run(workers: 1)
    let info = SessionInfo(
      corpusName: "long.txt", directory: ".", tokens: corpus.tokenCount, vocabSize: corpus.vocabulary.count,
      pairs: trainer.pairCount, contexts: trainer.rowCount, contextLength: 2, learningRate: 0.1, epochs: 50,
      lossFloor: trainer.countOptimumLoss)
    var s = AppState(info: info, corpus: corpus, glyphs: ascii ? .asciiSet : .unicodeSet, topK: 5, pace: 0)
    var status = TrainStatus()
    status.epochsDone = 50
    status.history = outcome.log.map { EpochPoint(loss: $0.avgLoss, accuracy: $0.accuracy) }
    status.phase = .saved("./artifacts (dense weights) and outputs/train_log.csv")
    s.update(status: status)
    s.setModel(outcome.model, run: outcome)
    s.cycle(+1)
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
