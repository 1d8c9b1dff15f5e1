import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// Times full frames of every explorer screen without a terminal, for `ngram-tui bench-tui`.
///
/// A frame is what the run loop does after a key or a training report: `Render.frame` into a
/// fresh grid, then the driver's diff against the frame on screen (the cells it would write,
/// each converted to the wide characters curses takes). The states are realistic: training
/// finished on the corpus, a prediction with its epoch chart, twelve generation steps, and the
/// three compared context lengths; each frame alternates between two neighbouring states (one
/// epoch, one step, one k apart) so the diff has real changes to find.
public enum RenderBenchmark {
  /// One screen's frame times.
  public struct Timing: Sendable {
    /// The screen's name.
    public let screen: String
    /// Seconds per frame, one per frame rendered.
    public let samples: [Double]
    /// Cells the diff wrote per frame, on average.
    public let changedCells: Double

    /// The median, minimum and maximum frame time in seconds.
    public var summary: (median: Double, min: Double, max: Double) {
      let s = samples.sorted()
      return (s[s.count / 2], s.first ?? 0, s.last ?? 0)
    }
  }

  /// Trains on `corpus` and times `frames` frames of each screen at `width`×`height`.
  ///
  /// - Parameters:
  ///   - query: the text asked on Explore and Compare (default: the corpus's first three tokens).
  ///   - compare: whether to time Compare, which trains context lengths 1–3 first (minutes for
  ///     context 1 on a large vocabulary).
  public static func run(
    corpus: Corpus, config: TrainingConfig = TrainingConfig(), width: Int = 200, height: Int = 60,
    frames: Int = 200, ascii: Bool = false, query: [String]? = nil, compare timeCompare: Bool = true
  ) throws -> [Timing] {
    let trainer = try Trainer(corpus: corpus, config: config)
    let outcome = try trainer.run()
    let info = SessionInfo(
      corpusName: Paths.lastComponent(corpus.path), directory: ".", tokens: corpus.tokenCount,
      vocabSize: corpus.vocabulary.count, pairs: trainer.pairCount, contexts: trainer.rowCount,
      contextLength: config.contextLength, learningRate: config.learningRate, epochs: config.epochs,
      holdout: config.holdout, lossFloor: trainer.countOptimumLoss)
    var base = AppState(info: info, corpus: corpus, glyphs: ascii ? .asciiSet : .unicodeSet, topK: 10, pace: 0)
    var status = TrainStatus()
    status.epochsDone = config.epochs
    status.history = outcome.log.map { EpochPoint(loss: $0.avgLoss, accuracy: $0.accuracy) }
    status.elapsed = 1
    status.phase = .saved("./artifacts (compact weights) and outputs/train_log.csv")
    base.update(status: status)
    base.setModel(outcome.model)

    // Two neighbouring states per screen.
    var train2 = base
    train2.train.status.epochsDone = max(config.epochs - 1, 0)
    train2.train.status.history.removeLast(min(1, train2.train.status.history.count))
    train2.train.status.phase = .training
    train2.train.status.pairsDone = trainer.pairCount / 2

    let words = query ?? corpus.tokenIDs.prefix(3).map { corpus.vocabulary.tokens[Int($0)] }
    var explore = base
    explore.show(.explore)
    for ch in words.joined(separator: " ") { _ = explore.handle(.char(ch)) }
    _ = explore.handle(.enter)
    var explore2 = explore
    _ = explore2.handle(.char("<"))

    var generate = base
    generate.show(.generate)
    for _ in 0..<12 { _ = generate.handle(.char(" ")) }
    var generate2 = generate
    _ = generate2.handle(.backspace)

    var compare = explore
    compare.show(.compare)
    while timeCompare {
      let jobs = compare.takeJobs()
      if jobs.isEmpty { break }
      for j in jobs { compare.receive(j.perform()) }
    }
    var compare2 = compare
    _ = compare2.handle(.escape)
    _ = compare2.handle(.char("-"))

    var help = base
    _ = help.handle(.char("?"))
    var help2 = help
    help2.train.status.phase = .writing

    let pairs: [(String, AppState, AppState)] =
      [("Train", base, train2), ("Explore", explore, explore2), ("Generate", generate, generate2)]
      + (timeCompare ? [("Compare", compare, compare2)] : []) + [("Help", help, help2)]
    var out: [Timing] = []
    for (name, a, b) in pairs {
      var previous = Render.frame(b, width: width, height: height)
      var samples: [Double] = []
      samples.reserveCapacity(frames)
      var changed = 0
      var checksum: UInt32 = 0
      for i in 0..<max(frames, 1) {
        let state = i % 2 == 0 ? a : b
        let t0 = DispatchTime.now().uptimeNanoseconds
        let grid = Render.frame(state, width: width, height: height)
        changed += grid.forEachChange(from: previous) { x, y, cell in
          // The driver's per-cell work before the curses call.
          var chars = cell.text.unicodeScalars.prefix(4).map { UInt32($0.value) }
          chars.append(0)
          checksum &+= chars[0] &+ UInt32(x + y) &+ UInt32(cell.style.rawValue)
        }
        previous = grid
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      }
      if checksum == 1 { print("", terminator: "") }  // keep the work observable
      out.append(Timing(screen: name, samples: samples, changedCells: Double(changed) / Double(samples.count)))
    }
    return out
  }
}
