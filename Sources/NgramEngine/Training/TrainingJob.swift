import Dispatch
import Synchronization

/// One training run, from a directory to artifacts on disk: locate the corpus, read it, index
/// its pairs, train, write. The one pipeline behind `ngram-tui train` and the explorer.
///
/// `run` reports what happens as ``Event``s, in order, to one consumer on the calling thread:
/// progress within an epoch, each finished epoch with its statistics, the trained model, the
/// written artifacts.
public struct TrainingJob: Sendable {
  /// The base directory: `corpus/` is read from it (unless `corpusOverride` is set) and
  /// `artifacts/` and `outputs/` are written under it.
  public var directory: String
  /// A corpus file to read instead of the single file in `directory/corpus`.
  public var corpusOverride: String?
  /// The training settings.
  public var config: TrainingConfig
  /// The weights format to write.
  public var format: WeightsFormat
  /// The largest dense weights table (in numbers) written when `format` is `.auto` or `.dense`.
  public var denseCellLimit: Int
  /// Threads that train rows in parallel.
  public var workers: Int

  /// Describes a run; nothing is read until `prepare` or `run`.
  public init(
    directory: String, corpusOverride: String? = nil, config: TrainingConfig = TrainingConfig(),
    format: WeightsFormat = .auto, denseCellLimit: Int = WeightsFormat.defaultDenseCellLimit,
    workers: Int = onlineProcessorCount()
  ) {
    self.directory = directory
    self.corpusOverride = corpusOverride
    self.config = config
    self.format = format
    self.denseCellLimit = denseCellLimit
    self.workers = workers
  }

  /// The corpus read and its pairs indexed: the first steps of the job, ready to train.
  public struct Prepared: Sendable {
    /// The corpus.
    public let corpus: Corpus
    /// The trainer over its pairs.
    public let trainer: Trainer

    /// A corpus already read, and a trainer made from it with the job's settings.
    public init(corpus: Corpus, trainer: Trainer) {
      self.corpus = corpus
      self.trainer = trainer
    }
  }

  /// What happens during a run, in the order it happens.
  public enum Event: Sendable {
    /// Within an epoch: the pairs done so far and their running loss and accuracy (also sent,
    /// with `paused` set, when the run stops at an epoch boundary to wait for `resume` or a step).
    case progress(TrainingProgress)
    /// An epoch finished: its log line, its held-out score (with a holdout) and the run so far.
    case epochFinished(EpochStats, ValidationStats?, TrainingProgress)
    /// Every epoch ran; the artifacts are written next.
    case trained(TrainingOutcome)
    /// The artifacts are written.
    case saved(WrittenArtifacts)
  }

  /// What a finished run produced.
  public struct Result: Sendable {
    /// The corpus trained on.
    public let corpus: Corpus
    /// The trained model.
    public let model: NgramModel
    /// The training log.
    public let log: [EpochStats]
    /// Held-out scores per epoch (empty without holdout).
    public let validation: [ValidationStats]
    /// Training pairs per epoch.
    public let pairs: Int
    /// What was written.
    public let written: WrittenArtifacts
  }

  /// Checks the settings, locates and reads the corpus and indexes its pairs (the job's steps
  /// before training); throws what is wrong with them.
  public func prepare() throws -> Prepared {
    try config.validate()
    let path = try Corpus.locate(directory: directory, corpusOverride: corpusOverride)
    let corpus = try Corpus.load(path: path)
    // The vocabulary decides whether dense weights fit: refuse them now, not after training.
    _ = try format.resolved(
      vocabSize: corpus.vocabulary.count, contextLength: config.contextLength, denseCellLimit: denseCellLimit)
    return Prepared(corpus: corpus, trainer: try Trainer(corpus: corpus, config: config))
  }

  /// Runs the whole job on the calling thread; `onEvent` is called on this thread, in order.
  ///
  /// Throws `NgramError.cancelled` when `control` is cancelled (nothing is written then, and
  /// artifacts from an earlier run are left as they were).
  public func run(control: TrainingControl = TrainingControl(), onEvent: (Event) -> Void = { _ in }) throws -> Result {
    try run(prepare(), control: control, onEvent: onEvent)
  }

  /// Trains and writes a prepared job; `onEvent` is called on the calling thread, in order.
  public func run(
    _ prepared: Prepared, control: TrainingControl = TrainingControl(), onEvent: (Event) -> Void = { _ in }
  ) throws -> Result {
    // One writer per folder: a second run stops here, before training, naming the holder.
    let lock = try ArtifactStore.lock(directory: directory)
    let trainer = prepared.trainer
    let workers = self.workers
    // The trainer runs on its own thread and reports from its workers; the reports are handed
    // to this thread through a queue and delivered here, in the order they were made.
    let reports = ReportQueue()
    DispatchQueue(label: "ngram-tui.training-job").async {
      do {
        let outcome = try trainer.run(control: control, workers: workers) { reports.send(.progress($0)) }
        reports.send(.finished(.success(outcome)))
      } catch {
        reports.send(.finished(.failure(error)))
      }
    }
    var epochs = 0
    var finished: Swift.Result<TrainingOutcome, any Error>?
    while finished == nil {
      switch reports.receive() {
      case .progress(let p):
        if p.history.count > epochs, let last = p.history.last {
          epochs = p.history.count
          onEvent(.epochFinished(last, p.validation.count == epochs ? p.validation.last : nil, p))
        } else {
          onEvent(.progress(p))
        }
      case .finished(let result):
        finished = result
      }
    }
    let outcome = try finished!.get()
    if control.isCancelled { throw NgramError.cancelled }
    onEvent(.trained(outcome))
    let written = try ArtifactStore.write(
      directory: directory, corpus: prepared.corpus, config: config, model: outcome.model, log: outcome.log,
      format: format, denseCellLimit: denseCellLimit, validation: outcome.validation, lock: lock,
      isCancelled: { control.isCancelled })
    onEvent(.saved(written))
    return Result(
      corpus: prepared.corpus, model: outcome.model, log: outcome.log, validation: outcome.validation,
      pairs: trainer.pairCount, written: written)
  }
}

/// A first-in, first-out hand-off of the trainer's reports from any thread to the one thread
/// that runs the job: each `send` is matched by one `receive`, which blocks until it arrives.
private final class ReportQueue: Sendable {
  enum Report: Sendable {
    case progress(TrainingProgress)
    case finished(Swift.Result<TrainingOutcome, any Error>)
  }

  private let reports = Mutex<(items: [Report], head: Int)>(([], 0))
  private let available = DispatchSemaphore(value: 0)

  func send(_ report: Report) {
    reports.withLock { $0.items.append(report) }
    available.signal()
  }

  func receive() -> Report {
    available.wait()
    return reports.withLock { q in
      let r = q.items[q.head]
      q.head += 1
      if q.head == q.items.count {
        q.items.removeAll(keepingCapacity: true)
        q.head = 0
      }
      return r
    }
  }
}
