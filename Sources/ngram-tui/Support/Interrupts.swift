import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import NgramTUI

/// Cancels `control` on SIGINT (Ctrl-C) or SIGTERM. Outside the write phase (reading, indexing,
/// training: nothing on disk to clean up) the program ends at once with status 130; while a set
/// is being written the writer notices the cancel within milliseconds, removes its files, and
/// the command ends with 130 as usual.
func installInterruptHandler(_ control: TrainingControl) -> InterruptHandler {
  signal(SIGINT, SIG_IGN)
  signal(SIGTERM, SIG_IGN)
  let q = DispatchQueue(label: "ngram-tui.signals")
  let onSignal = {
    // End at once outside the write phase; only a write in progress is cancelled (it removes its
    // files and the command reports the cancel). Cancelling first would let the main thread
    // report the cancel too, racing this handler's line.
    let ended = ArtifactStore.endIfNotWriting {
      NgramCommand.printError(CommandLineWords.message(for: NgramError.cancelled))
      _exit(130)
    }
    if !ended { control.cancel() }
  }
  let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: q)
  src.setEventHandler(handler: onSignal)
  src.resume()
  let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: q)
  term.setEventHandler(handler: onSignal)
  term.resume()
  return InterruptHandler(sources: [src, term])
}

/// Keeps the signal sources alive; `cancel()` stops listening.
struct InterruptHandler {
  let sources: [DispatchSourceSignal]
  func cancel() { sources.forEach { $0.cancel() } }
}
