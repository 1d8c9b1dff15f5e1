import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import Synchronization

/// The settings of one training run.
public struct TrainingConfig: Sendable, Equatable {
  /// Tokens of context: 0 (unigram), 1 (bigram), 2 (context-2) or 3 (context-3).
  public var contextLength: Int
  /// The SGD step size.
  public var learningRate: Double
  /// Passes over all training pairs.
  public var epochs: Int
  /// The last fraction of the tokens kept out of training and scored after every epoch (0: none).
  public var holdout: Double

  /// Creates a configuration; the defaults are the reference's.
  public init(contextLength: Int = 2, learningRate: Double = 0.1, epochs: Int = 50, holdout: Double = 0) {
    self.contextLength = contextLength
    self.learningRate = learningRate
    self.epochs = epochs
    self.holdout = holdout
  }

  /// Checks the values, with a message saying what is accepted.
  public func validate() throws {
    guard (0...3).contains(contextLength) else {
      throw NgramError.unsupportedContextLength(contextLength)
    }
    guard learningRate.isFinite, learningRate >= 0 else {
      throw NgramError.invalidLearningRate(learningRate)
    }
    guard epochs >= 0 else {
      throw NgramError.invalidEpochs(epochs)
    }
    guard holdout.isFinite, holdout >= 0, holdout < 1 else {
      throw NgramError.invalidHoldout(holdout, zeroAllowed: true)
    }
  }

  /// The reference's name for this model kind.
  public var modelKind: String { ["unigram", "bigram", "context2", "context3"][contextLength] }
}

/// One line of the training log.
public struct EpochStats: Sendable, Equatable {
  /// 1-based epoch number.
  public let epoch: Int
  /// Mean cross-entropy over the epoch's pairs, from pre-update probabilities.
  public let avgLoss: Double
  /// Share of pairs whose argmax (lowest id on ties) was the target.
  public let accuracy: Double
}

/// A snapshot of a run for observers: where it is and what it has logged so far.
public struct TrainingProgress: Sendable {
  /// Epochs completed.
  public var epochsDone: Int
  /// Epochs requested.
  public var totalEpochs: Int
  /// Pairs processed in the current epoch.
  public var pairsDone: Int
  /// Pairs per epoch.
  public var pairsPerEpoch: Int
  /// Mean loss over the pairs processed so far in the current epoch.
  public var runningLoss: Double
  /// Accuracy over the pairs processed so far in the current epoch.
  public var runningAccuracy: Double
  /// The finished epochs.
  public var history: [EpochStats]
  /// Seconds since training started (excluding time paused).
  public var elapsed: Double
  /// Whether the run is paused.
  public var paused: Bool
  /// Held-out scores after each finished epoch (empty without `holdout`).
  public var validation: [ValidationStats] = []
}

extension TrainingProgress {
  /// A snapshot `done` pairs into the epoch after `history`, with the sums over those pairs.
  init(
    history: [EpochStats], validation: [ValidationStats], totalEpochs: Int, pairsPerEpoch: Int, done: Int,
    loss: Double, correct: Int, start: UInt64, pausedNanos: UInt64, paused: Bool
  ) {
    self.init(
      epochsDone: history.count, totalEpochs: totalEpochs, pairsDone: done, pairsPerEpoch: pairsPerEpoch,
      runningLoss: done > 0 ? loss / Double(done) : .nan,
      runningAccuracy: done > 0 ? Double(correct) / Double(done) : 0, history: history,
      elapsed: Double(DispatchTime.now().uptimeNanoseconds - start - pausedNanos) / 1e9, paused: paused,
      validation: validation)
  }
}

/// One line of `outputs/eval_log.csv`: the model after an epoch, scored on the held-out tokens.
public struct ValidationStats: Sendable, Equatable {
  /// 1-based epoch number.
  public let epoch: Int
  /// Mean cross-entropy (nats) of the held-out pairs.
  public let valLoss: Double
  /// e^valLoss.
  public var valPerplexity: Double { libmExp(valLoss) }
  /// Share of held-out pairs whose context never occurred in training.
  public let unseenContexts: Double
}

/// Everything a run produced.
public struct TrainingOutcome: Sendable {
  /// The trained model.
  public let model: NgramModel
  /// The training log (reference format).
  public let log: [EpochStats]
  /// Held-out scores per epoch (empty without `holdout`).
  public let validation: [ValidationStats]
}

