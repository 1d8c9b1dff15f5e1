import NgramEngine

/// The explorer's frames without a terminal: the one hook the benchmarks (`Benchmarks/`) use
/// to time rendering, since the screens' states are internal.
///
/// A frame is what the run loop does after a key or a training report: `Render.frame` into a
/// fresh grid, then the driver's diff against the frame on screen (the cells it would write,
/// each converted to the wide characters curses takes). The states are realistic: training
/// finished on the corpus, a prediction with its epoch chart, twelve generation steps, and the
/// three compared context lengths; successive frames of a screen alternate between two
/// neighbouring states (one epoch, one step, one k apart) so the diff has real changes to find.
public struct OffscreenFrames {
  /// The screens that can be rendered, in tab order: Train, Explore, Generate, Compare (unless
  /// left out), Help.
  public let screens: [String]
  private let states: [String: (AppState, AppState)]
  /// A running sum over the cells the driver would write, which keeps that per-cell work
  /// observable (and so never optimised away).
  public private(set) var checksum: UInt32 = 0
  private var previous: [String: Grid] = [:]
  private var count: [String: Int] = [:]

  /// Trains on `corpus` and prepares every screen's two states.
  ///
  /// - Parameters:
  ///   - corpus: the corpus to train on.
  ///   - config: the training settings (context length, learning rate, epochs).
  ///   - query: the text asked on Explore and Compare (default: the corpus's first three tokens).
  ///   - ascii: ASCII glyphs instead of Unicode.
  ///   - withCompare: whether to prepare Compare, which trains context lengths 1–3 first (minutes
  ///     for context 1 on a large vocabulary).
  public init(
    corpus: Corpus, config: TrainingConfig = TrainingConfig(), query: [String]? = nil, ascii: Bool = false,
    compare withCompare: Bool = true
  ) throws {
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
    base.setModel(outcome.model, run: outcome)

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
    while withCompare {
      let jobs = compare.takeJobs()
      if jobs.isEmpty { break }
      for j in jobs { for r in j.perform() { compare.receive(r) } }
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
      + (withCompare ? [("Compare", compare, compare2)] : []) + [("Help", help, help2)]
    screens = pairs.map(\.0)
    states = Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, ($0.1, $0.2)) })
  }

  /// Renders the next frame of `screen` (one of ``screens``) at `width`×`height` and diffs it
  /// against that screen's previous frame as the terminal driver does; returns the number of
  /// cells the driver would write (every cell on a screen's first frame).
  public mutating func renderFrame(screen: String, width: Int, height: Int) -> Int {
    guard let (a, b) = states[screen] else { preconditionFailure("no screen \(screen): use one of \(screens)") }
    let n = count[screen, default: 0]
    count[screen] = n + 1
    let grid = Render.frame(n % 2 == 0 ? a : b, width: width, height: height)
    var checksum = self.checksum
    let changed = grid.forEachChange(from: previous[screen]) { x, y, cell in
      // The driver's per-cell work before the curses call.
      var chars = cell.text.unicodeScalars.prefix(4).map { UInt32($0.value) }
      chars.append(0)
      checksum &+= chars[0] &+ UInt32(x + y) &+ UInt32(cell.style.rawValue)
    }
    previous[screen] = grid
    self.checksum = checksum
    return changed
  }
}
