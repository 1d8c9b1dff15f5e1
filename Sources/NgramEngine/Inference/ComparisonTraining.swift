import Dispatch
import Synchronization

/// Compare's trainings for several context lengths, side by side on the cores: each length's
/// run on the whole corpus (its answers, training loss and contexts) and, with a holdout, its
/// run on the head (the first 1 − holdout of the tokens), scored on the tail after the last
/// epoch. Both `ngram-tui compare` and the explorer's Compare screen train through `train`.
///
/// Every training is the same `Trainer` run as one started alone, so the numbers are those of
/// training one length after another; only the threads differ (the trainer's results do not
/// depend on them). A run already made (the explorer's own) stands in for the training it
/// equals.
public enum ComparisonTraining {
  /// One training of a comparison.
  public struct Job: Sendable, Equatable {
    /// Its context length.
    public let contextLength: Int
    /// Whether it trains on the head for the held-out scores (else on the whole corpus).
    public let heldOut: Bool

    /// Creates a job description.
    public init(contextLength: Int, heldOut: Bool) {
      self.contextLength = contextLength
      self.heldOut = heldOut
    }

    /// "context N whole corpus" or "context N head (held-out score)".
    public var name: String { "context \(contextLength) \(heldOut ? "head (held-out score)" : "whole corpus")" }
  }

  /// What happens while the trainings run; reported from the threads that run them, so a
  /// receiver must be safe to call from any thread (it is never called two at a time for one
  /// job, but jobs report concurrently).
  public enum Event: Sendable {
    /// A training started.
    case started(Job)
    /// A training ended (trained, failed or cancelled) after `seconds` of wall time.
    case finished(Job, seconds: Double)
    /// Every training of a context length has ended: its model, or why there is none.
    case ready(contextLength: Int, Result<TrainedContextModel, any Error>)
  }

  /// The trainings that `train` runs for these lengths, in the order they start: the sparsest
  /// lengths first (the longest contexts: fewest columns per row, seconds at most), so their
  /// results come first; each length's whole-corpus run, then its head run. A `run` with one of
  /// the lengths replaces its whole-corpus training (`runHoldout` 0) or its head training
  /// (`runHoldout` equal to `holdout`).
  public static func jobs(
    contextLengths: [Int], holdout: Double, reusing run: TrainingOutcome? = nil, runHoldout: Double = 0
  ) -> [Job] {
    var jobs: [Job] = []
    for n in Set(contextLengths).sorted(by: >) {
      let reused = run?.model.contextLength.value == n
      if !(reused && runHoldout == 0) { jobs.append(Job(contextLength: n, heldOut: false)) }
      if holdout > 0 && !(reused && runHoldout == holdout) { jobs.append(Job(contextLength: n, heldOut: true)) }
    }
    return jobs
  }

  /// Trains every context length of `contextLengths` on `corpus` as `train --context n` does,
  /// and with `holdout` > 0 once more on the head for the held-out scores after the last epoch
  /// (as `train --holdout`'s last eval_log line); returns each length's model (or why it has
  /// none) in the order of `contextLengths`.
  ///
  /// The trainings (`jobs`) run on up to `cores` threads at once, the cheapest first; while two
  /// run, each trains on one thread, and a training left alone uses all `cores` from its next
  /// epoch on. Blocks until all have ended; `control` cancels them (each then fails with
  /// `NgramError.cancelled`). `onEvent` hears each training start and end and each length
  /// become ready, as it happens.
  public static func train(
    corpus: Corpus, contextLengths: [Int], learningRate: Double, epochs: Int, holdout: Double,
    reusing run: TrainingOutcome? = nil, runHoldout: Double = 0, cores: Int = onlineProcessorCount(),
    control: TrainingControl = TrainingControl(), onEvent: (@Sendable (Event) -> Void)? = nil
  ) -> [Result<TrainedContextModel, any Error>] {
    train(
      corpus: corpus, contextLengths: contextLengths, learningRate: learningRate, epochs: epochs, holdout: holdout,
      reusing: run, runHoldout: runHoldout, cores: cores, sideBySide: cores, control: control, onEvent: onEvent)
  }