/// Pause, resume, single-step and cancel for a running trainer; safe to use from any thread.
public final class TrainingControl: Sendable {
  private struct State {
    var paused = false
    var cancelled = false
    var stepsAllowed = 0
  }
  private let state = Mutex(State())
  /// Signalled on every change a paused trainer may be waiting for (resume, step, cancel).
  private let changed = DispatchSemaphore(value: 0)

  /// Creates a control in the running state.
  public init() {}

  /// Pauses after the current epoch.
  public func pause() { state.withLock { $0.paused = true } }
  /// Resumes a paused run.
  public func resume() {
    state.withLock {
      $0.paused = false
      $0.stepsAllowed = 0
    }
    changed.signal()
  }
  /// While paused, lets exactly one more epoch run.
  public func stepOneEpoch() {
    state.withLock { $0.stepsAllowed += 1 }
    changed.signal()
  }
  /// Stops the run at the next check; `train` then throws `NgramError.cancelled`.
  public func cancel() {
    state.withLock { $0.cancelled = true }
    changed.signal()
  }
  /// Whether the run is paused.
  public var isPaused: Bool { state.withLock { $0.paused } }
  /// Whether the run was cancelled.
  public var isCancelled: Bool { state.withLock { $0.cancelled } }

  /// Blocks while paused (sleeping until a resume, step or cancel); returns false when cancelled.
  func waitForEpochPermission() -> Bool {
    while true {
      let (go, cancelled) = state.withLock { s -> (Bool, Bool) in
        if s.cancelled { return (false, true) }
        if !s.paused { return (true, false) }
        if s.stepsAllowed > 0 {
          s.stepsAllowed -= 1
          return (true, false)
        }
        return (false, false)
      }
      if cancelled { return false }
      if go { return true }
      // A signal sent between the check above and this wait is kept by the semaphore, so no
      // change is missed; a stale one only costs another check.
      changed.wait()
    }
  }
}

/// The exact sparse trainer: the reference's per-pair SGD, one shared weight per row for the
/// columns that were never that row's target, and rows trained in parallel.
public struct Trainer: Sendable {
  /// The settings.
  public let config: TrainingConfig
  let index: ContextIndex
  /// The vocabulary trained on.
  public let vocabulary: Vocabulary

  /// Groups the corpus's pairs by context. Throws when there are too few tokens.
  public init(corpus: Corpus, config: TrainingConfig) throws {
    try config.validate()
    let need = config.contextLength + 1
    if corpus.tokenCount < need {
      throw NgramError.tooFewTokens(file: corpus.path, needed: need, found: corpus.tokenCount)
    }
    guard ContextIndex.keyFits(n: config.contextLength, v: corpus.vocabulary.count) else {
      throw NgramError.invalidOption("vocabulary too large for context length \(config.contextLength)")
    }
    self.config = config
    self.vocabulary = corpus.vocabulary
    let n = config.contextLength
    let total = corpus.tokenCount
    let held = Int((Double(total) * config.holdout).rounded(.down))
    let cut = total - held
    if held > 0 && cut < need {
      throw NgramError.invalidOption(
        "holdout \(config.holdout) leaves \(cut) training tokens; this context length needs at least \(need)")
    }
    let training = held > 0 ? Array(corpus.tokenIDs[0..<cut]) : corpus.tokenIDs
    let idx = ContextIndex(tokenIDs: training, vocabSize: corpus.vocabulary.count, contextLength: n)
    self.index = idx
    var heldOut: [HeldOutPair] = []
    if held > 0 {
      var rowOf: [UInt64: Int32] = [:]
      rowOf.reserveCapacity(idx.rowCount)
      let v = corpus.vocabulary.count
      idx.rowContexts.withUnsafeBufferPointer { p in
        for r in 0..<idx.rowCount { rowOf[ContextIndex.key(p.baseAddress! + r * n, n, v)] = Int32(r) }
      }
      corpus.tokenIDs.withUnsafeBufferPointer { t in
        for i in max(0, cut - n)..<(total - n) {
          let key = ContextIndex.key(t.baseAddress! + i, n, v)
          let target = t[i + n]
          var pair = HeldOutPair(row: -1, local: -1)
          if let r = rowOf[key] {
            pair.row = r
            let a = idx.colOffsets[Int(r)], b = idx.colOffsets[Int(r) + 1]
            for q in a..<b where idx.cols[q] == target { pair.local = Int32(q - a) }
          }
          heldOut.append(pair)
        }
      }
    }
    self.heldOut = heldOut
  }

