#if canImport(Glibc)
  import Glibc
#endif

/// One context row at one moment of training, in sparse form: the columns that have been the
/// row's target so far keep their own weight, every other column shares `sharedWeight`.
public struct RowState: Sendable {
  /// The weight shared by every column that has never been this row's target.
  public let sharedWeight: Double
  /// The columns with their own weight, in the order they first became the row's target.
  public let columns: [Int]
  /// The weight of each of `columns`.
  public let weights: [Double]
  /// The row's softmax.
  public let distribution: Distribution

  /// The weight of column `id`.
  public func weight(of id: Int) -> Double {
    if let j = columns.firstIndex(of: id) { return weights[j] }
    return sharedWeight
  }

  /// Whether column `id` has its own weight (it followed the context before).
  public func hasOwnWeight(_ id: Int) -> Bool { columns.contains(id) }
}

/// One SGD step of training under the microscope: the row of pair `pair` of epoch `epoch`
/// just before that pair's update, and just after it — the reference's arithmetic (softmax of
/// the row, loss −ln max(p, 1e-12), argmax with the lowest id on ties, `w ← w − lr·(p − y)`).
public struct TrainingStep: Sendable {
  /// 1-based epoch.
  public let epoch: Int
  /// 1-based pair number in corpus order.
  public let pair: Int
  /// Training pairs per epoch.
  public let pairs: Int
  /// The context's token ids (oldest first; empty for the unigram).
  public let context: [Int]
  /// The token that followed the context at this pair.
  public let target: Int
  /// The SGD step size.
  public let learningRate: Double
  /// V.
  public let vocabSize: Int
  /// Which of the context's pairs in the epoch this is (1-based), and how many it has.
  public let occurrence: Int
  /// The context's pairs per epoch.
  public let occurrences: Int
  /// The row before the update.
  public let before: RowState
  /// The row after the update.
  public let after: RowState

  /// The target's probability before the update.
  public var pTarget: Double { before.distribution.probability(of: target) }
  /// The step's loss, −ln max(p_target, 1e-12) (as the reference clamps it).
  public var loss: Double { -log(max(pTarget, 1e-12)) }
  /// The argmax before the update, lowest id on ties (what the accuracy counts).
  public var predicted: Int { before.distribution.argmax }
  /// Whether the prediction was the target.
  public var correct: Bool { predicted == target }
  /// The gradient of the loss with respect to column `id`'s weight: p − y.
  public func gradient(of id: Int) -> Double {
    before.distribution.probability(of: id) - (id == target ? 1 : 0)
  }
  /// Columns with their own weight before the update.
  public var explicitColumns: Int { before.columns.count }
  /// Columns sharing one weight before the update (they all get the same gradient and move together).
  public var sharedColumns: Int { vocabSize - before.columns.count }

  /// The columns to show for `k`: the before top-k, then the after top-k's new ids, then the
  /// target if it is in neither.
  public func shownColumns(k: Int) -> [Int] {
    var ids = before.distribution.top(k).map(\.id)
    for e in after.distribution.top(k) where !ids.contains(e.id) { ids.append(e.id) }
    if !ids.contains(target) { ids.append(target) }
    return ids
  }
}

/// Replays training up to any single step. A row's history depends only on the targets that
/// followed its context, in corpus order, so one step costs one row's replay, not a whole run.
public struct StepInspector: Sendable {
  /// Token ids trained on (the whole corpus, or the part before the held-out tail).
  let tokens: [Int32]
  /// V.
  public let vocabSize: Int
  /// Tokens of context.
  public let contextLength: Int
  /// The SGD step size.
  public let learningRate: Double
  /// Epochs of the run (the valid `epoch` values are 1…epochs).
  public let epochs: Int

  /// Inspects the run `config` would make on `corpus` (holding out its tail as training does).
  public init(corpus: Corpus, config: TrainingConfig) throws {
    try config.validate()
    let total = corpus.tokenCount
    let held = Int((Double(total) * config.holdout).rounded(.down))
    tokens = held > 0 ? Array(corpus.tokenIDs[0..<(total - held)]) : corpus.tokenIDs
    vocabSize = corpus.vocabulary.count
    contextLength = config.contextLength
    learningRate = config.learningRate
    epochs = config.epochs
  }

  /// Training pairs per epoch.
  public var pairCount: Int { max(tokens.count - contextLength, 0) }

  /// The context and target of pair `pair` (1-based).
  public func window(pair: Int) -> (context: [Int], target: Int) {
    let i = pair - 1
    return (tokens[i..<(i + contextLength)].map(Int.init), Int(tokens[i + contextLength]))
  }

  /// The 1-based pair numbers whose context is `context`, in corpus order.
  public func pairs(of context: [Int]) -> [Int] {
    let n = contextLength
    guard context.count == n, tokens.count > n else { return [] }
    let ctx = context.map { Int32($0) }
    var out: [Int] = []
    tokens.withUnsafeBufferPointer { t in
      outer: for i in 0..<(t.count - n) {
        for j in 0..<n where t[i + j] != ctx[j] { continue outer }
        out.append(i + 1)
      }
    }
    return out
  }