  /// `train` with at most `sideBySide` trainings at once (1: one after another, each on all
  /// `cores`), for measuring.
  static func train(
    corpus: Corpus, contextLengths: [Int], learningRate: Double, epochs: Int, holdout: Double,
    reusing run: TrainingOutcome?, runHoldout: Double, cores: Int, sideBySide: Int, control: TrainingControl,
    onEvent: (@Sendable (Event) -> Void)?
  ) -> [Result<TrainedContextModel, any Error>] {
    let jobs = jobs(contextLengths: contextLengths, holdout: holdout, reusing: run, runHoldout: runHoldout)
    let board = Board(jobs: jobs, needsHeldOut: holdout > 0)
    let reused = run.flatMap { r in contextLengths.contains(r.model.contextLength.value) ? r : nil }
    if let reused {
      // The explorer's own run: the whole-corpus model, or the head run's held-out scores.
      let n = reused.model.contextLength.value
      if runHoldout == 0 {
        board.record(Job(contextLength: n, heldOut: false), .success(reused), onEvent: onEvent)
      } else if runHoldout == holdout {
        board.record(Job(contextLength: n, heldOut: true), .success(reused), onEvent: onEvent)
      }
    }
    let share = CoreShare(cores: max(1, cores))
    @Sendable func runJobs() {
      while let job = board.nextJob() {
        onEvent?(.started(job))
        let start = DispatchTime.now().uptimeNanoseconds
        share.enter()
        let result = Result<TrainingOutcome, any Error> {
          if control.isCancelled { throw NgramError.cancelled }
          let config = TrainingConfig(
            contextLength: job.contextLength, learningRate: learningRate, epochs: epochs,
            holdout: job.heldOut ? holdout : 0)
          return try Trainer(corpus: corpus, config: config).run(
            control: control, workers: { share.workers }, scoring: .lastEpoch, observer: nil)
        }
        share.leave()
        onEvent?(.finished(job, seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        board.record(job, result, onEvent: onEvent)
      }
    }
    let threads = max(1, min(sideBySide, jobs.count))
    let group = DispatchGroup()
    for t in 1..<threads {
      // Threads of their own (not `concurrentPerform`'s): a training's own worker threads must
      // be free to start beside them.
      DispatchQueue(label: "ngram-tui.comparison-\(t)", qos: .userInitiated).async(group: group) { runJobs() }
    }
    runJobs()
    group.wait()
    return contextLengths.map { board.result(for: $0) }
  }
}

/// The cores shared by the trainings running at once: each gets an equal share (at least one
/// thread), asked for again before each of its epochs.
private final class CoreShare: Sendable {
  let cores: Int
  private let running = Atomic<Int>(0)

  init(cores: Int) { self.cores = cores }

  func enter() { running.add(1, ordering: .relaxed) }
  func leave() { running.subtract(1, ordering: .relaxed) }

  /// Threads for the next epoch of one of the running trainings.
  var workers: Int { max(1, cores / max(1, running.load(ordering: .relaxed))) }
}

/// The trainings still to start, their outcomes, and each length's result once all its
/// trainings have ended.
private final class Board: Sendable {
  private struct State {
    var outcomes: [Int: (whole: Result<TrainingOutcome, any Error>?, heldOut: Result<TrainingOutcome, any Error>?)] =
      [:]
    var results: [Int: Result<TrainedContextModel, any Error>] = [:]
  }
  private let state = Mutex(State())
  private let jobs: [ComparisonTraining.Job]
  private let next = Atomic<Int>(0)
  /// Whether a length is ready only with a head run's outcome (holdout > 0).
  private let needsHeldOut: Bool

  /// For trainings `jobs` (run in this order).
  init(jobs: [ComparisonTraining.Job], needsHeldOut: Bool) {
    self.jobs = jobs
    self.needsHeldOut = needsHeldOut
  }

  /// The next training to start (each is handed out once), or nil when all have started.
  func nextJob() -> ComparisonTraining.Job? {
    let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
    return i < jobs.count ? jobs[i] : nil
  }

  /// Records a training's outcome; reports the length ready when this was its last.
  func record(
    _ job: ComparisonTraining.Job, _ outcome: Result<TrainingOutcome, any Error>,
    onEvent: (@Sendable (ComparisonTraining.Event) -> Void)?
  ) {
    let n = job.contextLength
    let ready: Result<TrainedContextModel, any Error>? = state.withLock { s in
      var o = s.outcomes[n] ?? (nil, nil)
      if job.heldOut { o.heldOut = outcome } else { o.whole = outcome }
      s.outcomes[n] = o
      guard let whole = o.whole, o.heldOut != nil || !needsHeldOut else { return nil }
      let result = Result<TrainedContextModel, any Error> {
        let w = try whole.get()
        let held = try o.heldOut?.get()
        return TrainedContextModel(contextLength: n, whole: w, heldOut: held?.validation.last)
      }
      s.results[n] = result
      return result
    }
    if let ready { onEvent?(.ready(contextLength: n, ready)) }
  }

  /// Length `n`'s result (after `train` has run every job).
  func result(for n: Int) -> Result<TrainedContextModel, any Error> {
    state.withLock { $0.results[n] } ?? .failure(NgramError.invalidOption("context length \(n) was not trained"))
  }
}