  /// A held-out pair: its training row (−1 if the context never occurred in training) and the
  /// target's position among that row's columns (−1 if it never followed the context).
  struct HeldOutPair: Sendable {
    var row: Int32
    var local: Int32
  }
  let heldOut: [HeldOutPair]

  /// Held-out pairs scored after each epoch.
  public var heldOutPairCount: Int { heldOut.count }

  /// Training pairs per epoch.
  public var pairCount: Int { index.pairCount }
  /// Distinct contexts (trained rows).
  public var rowCount: Int { index.rowCount }
  /// Distinct (context, next token) pairs: the number of explicit weights.
  public var distinctSuccessors: Int { index.cols.count }

  /// Trains all epochs and returns the model and its log.
  ///
  /// - Parameters:
  ///   - control: pause/resume/cancel from other threads.
  ///   - workers: threads to use (default: all cores).
  ///   - observer: called after every epoch and from time to time within one.
  public func train(
    control: TrainingControl = TrainingControl(), workers: Int = onlineProcessorCount(),
    observer: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> (model: NgramModel, log: [EpochStats]) {
    let outcome = try run(control: control, workers: workers, observer: observer)
    return (outcome.model, outcome.log)
  }

  /// Trains all epochs, scoring the held-out tokens after each one when `holdout` is set.
  public func run(
    control: TrainingControl = TrainingControl(), workers: Int = onlineProcessorCount(),
    observer: (@Sendable (TrainingProgress) -> Void)? = nil
  ) throws -> TrainingOutcome {
    try run(control: control, workers: { workers }, scoring: .everyEpoch, observer: observer)
  }

  /// When a run with `holdout` scores the held-out tokens.
  enum HeldOutScoring: Sendable {
    /// After every epoch (`train --holdout`'s eval_log).
    case everyEpoch
    /// After the last epoch only (one `validation` entry): for a run whose only use is the final
    /// held-out score. The model is the same after every epoch either way, so that score is too.
    case lastEpoch
  }

  /// Trains all epochs with `workers()` threads for each epoch (asked again before every epoch:
  /// the result does not depend on it), scoring the held-out tokens as `scoring` says.
  func run(
    control: TrainingControl, workers: () -> Int, scoring: HeldOutScoring,
    observer: (@Sendable (TrainingProgress) -> Void)?
  ) throws -> TrainingOutcome {
    let run = SparseRun(index: index, lr: config.learningRate)
    var log: [EpochStats] = []
    var validation: [ValidationStats] = []
    let start = DispatchTime.now().uptimeNanoseconds
    var pausedNanos: UInt64 = 0
    func progress(_ done: Int, _ loss: Double, _ correct: Int, paused: Bool = false) -> TrainingProgress {
      TrainingProgress(
        history: log, validation: validation, totalEpochs: config.epochs, pairsPerEpoch: index.pairCount,
        done: done, loss: loss, correct: correct, start: start, pausedNanos: pausedNanos, paused: paused)
    }
    for e in 0..<config.epochs {
      if control.isPaused {
        let t0 = DispatchTime.now().uptimeNanoseconds
        observer?(progress(0, 0, 0, paused: true))
        if !control.waitForEpochPermission() { throw NgramError.cancelled }
        pausedNanos += DispatchTime.now().uptimeNanoseconds - t0
      }
      if control.isCancelled { throw NgramError.cancelled }
      let partial: (@Sendable (Int, Double, Int) -> Void)?
      if let observer {
        let (logSoFar, validationSoFar, epochs, pairs, pn) = (
          log, validation, config.epochs, index.pairCount, pausedNanos
        )
        partial = { done, loss, correct in
          observer(
            TrainingProgress(
              history: logSoFar, validation: validationSoFar, totalEpochs: epochs, pairsPerEpoch: pairs, done: done,
              loss: loss, correct: correct, start: start, pausedNanos: pn, paused: false))
        }
      } else {
        partial = nil
      }
      guard let (loss, correct) = run.epoch(workers: workers(), control: control, partial: partial) else {
        throw NgramError.cancelled
      }
      let p = Double(index.pairCount)
      log.append(EpochStats(epoch: e + 1, avgLoss: loss / p, accuracy: Double(correct) / p))
      if !heldOut.isEmpty && (scoring == .everyEpoch || e == config.epochs - 1) {
        let (vl, unseen) = run.score(heldOut)
        validation.append(ValidationStats(epoch: e + 1, valLoss: vl, unseenContexts: unseen))
      }
      observer?(progress(index.pairCount, loss, correct))
    }
    run.releaseStepLosses()
    return TrainingOutcome(model: run.model(vocabulary: vocabulary), log: log, validation: validation)
  }
}

/// Per-chunk epoch sums, each slot written by exactly one worker.
///
/// Why `@unchecked Sendable` is sound: the pointers are shared with the workers of one epoch;
/// each chunk index is handed out exactly once by an atomic counter, and only the worker that
/// claimed chunk `c` writes slot `c`; the caller reads the slots only after `concurrentPerform`
/// returns, which joins every worker (a happens-before edge), and frees them after that.
struct ChunkSums: @unchecked Sendable {
  let loss: UnsafeMutablePointer<Double>
  let correct: UnsafeMutablePointer<Int>
}

/// Mutable training state for the classes of an index; each class is touched by one thread at a time.
///
/// Why `@unchecked Sendable` is sound: within an epoch the classes are split into disjoint chunks,
/// each claimed exactly once from an atomic counter, and a class's buffers (its `w0`, `k`, weights
/// and step losses) are read and written only by the worker that claimed its chunk; between epochs, and when the model is read out, only the
/// calling thread touches them, after `concurrentPerform` has joined every worker (it alone
/// frees the step losses, after the last epoch).
final class SparseRun: @unchecked Sendable {
  let index: ContextIndex
  let lr: Double
  let v: Int
  /// Per class: the shared weight, the explicit column count.
  let w0: UnsafeMutablePointer<Double>
  let k: UnsafeMutablePointer<Int>
  /// Per class: the explicit weights, at the class representative's `colOffsets`.
  let weights: UnsafeMutablePointer<Double>
  /// Per class step: the loss of the latest epoch, summed in corpus order at the epoch's end.
  /// (Freed by `releaseStepLosses` once the last epoch is summed, before the model is read out.)
  private(set) var stepLosses: UnsafeMutablePointer<Double>?
  let chunkBounds: [Int]