  /// The next pair after (epoch, pair) with the same context — later in the epoch, else its first
  /// pair in the next epoch; nil after the last epoch.
  public func nextOccurrence(epoch: Int, pair: Int) -> (epoch: Int, pair: Int)? {
    guard (1...max(pairCount, 1)).contains(pair), pairCount > 0 else { return nil }
    let same = pairs(of: window(pair: pair).context)
    if let next = same.first(where: { $0 > pair }) { return (epoch, next) }
    return epoch < epochs ? (epoch + 1, same[0]) : nil
  }

  /// Checks `epoch` and `pair` with a message saying what is accepted.
  public func validate(epoch: Int, pair: Int) throws {
    guard pairCount > 0 else { throw NgramError.invalidOption("the corpus has no training pairs to inspect") }
    guard epochs > 0 else {
      throw NgramError.invalidOption("this model was trained for 0 epochs: there is no step to inspect")
    }
    guard (1...epochs).contains(epoch) else {
      throw NgramError.stepEpochOutOfRange(epoch: epoch, epochs: epochs)
    }
    guard (1...pairCount).contains(pair) else {
      throw NgramError.stepPairOutOfRange(pair: pair, pairs: pairCount)
    }
  }

  /// The step at pair `pair` (1-based, corpus order) of epoch `epoch` (1-based).
  public func step(epoch: Int, pair: Int) throws -> TrainingStep {
    try validate(epoch: epoch, pair: pair)
    let (context, target) = window(pair: pair)
    let positions = pairs(of: context)
    let q = positions.firstIndex(of: pair)!
    // Local targets: each distinct target's position in order of first appearance, as the trainer keeps them.
    var cols: [Int] = []
    var local: [Int32: Int32] = [:]
    var lt: [Int32] = []
    lt.reserveCapacity(positions.count)
    for p in positions {
      let t = tokens[p - 1 + contextLength]
      if let j = local[t] {
        lt.append(j)
      } else {
        local[t] = Int32(cols.count)
        lt.append(Int32(cols.count))
        cols.append(Int(t))
      }
    }
    let slots = max(cols.count, 1)
    let w = UnsafeMutablePointer<Double>.allocate(capacity: slots)
    w.initialize(repeating: 0, count: slots)
    let scratch = RowScratch(columns: slots)
    defer {
      w.deallocate()
      scratch.deallocate()
    }
    var k = 0
    var w0 = 0.0
    var events: [SparseRun.TieEvent] = []
    let v = vocabSize
    let lr = learningRate
    func state() -> RowState {
      let weights = Array(UnsafeBufferPointer(start: w, count: k))
      let columns = Array(cols[0..<k])
      let d = Distribution.softmax(
        vocabSize: v, sharedWeight: w0, columns: columns.map { Int32($0) }[...], weights: weights[...])
      return RowState(sharedWeight: w0, columns: columns, weights: weights, distribution: d)
    }
    let (before, after) = lt.withUnsafeBufferPointer { ltp -> (RowState, RowState) in
      let base = ltp.baseAddress!
      for _ in 1..<epoch {
        var carry = RowCarry()
        _ = SparseRun.rowEpoch(
          weights: w, k: &k, w0: &w0, localTargets: base, count: ltp.count, vocabSize: v, lr: lr, scratch: scratch,
          carry: &carry, events: &events)
      }
      // The epoch's first q steps, then step q with what they carried: as training runs the epoch.
      var carry = RowCarry()
      if q > 0 {
        _ = SparseRun.rowEpoch(
          weights: w, k: &k, w0: &w0, localTargets: base, count: q, vocabSize: v, lr: lr, scratch: scratch,
          carry: &carry, events: &events)
      }
      let before = state()
      _ = SparseRun.rowEpoch(
        weights: w, k: &k, w0: &w0, localTargets: base + q, count: 1, vocabSize: v, lr: lr, scratch: scratch,
        carry: &carry, events: &events)
      return (before, state())
    }
    return TrainingStep(
      epoch: epoch, pair: pair, pairs: pairCount, context: context, target: target, learningRate: lr,
      vocabSize: v, occurrence: q + 1, occurrences: positions.count, before: before, after: after)
  }
}

extension Distribution {
  /// The 1-based rank of token `id` in the whole distribution, in the order the bars use
  /// (probability descending, then id ascending): `top(rank).last` is `id`.
  public func rank(of id: Int) -> Int {
    let p = probability(of: id)
    var ahead = 0
    var explicitBelowID = 0
    var isExplicit = false
    for e in explicit {
      if e.id == id {
        isExplicit = true
        continue
      }
      if e.probability > p || (e.probability == p && e.id < id) { ahead += 1 }
      if e.id < id { explicitBelowID += 1 }
    }
    let shared = vocabSize - explicit.count - (isExplicit ? 0 : 1)
    if defaultProbability > p {
      ahead += shared
    } else if defaultProbability == p {
      ahead += id - explicitBelowID
    }
    return ahead + 1
  }
}
