import Foundation
import Synchronization

/// Runs the state's slow jobs one at a time on a background queue and keeps their results
/// until the UI loop takes them.
final class JobRunner: Sendable {
  private let queue = DispatchQueue(label: "ngram-tui.jobs", qos: .userInitiated)
  private let done = Mutex<[JobResult]>([])
  private let running = Atomic<Int>(0)

  /// Queues `job`; its result appears in `take()` when finished.
  func submit(_ job: Job) {
    running.add(1, ordering: .relaxed)
    queue.async { [self] in
      let r = job.perform()
      done.withLock { $0.append(r) }
      running.subtract(1, ordering: .relaxed)
    }
  }

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