  init(index: ContextIndex, lr: Double) {
    self.index = index
    self.lr = lr
    self.v = index.vocabSize
    w0 = .allocate(capacity: max(index.classCount, 1))
    w0.initialize(repeating: 0, count: max(index.classCount, 1))
    k = .allocate(capacity: max(index.classCount, 1))
    k.initialize(repeating: 0, count: max(index.classCount, 1))
    weights = .allocate(capacity: max(index.cols.count, 1))
    weights.initialize(repeating: 0, count: max(index.cols.count, 1))
    let steps = index.classStepOffsets.last ?? 0
    let losses = UnsafeMutablePointer<Double>.allocate(capacity: max(steps, 1))
    losses.initialize(repeating: 0, count: max(steps, 1))
    stepLosses = losses
    var m = 0
    for r in 0..<index.rowCount { m = max(m, index.colOffsets[r + 1] - index.colOffsets[r]) }
    maxColumns = m
    // Chunks of classes with roughly equal work, fixed by the data alone (deterministic sums).
    var work: [Double] = []
    work.reserveCapacity(index.classCount)
    var total = 0.0
    for c in 0..<index.classCount {
      let rep = Int(index.classRep[c])
      let pairs = Double(index.pairOffsets[rep + 1] - index.pairOffsets[rep])
      let cols = Double(index.colOffsets[rep + 1] - index.colOffsets[rep])
      let members = Double(index.memberOffsets[c + 1] - index.memberOffsets[c])
      let w = pairs * (cols + 4) + members
      work.append(w)
      total += w
    }
    let target = max(total / 512, 1)
    var bounds = [0]
    var acc = 0.0
    for c in 0..<index.classCount {
      acc += work[c]
      if acc >= target { bounds.append(c + 1); acc = 0 }
    }
    if bounds.last! != index.classCount { bounds.append(index.classCount) }
    chunkBounds = bounds
    var big: [Int] = []
    var isBig = [Bool](repeating: false, count: index.classCount)
    for c in 0..<index.classCount {
      let rep = Int(index.classRep[c])
      if index.colOffsets[rep + 1] - index.colOffsets[rep] >= RowKernel.teamColumns {
        big.append(c)
        isBig[c] = true
      }
    }
    // Largest first: with several workers, each is a work item of its own, taken before the chunks.
    bigClasses = big.sorted { work[$0] > work[$1] || (work[$0] == work[$1] && $0 < $1) }
    isBigClass = isBig
    classWork = work
    totalWork = total
  }

  /// Whether each class is among `bigClasses`.
  let isBigClass: [Bool]

