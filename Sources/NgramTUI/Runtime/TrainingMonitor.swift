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
import NgramEngine
import Synchronization

/// The hand-off between the training thread and the UI: the latest status and, at the end, the model.
final class TrainingMonitor: Sendable {
  private struct Shared {
    var status = TrainStatus()
    var model: NgramModel?
    var version = 0
    var finished = false
  }
  private let shared = Mutex(Shared())

  /// Records a progress report from the trainer.
  func publish(_ p: TrainingProgress) {
    shared.withLock { s in
      // Workers report from several threads: never let the running epoch's count go backwards.
      if p.epochsDone == s.status.epochsDone && p.pairsDone < s.status.pairsDone && !p.paused
        && p.pairsDone < p.pairsPerEpoch
      {
        return
      }
      s.status.epochsDone = p.epochsDone
      s.status.pairsDone = p.pairsDone
      s.status.runningLoss = p.runningLoss
      s.status.runningAccuracy = p.runningAccuracy
      if s.status.history.count != p.history.count {
        s.status.history = p.history.map { EpochPoint(loss: $0.avgLoss, accuracy: $0.accuracy) }
      }
      if s.status.heldOut.count != p.validation.count {
        s.status.heldOut = p.validation.map(\.valLoss)
        s.status.unseenContexts = p.validation.last?.unseenContexts ?? 0
      }
      s.status.elapsed = p.elapsed
      s.status.trainerPaused = p.paused
      s.version += 1
    }
  }

  /// Records the trained model; the phase becomes `.writing`.
  func trained(_ model: NgramModel) {
    shared.withLock { s in
      s.model = model
      s.status.phase = .writing
      s.status.trainerPaused = false
      s.version += 1
    }
  }

  /// Records the final phase and marks the run finished.
  func finish(_ phase: TrainPhase) {
    shared.withLock { s in
      s.status.phase = phase
      s.finished = true
      s.version += 1
    }
  }

  /// The latest status, its version and the model (if trained).
  func snapshot() -> (status: TrainStatus, version: Int, model: NgramModel?) {
    shared.withLock { s in (s.status, s.version, s.model) }
  }

  /// The change counter alone (cheap to poll).
  var version: Int { shared.withLock { $0.version } }

  /// Whether the training thread has finished (successfully or not).
  var finished: Bool { shared.withLock { $0.finished } }

  /// Trains on a background thread, then writes the artifacts; reports everything to `self`.
  func start(
    trainer: Trainer, corpus: Corpus, directory: String, format: WeightsFormat, control: TrainingControl
  ) {
    DispatchQueue(label: "ngram-tui.training").async { [self] in
      do {
        let lock = try ArtifactStore.lock(directory: directory)
        let outcome = try trainer.run(control: control) { self.publish($0) }
        self.trained(outcome.model)
        let written = try ArtifactStore.write(
          directory: directory, corpus: corpus, config: trainer.config, model: outcome.model, log: outcome.log,
          format: format, validation: outcome.validation, lock: lock, isCancelled: { control.isCancelled })
        let dir = Paths.join(directory, "artifacts")
        self.finish(.saved("\(dir) (\(written.format.rawValue) weights) and outputs/train_log.csv"))
      } catch NgramError.cancelled {
        self.finish(.cancelled)
      } catch {
        self.finish(.failed((error as? NgramError)?.description ?? "\(error)"))
      }
    }
  }
}
