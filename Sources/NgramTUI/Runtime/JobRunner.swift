import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import Synchronization

/// Runs the state's slow jobs on background queues and keeps their results until the UI loop
/// takes them (a job may hand back several, e.g. one per context length as each is trained):
/// Compare's training on one queue (its trainings then run side by side on the cores), time-travel
/// replays on another (so a long replay never holds up a comparison). A replay still queued when
/// a newer one arrives is skipped: only the latest context's history is wanted. The UI thread
/// never waits for a job.
final class JobRunner: Sendable {
  private let compareQueue = DispatchQueue(label: "ngram-tui.compare", qos: .userInitiated)
  private let historyQueue = DispatchQueue(label: "ngram-tui.history", qos: .userInitiated)
  private let done = Mutex<[JobResult]>([])
  private let running = Atomic<Int>(0)
  private let latestHistory = Atomic<Int>(0)
  /// Cancels Compare's trainings when the explorer quits.
  private let control = TrainingControl()

  /// Queues `job`; its result appears in `take()` when finished.
  func submit(_ job: Job) {
    running.add(1, ordering: .relaxed)
    switch job {
    case .history:
      let generation = latestHistory.add(1, ordering: .relaxed).newValue
      historyQueue.async { [self] in
        if latestHistory.load(ordering: .relaxed) == generation { job.perform(control: control, deliver: finish) }
        running.subtract(1, ordering: .relaxed)
      }
    case .countModel, .arpaHeldOut:
      // Seconds at most: beside the replays rather than behind Compare's training.
      historyQueue.async { [self] in
        job.perform(control: control, deliver: finish)
        running.subtract(1, ordering: .relaxed)
      }
    case .comparison, .embeddings:
      compareQueue.async { [self] in
        job.perform(control: control, deliver: finish)
        running.subtract(1, ordering: .relaxed)
      }
    }
  }

  private func finish(_ r: JobResult) {
    done.withLock { $0.append(r) }
  }

  /// Stops the trainings running or queued (each hands back a cancelled failure); for quitting.
  func cancel() { control.cancel() }

  /// The results finished since the last call, oldest first.
  func take() -> [JobResult] {
    done.withLock { d in
      defer { d = [] }
      return d
    }
  }

  /// Jobs queued or running.
  var pending: Int { running.load(ordering: .relaxed) }
}