  /// Classes with rows of `RowKernel.teamColumns` columns or more, the most work first. With
  /// two workers or more, one that is too much work for the others to balance (over 3/4 of a
  /// worker's share of the epoch, such as a unigram's one row) is trained by two threads
  /// together (`RowKernel.Team`), before everything else; the others are work items of their
  /// own, taken first, each by one thread (the team's hand-offs cost more than they save there).
  let bigClasses: [Int]

  /// The work of each class (steps times columns, roughly), and their sum.
  let classWork: [Double]
  let totalWork: Double

  /// Whether class `c` (among `bigClasses`) is trained by a team when `workers` train.
  func isTeamed(_ c: Int, workers: Int) -> Bool { classWork[c] * Double(workers) > 0.75 * totalWork }

  /// Runs one epoch over all classes; returns (loss sum, correct count) or nil when cancelled.
  func epoch(workers: Int, control: TrainingControl, partial: (@Sendable (Int, Double, Int) -> Void)?) -> (
    Double, Int
  )? {
    let chunks = chunkBounds.count - 1
    // The big classes first: too big to balance, each by both threads together (the second one
    // serves the team); the others as work items of their own, before the chunks.
    let split = workers >= 2 && !bigClasses.isEmpty
    let team = split && bigClasses.contains { isTeamed($0, workers: workers) } ? RowKernel.Team() : nil
    let teamedClasses = team == nil ? [] : bigClasses.filter { isTeamed($0, workers: workers) }
    let soloClasses = split ? bigClasses.filter { !teamedClasses.contains($0) } : []
    let items = soloClasses.count + chunks
    let lossParts = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(items, 1))
    let correctParts = UnsafeMutableBufferPointer<Int>.allocate(capacity: max(items, 1))
    defer {
      lossParts.deallocate()
      correctParts.deallocate()
    }
    lossParts.initialize(repeating: 0)
    correctParts.initialize(repeating: 0)
    let next = Atomic<Int>(0)
    let cancelled = Atomic<Bool>(false)
    let progressLock = Mutex((done: 0, loss: 0.0, correct: 0, lastReport: UInt64(0)))
    let threads = max(1, min(workers, items))
    let parts = ChunkSums(loss: lossParts.baseAddress!, correct: correctParts.baseAddress!)
    // Reported under the lock, so the reports reach the observer in the order of their counts
    // (the observer only hands them on).
    @Sendable func report(_ pairs: Int, _ loss: Double, _ correct: Int) {
      guard let partial else { return }
      let now = DispatchTime.now().uptimeNanoseconds
      progressLock.withLock { s in
        s.done += pairs
        s.loss += loss
        s.correct += correct
        // `now` was read before the lock: another worker may have stored a later one.
        if now > s.lastReport &+ 20_000_000 {
          s.lastReport = now
          partial(s.done, s.loss, s.correct)
        }
      }
    }
    var bigCorrect = 0
    if let team, !teamedClasses.isEmpty {
      let bigSums = Mutex((correct: 0, stopped: false))
      DispatchQueue.concurrentPerform(iterations: 2) { i in
        if i == 1 {
          team.serve()
          return
        }
        defer { team.stop() }
        let scratch = RowScratch(columns: self.maxColumns)
        defer { scratch.deallocate() }
        var events: [TieEvent] = []
        var correct = 0
        for c in teamedClasses {
          if control.isCancelled {
            bigSums.withLock { $0.stopped = true }
            return
          }
          let (l, cor, pr) = self.trainClassEpoch(c, scratch: scratch, events: &events, team: team)
          correct += cor
          report(pr, l, cor)
        }
        bigSums.withLock { $0.correct = correct }
      }
      let sums = bigSums.withLock { $0 }
      if sums.stopped { return nil }
      bigCorrect = sums.correct
    }
    DispatchQueue.concurrentPerform(iterations: threads) { _ in
      let maxCols = self.maxColumns
      let scratch = RowScratch(columns: maxCols)
      defer { scratch.deallocate() }
      var events: [TieEvent] = []
      while true {
        let item = next.wrappingAdd(1, ordering: .relaxed).oldValue
        if item >= items { break }
        if control.isCancelled {
          cancelled.store(true, ordering: .relaxed)
          break
        }
        var loss = 0.0
        var correct = 0
        var pairs = 0
        if item < soloClasses.count {
          (loss, correct, pairs) = self.trainClassEpoch(soloClasses[item], scratch: scratch, events: &events)
        } else {
          let ch = item - soloClasses.count
          for c in self.chunkBounds[ch]..<self.chunkBounds[ch + 1] where !(split && self.isBigClass[c]) {
            let (l, cor, pr) = self.trainClassEpoch(c, scratch: scratch, events: &events)
            loss += l
            correct += cor
            pairs += pr
          }
        }
        parts.loss[item] = loss
        parts.correct[item] = correct
        report(pairs, loss, correct)
      }
    }
    if cancelled.load(ordering: .relaxed) { return nil }
    var correct = bigCorrect
    for item in 0..<items { correct += correctParts[item] }
    // The reference adds each pair's loss to a running total in corpus order; doing the same
    // (rather than adding the per-chunk sums) keeps the logged 8 decimals identical even on
    // corpora with hundreds of thousands of pairs.
    var loss = 0.0
    index.pairStep.withUnsafeBufferPointer { order in
      let steps = stepLosses!
      for i in 0..<order.count { loss += steps[Int(order[i])] }
    }
    return (loss, correct)
  }

