import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The whole `train` pipeline: locate and read the corpus, train, write artifacts atomically.
public enum TrainingSession {
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

  /// Runs the pipeline; `onEpoch` is called after every epoch with the epoch and the total.
  public static func run(
    directory: String, corpusOverride: String?, config: TrainingConfig, format: WeightsFormat,
    denseLimit: Int, control: TrainingControl, onEpoch: ((EpochStats, Int) -> Void)?
  ) throws -> Result {
    try config.validate()
    let path = try Corpus.locate(directory: directory, corpusOverride: corpusOverride)
    let corpus = try Corpus.load(path: path)
    let trainer = try Trainer(corpus: corpus, config: config)
    // One writer per folder: a second run stops here, before training, naming the holder.
    let lock = try ArtifactStore.lock(directory: directory)
    let total = config.epochs
    let box = EpochPrinter(onEpoch)
    let outcome = try trainer.run(control: control) { p in
      if p.pairsDone == p.pairsPerEpoch, let last = p.history.last { box.emit(last, total) }
    }
    if control.isCancelled { throw NgramError.cancelled }
    let written = try ArtifactStore.write(
      directory: directory, corpus: corpus, config: config, model: outcome.model, log: outcome.log, format: format,
      denseCellLimit: denseLimit, validation: outcome.validation, lock: lock, isCancelled: { control.isCancelled })
    return Result(
      corpus: corpus, model: outcome.model, log: outcome.log, validation: outcome.validation, pairs: trainer.pairCount,
      written: written)
  }
}

/// Forwards epoch lines to a non-Sendable printer from the trainer's observer.
final class EpochPrinter: @unchecked Sendable {
  let body: ((EpochStats, Int) -> Void)?
  var last = 0
  init(_ body: ((EpochStats, Int) -> Void)?) { self.body = body }
  func emit(_ e: EpochStats, _ total: Int) {
    guard e.epoch > last else { return }
    last = e.epoch
    body?(e, total)
  }
}
