import Dispatch
#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif
import NgramEngine

/// Writes one JSON document to stdout.
func printJSON(_ value: JSONValue) {
  print(value.rendered(indent: nil, sortKeys: false, asciiOnly: false))
}

/// A top-k list as JSON: `[{"token", "id", "probability"}, …]`.
func predictionsJSON(_ preds: [Prediction]) -> JSONValue {
  .array(
    preds.map {
      .object([("token", .string($0.token)), ("id", .int($0.id)), ("probability", .double($0.probability))])
    })
}

/// Prints one line of text on stdout with its control characters shown as `\e`, `\u{9B}`, …
/// (`TerminalText.escape`): every text line built from tokens, file names or arguments goes
/// through here, so data cannot drive the terminal.
func printLine(_ line: String) {
  print(TerminalText.escape(line))
}

/// Formats a top-k list for humans, one line each (tokens already escaped for the terminal);
/// `backedOff`: an unseen context answered from a shorter one (`predict --backoff`), not uniform.
func describe(_ preds: [Prediction], context: [String], seen: Bool, backedOff: Bool = false) -> [String] {
  let unseen = backedOff ? " (context never seen in training)" : " (context never seen in training: uniform)"
  var lines = [
    "next after \(context.isEmpty ? "(no context)" : context.joined(separator: " "))\(seen ? "" : unseen):"
  ]
  let shown = preds.map { TerminalText.escape($0.token) }
  let width = shown.map(\.count).max() ?? 0
  for (p, token) in zip(preds, shown) {
    lines.append(
      "  \(padRight(token, width))  \(padLeft(fixed(p.probability * 100, 2), 6))%  (id \(p.id))"
    )
  }
  return lines
}

/// Ends the run with one error line and status 1 when standard output could not be written (a
/// full disk, a closed descriptor, a pipe whose reader is gone while SIGPIPE is ignored): stdio
/// drops such errors silently, and exiting 0 would tell a script its output is there.
/// (The C global `stdout` is read through a `@preconcurrency` import: the pointer is set before
/// `main` and never reassigned, and every stdio call takes the stream's own lock.)
func finishStandardOutput() {
  let flushed = fflush(stdout) == 0
  let code = errno
  guard !flushed || ferror(stdout) != 0 else { return }
  failStandardOutput(errno: flushed ? 0 : code)
}

/// Gives a closed standard descriptor (`ngram-tui … >&-`) /dev/null opened the other way round,
/// as gnulib's stdopen does: otherwise the next file opened (an artifact being written) would
/// get descriptor 1 and receive what is printed. Writes to it fail with EBADF, which
/// `finishStandardOutput` reports, and reads from a closed stdin see an error.
func reserveStandardDescriptors() {
  for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
    let null = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
    if null >= 0 && null != fd {
      dup2(null, fd)
      close(null)
    }
  }
}

/// Reports that standard output cannot be written and exits 1. `code` is the `errno` of the
/// failed write, or 0 when it is no longer known.
func failStandardOutput(errno code: Int32) -> Never {
  let why = code == 0 ? "write error" : NgramError.reason(errno: code)
  NgramCommand.printError("cannot write to standard output: \(why)")
  exit(1)
}

/// Text written to stdout in 64 KiB pieces, for output too long to build in memory.
struct StreamedOutput {
  private var buffer = ""

  /// Appends `text`, writing the buffer out when it is full.
  mutating func write(_ text: String) {
    buffer += text
    if buffer.utf8.count >= 1 << 16 { flush() }
  }

  /// Writes out what is buffered.
  mutating func flush() {
    print(buffer, terminator: "")
    buffer = ""
    // Stop a long stream (infer --num-tokens 1000000000) as soon as its output cannot be
    // written, rather than generating into a full disk or a closed descriptor until the end.
    if ferror(stdout) != 0 { failStandardOutput(errno: errno) }
  }
}

/// `s` followed by spaces up to `width` characters (never cut).
func padRight(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Spaces, then `s`, up to `width` characters (never cut), like printf's `%Nf` width.
func padLeft(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

/// One JSON value on one line, as `printJSON` writes it.
func jsonText(_ value: JSONValue) -> String { value.rendered(indent: nil, sortKeys: false, asciiOnly: false) }

extension StreamedOutput {
  /// Streams `"generated": [start tokens, then each token `generate` hands over]` without keeping
  /// the tokens, so memory does not grow with `--num-tokens`; returns what `generate` returns.
  mutating func writeGenerated<R>(start: [String], tokens: [String], _ generate: ((Int) -> Void) -> R) -> R {
    write("\"generated\": [")
    var first = true
    for t in start {
      write((first ? "" : ", ") + jsonText(.string(t)))
      first = false
    }
    let result = generate { id in
      write((first ? "" : ", ") + jsonText(.string(tokens[id])))
      first = false
    }
    write("]")
    return result
  }

  /// `, "sampling": {...}` with the sampling settings, when sampling.
  mutating func writeSampling(_ options: SamplingOptions?) {
    guard let o = options else { return }
    let settings: JSONValue = .object([
      ("temperature", .double(o.temperature)), ("top_k", o.topK.map { .int($0) } ?? .null),
      ("top_p", o.topP.map { .double($0) } ?? .null), ("seed", .int(Int(truncatingIfNeeded: o.seed))),
    ])
    write(", \"sampling\": \(jsonText(settings))")
  }
}