  let maxColumns: Int

  /// Frees the per-step losses (one Double per training pair): no epoch runs after this.
  func releaseStepLosses() {
    stepLosses?.deallocate()
    stepLosses = nil
  }

  deinit {
    w0.deallocate()
    k.deallocate()
    weights.deallocate()
    stepLosses?.deallocate()
  }

  /// A step whose argmax depends on the member row's actual token ids (ties, or the shared
  /// weight winning while the target is still untouched).
  struct TieEvent {
    var localTarget: Int32
    var kAtStep: Int32
    var defaultTied: Bool
    var tied: [Int32]
  }

  /// One epoch of one class: every step of its representative; sums scaled by the member count.
  func trainClassEpoch(
    _ c: Int, scratch: RowScratch, events: inout [TieEvent], team: RowKernel.Team? = nil
  ) -> (Double, Int, Int) {
    let rep = Int(index.classRep[c])
    let pStart = index.pairOffsets[rep]
    let pEnd = index.pairOffsets[rep + 1]
    let cStart = index.colOffsets[rep]
    let memberCount = index.memberOffsets[c + 1] - index.memberOffsets[c]
    var kk = k[c]
    var ww0 = w0[c]
    var carry = RowCarry()
    let (loss, correct) = index.localTargets.withUnsafeBufferPointer { ltb in
      SparseRun.rowEpoch(
        weights: weights + cStart, k: &kk, w0: &ww0, localTargets: ltb.baseAddress! + pStart, count: pEnd - pStart,
        vocabSize: v, lr: lr, scratch: scratch, carry: &carry, events: &events,
        stepLosses: stepLosses! + index.classStepOffsets[c], team: team)
    }
    k[c] = kk
    w0[c] = ww0
    var total = correct * memberCount
    if !events.isEmpty {
      for mi in index.memberOffsets[c]..<index.memberOffsets[c + 1] {
        let r = Int(index.members[mi])
        let rc = index.colOffsets[r]
        for ev in events {
          var winner = Int32.max
          for j in ev.tied { winner = min(winner, index.cols[rc + Int(j)]) }
          if ev.defaultTied {
            winner = min(winner, lowestUntouched(index.cols, rc, Int(ev.kAtStep)))
          }
          if winner == index.cols[rc + Int(ev.localTarget)] { total += 1 }
        }
      }
    }
    return (loss * Double(memberCount), total, (pEnd - pStart) * memberCount)
  }

