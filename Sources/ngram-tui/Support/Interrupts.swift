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

/// Cancels `control` on SIGINT (Ctrl-C) or SIGTERM so the run can clean up before exiting.
func installInterruptHandler(_ control: TrainingControl) -> InterruptHandler {
  signal(SIGINT, SIG_IGN)
  signal(SIGTERM, SIG_IGN)
  let q = DispatchQueue(label: "ngram-tui.signals")
  let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: q)
  src.setEventHandler { control.cancel() }
  src.resume()
  let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: q)
  term.setEventHandler { control.cancel() }
  term.resume()
  return InterruptHandler(sources: [src, term])
}

/// Keeps the signal sources alive; `cancel()` stops listening.
struct InterruptHandler {
  let sources: [DispatchSourceSignal]
  func cancel() { sources.forEach { $0.cancel() } }
}
