import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import Synchronization

/// The hand-off between the training job and the UI: the job's events, received in order on
/// its thread, become the latest status and, at the end, the model.
final class TrainingMonitor: Sendable {
  private struct Shared {
    var status = TrainStatus()
    var model: NgramModel?
    var run: TrainingOutcome?
    var version = 0
    var finished = false
  }
  private let shared = Mutex(Shared())
  /// Entered when the job starts, left when it has finished (and cleaned up).
  private let running = DispatchGroup()

  /// Applies one event of the training job (events arrive in order, from one thread).
  func receive(_ event: TrainingJob.Event) {
    switch event {
    case .progress(let p), .epochFinished(_, _, let p): publish(p)
    case .trained(let outcome): trained(outcome.model, run: outcome)
    case .saved: break
    }
  }

  /// Records a progress report.
  func publish(_ p: TrainingProgress) {
    shared.withLock { s in
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
  func trained(_ model: NgramModel, run: TrainingOutcome? = nil) {
    shared.withLock { s in
      s.model = model
      s.run = run
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

  /// The latest status, its version, the model (if trained) and the whole run.
  func snapshot() -> (status: TrainStatus, version: Int, model: NgramModel?, run: TrainingOutcome?) {
    shared.withLock { s in (s.status, s.version, s.model, s.run) }
  }

  /// The change counter alone (cheap to poll).
  var version: Int { shared.withLock { $0.version } }

  /// Whether the training job has finished (successfully or not).
  var finished: Bool { shared.withLock { $0.finished } }

  /// Runs the prepared training job (train, then write the artifacts) on a background thread,
  /// feeding its events to `self`.
  func start(_ job: TrainingJob, _ prepared: TrainingJob.Prepared, control: TrainingControl) {
    running.enter()
    DispatchQueue(label: "ngram-tui.training").async { [self] in
      defer { running.leave() }
      do {
        let result = try job.run(prepared, control: control) { self.receive($0) }
        let dir = Paths.join(job.directory, "artifacts")
        self.finish(.saved("\(dir) (\(result.written.format.rawValue) weights) and outputs/train_log.csv"))
      } catch NgramError.cancelled {
        self.finish(.cancelled)
      } catch {
        self.finish(.failed(CommandLineWords.message(for: error)))
      }
    }
  }

  /// Waits (at most `seconds`) for a started job to finish, e.g. to clean up after a cancel.
  func waitUntilFinished(seconds: Double) {
    _ = running.wait(timeout: .now() + seconds)
  }
}