  /// One epoch of one row: every step of the reference's SGD on the row's explicit weights `w`,
  /// its explicit count `k` and shared weight `w0`. Returns the loss sum and the steps whose
  /// argmax was the target for certain; steps whose winner depends on the row's actual token ids
  /// are appended to `events`.
  @inline(__always)
  static func rowEpoch(
    weights w: UnsafeMutablePointer<Double>, k: inout Int, w0: inout Double, localTargets: UnsafePointer<Int32>,
    count: Int, vocabSize vv: Int, lr: Double, scratch: RowScratch, carry: inout RowCarry, events: inout [TieEvent],
    stepLosses: UnsafeMutablePointer<Double>? = nil, team: RowKernel.Team? = nil
  ) -> (loss: Double, correct: Int) {
    var kk = k
    var ww0 = w0
    var loss = 0.0
    var correct = 0
    var c = carry
    events.removeAll(keepingCapacity: true)
    // The largest explicit weight, kept up to date by the update pass.
    var maxW = RowKernel.max(w, kk, start: -Double.infinity)
    for q in 0..<count {
      let t = Int(localTargets[q])
      let nd = vv - kk
      let m = nd > 0 && ww0 > maxW ? ww0 : maxW
      let s = c.second ? scratch.base + scratch.stride : scratch.base
      let s2 = c.second ? scratch.base : scratch.base + scratch.stride
      // The exps are e^(w − reference). The reference is the largest weight, as the reference
      // implementation subtracts, whenever they are computed afresh: every step of a small row,
      // and for a big row at the start of an epoch, every `carrySteps` steps, and when the
      // largest weight has moved away. In between, the last step carried them (exactly enough
      // that the logs and weights do not change: see `RowKernel.carryColumns`).
      let carries = c.enabled && kk >= RowKernel.carryColumns
      if !(carries && c.live && c.since < RowKernel.carrySteps && abs(m - c.reference) <= 1) { c.restart(at: m) }
      var e0 = nd > 0 ? RowKernel.exp1(ww0 - c.reference) : 0
      // The argmax breaks exact ties by the lowest id, and carried exps are within ulps of fresh
      // ones, not equal: when the target's exp is near the largest and so is another's (weights
      // a tiny learning rate keeps nearly equal), this step's exps are computed afresh.
      var carriedSum = 0.0
      if c.live {
        let (z, top) = RowKernel.sum(s, kk)
        carriedSum = z
        let best = nd > 0 && e0 > top ? e0 : top
        let near = best * (1 - RowKernel.nearTie)
        if (t < kk ? s[t] : e0) >= near {
          var candidates = nd > 0 && e0 >= near ? 1 : 0
          candidates += RowKernel.count(s, kk, atLeast: near)
          if candidates > 1 {
            c.restart(at: m)
            e0 = nd > 0 ? RowKernel.exp1(ww0 - m) : 0
          }
        }
      }
      let ref = c.reference
      // A bound on the largest p times lr, over rz: the largest exp is the largest weight's.
      let dnum = carries ? lr * RowKernel.exp1(maxW - ref) * (1 + 1e-9) : .nan
      // The probabilities are e · (1 / z) everywhere (kernels, target, shared weight, ties), so
      // equal exps give equal probabilities.
      let rz: Double
      let st: Double
      let wtOld: Double
      let maxS: Double
      let degree: Int
      if let team, kk >= RowKernel.teamColumns, !c.live {
        // Both threads: the same sums in the same order, the update split (same bits). Only for
        // exps computed afresh: a carried step is short, and the driver reads the whole row
        // before it (the near-tie check), so splitting it would move the helper's half between
        // the cores' caches every step (measured: 13 s against 5 s on a unigram).
        let r = team.step(
          w, s, carryTo: carries ? s2 : nil, kk, m: ref, head: Double(nd) * e0, lr: lr, dnum: dnum, target: t)
        (rz, st, wtOld) = (1.0 / r.z, t < kk ? r.s_target : 0, t < kk ? r.w_target : 0)
        (maxS, maxW) = (r.max_s, r.max_w)
        degree = Int(r.degree)
      } else {
        rz = 1.0 / (Double(nd) * e0 + (c.live ? carriedSum : RowKernel.expSum(w, s, kk, ref)))
        st = t < kk ? s[t] : 0
        wtOld = t < kk ? w[t] : 0
        degree = carries ? RowKernel.carryDegree(dnum * rz) : 0
        if degree > 0 {
          (maxS, maxW) = RowKernel.updateCarry(w, s, s2, kk, rz: rz, lr, degree: degree)
        } else {
          (maxS, maxW) = RowKernel.update(w, s, kk, rz: rz, lr)
        }
      }
      let p0 = e0 * rz
      let pt = t < kk ? st * rz : p0
      let stepLoss = -libmLog(pt > 1e-12 ? pt : 1e-12)
      loss += stepLoss
      stepLosses?[q] = stepLoss
      if t < kk {
        w[t] = wtOld - lr * (pt - 1.0)
        if w[t] > maxW { maxW = w[t] }
      }
      // The largest p: the explicit columns' (p = s · rz rounds monotonically in s, so it is the
      // largest s's) or the shared weight's. Only a step whose target has it can count as correct
      // (for any member of the class): only then are the ties counted, from the exps (`s` still
      // holds them), as the argmax's lowest-id rule needs them.
      let explicitMax = kk > 0 ? maxS * rz : -1.0
      let defaultTied = nd > 0 && p0 >= explicitMax
      let maxP = defaultTied ? p0 : explicitMax
      if pt == maxP {
        var explicitTies = 0
        if explicitMax == maxP { for j in 0..<kk where s[j] * rz == maxP { explicitTies += 1 } }
        let ties = (defaultTied ? 1 : 0) + explicitTies
        if ties == 1 && !defaultTied {
          correct += 1  // the target alone (explicit: pt == maxP)
        } else if ties == 1 && t < kk {
          // The shared weight wins alone and the target is explicit: wrong for every member.
        } else {
          var tied: [Int32] = []
          if ties > 1 { for j in 0..<kk where s[j] * rz == maxP { tied.append(Int32(j)) } }
          events.append(TieEvent(localTarget: Int32(t), kAtStep: Int32(kk), defaultTied: defaultTied, tied: tied))
        }
      }
      if t == kk {
        w[kk] = ww0 - lr * (p0 - 1.0)
        if w[kk] > maxW { maxW = w[kk] }
      }
      if degree > 0 {
        // The target's exp (its weight gained, where the carry assumed a loss), afresh.
        s2[t] = RowKernel.exp1(w[t] - ref)
        c.live = true
        c.since += 1
        c.second.toggle()
      } else {
        c.live = false
      }
      if t == kk { kk += 1 }
      ww0 -= lr * p0
    }
    k = kk
    w0 = ww0
    carry = c
    return (loss, correct)
  }

  /// Mean held-out loss (nats, probabilities clamped at 1e-12 as in training) and the share of
  /// held-out pairs with a context never seen in training (scored as uniform).
  func score(_ pairs: [Trainer.HeldOutPair]) -> (Double, Double) {
    guard !pairs.isEmpty else { return (0, 0) }
    var loss = 0.0
    var unseen = 0
    // A row's max, shared exp and normaliser, made once for all its held-out pairs (by class:
    // rows of a class have the same weights); the same operations as making them per pair.
    var rowSums: [Int: (m: Double, e0: Double, z: Double)] = [:]
    for pair in pairs {
      let p: Double
      if pair.row < 0 {
        unseen += 1
        p = 1 / Double(v)
      } else {
        let c = Int(index.classOf[Int(pair.row)])
        let w = weights + index.colOffsets[Int(index.classRep[c])]
        let kk = k[c]
        let sums: (m: Double, e0: Double, z: Double)
        if let known = rowSums[c] {
          sums = known
        } else {
          let nd = v - kk
          var m = nd > 0 ? w0[c] : -Double.infinity
          for j in 0..<kk where w[j] > m { m = w[j] }
          let e0 = nd > 0 ? libmExp(w0[c] - m) : 0
          var z = Double(nd) * e0
          for j in 0..<kk { z += libmExp(w[j] - m) }
          sums = (m, e0, z)
          rowSums[c] = sums
        }
        let local = Int(pair.local)
        p = (local >= 0 && local < kk ? libmExp(w[local] - sums.m) : sums.e0) / sums.z
      }
      loss += -libmLog(p > 1e-12 ? p : 1e-12)
    }
    return (loss / Double(pairs.count), Double(unseen) / Double(pairs.count))
  }

  /// The lowest token id not among the first `k` explicit columns of a row.
  func lowestUntouched(_ cols: [Int32], _ start: Int, _ k: Int) -> Int32 {
    if k == 0 { return 0 }
    var ids = Array(cols[start..<(start + k)])
    ids.sort()
    var low: Int32 = 0
    for id in ids {
      if id == low { low += 1 } else if id > low { break }
    }
    return low
  }

  /// The trained model: every row's own columns with its class's weights.
  func model(vocabulary: Vocabulary) -> NgramModel {
    var rowW0 = [Double](repeating: 0, count: index.rowCount)
    var rowK = [Int32](repeating: 0, count: index.rowCount)
    var rowWeights = [Double](repeating: 0, count: index.cols.count)
    for r in 0..<index.rowCount {
      let c = Int(index.classOf[r])
      let rep = Int(index.classRep[c])
      rowW0[r] = w0[c]
      rowK[r] = Int32(k[c])
      let src = index.colOffsets[rep]
      let dst = index.colOffsets[r]
      for j in 0..<k[c] { rowWeights[dst + j] = weights[src + j] }
    }
    return NgramModel(
      vocabulary: vocabulary, contextLength: index.contextLength, rowContexts: index.rowContexts,
      rowDefault: rowW0, rowExplicitCount: rowK, colOffsets: index.colOffsets, cols: index.cols,
      weights: rowWeights)
  }
}
