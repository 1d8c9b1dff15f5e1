import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import NgramTUI

/// `ngram-tui repl`: one context per line on stdin, its top-k on stdout.
struct Repl: Command {
  static let name = "repl"
  static let abstract = "Line REPL: read a context per line on stdin, print its top-k."
  var directory = DirectoryOption()
  var topK = TopKOption<FivePredictions>()
  var arpa: String?

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory), .group(\.topK),
      .option("arpa", \.arpa, help: "Answer with this ARPA model (plain or .gz) instead of DIR's (see ARPA models)."),
    ]
  }

  func run() throws {
    if let arpa { return try Self.runARPA(path: arpa, topk: topK.topk) }
    try Self.run(directory: directory.dir, topk: topK.topk)
  }

  /// The line REPL (also what the bare command runs when stdin or stdout is not a terminal).
  static func run(directory: String, topk: Int) throws {
    let model = try ArtifactStore.load(directory: directory).model
    let n = model.contextLength.value
    try forEachLine(
      banner:
        "ngram-tui repl: type \(n) context token\(n == 1 ? "" : "s") per line (the last \(n) are used); Ctrl-D quits."
    ) { words in
      if words.count < n {
        print("need \(n) context token\(n == 1 ? "" : "s"), got \(words.count)")
        return
      }
      let ctx = Array(words.suffix(n))
      do {
        let ids = try model.ids(for: ctx)
        for line in describe(model.topK(context: ids, k: topk), context: ctx, seen: model.isTrained(context: ids)) {
          printLine(line)
        }
      } catch {
        printLine("error: " + CommandLineWords.message(for: error))
      }
    }
  }

  /// The REPL's loop: on a terminal prints `banner` and a `> ` prompt before each line; hands
  /// each non-empty line's words to `body` and flushes its output; ends at end of input.
  static func forEachLine(banner: String, _ body: ([String]) throws -> Void) throws {
    let interactive = isatty(0) == 1
    if interactive { print(banner) }
    var input = StandardInputLines()
    var number = 0
    while true {
      if interactive {
        print("> ", terminator: "")
        fflush(nil)
      }
      guard let bytes = input.next() else { break }
      number += 1
      // readLine replaced invalid bytes with U+FFFD, so the error named a token nobody typed.
      guard let line = String(validating: bytes, as: UTF8.self) else {
        printLine("error: line \(number) of the input is not valid UTF-8 (give UTF-8 text, e.g. convert it with iconv)")
        fflush(nil)
        continue
      }
      let words = line.pythonSplit()
      if words.isEmpty { continue }
      try body(words)
      fflush(nil)
    }
  }
}

/// The lines of standard input as bytes (without their newline), read with read(2), so that
/// invalid UTF-8 can be reported rather than silently replaced.
struct StandardInputLines {
  private var buffer: [UInt8] = []
  private var start = 0
  private var atEnd = false

  /// The next line, or nil at the end of the input.
  mutating func next() -> [UInt8]? {
    while true {
      if let newline = buffer[start...].firstIndex(of: 0x0A) {
        let line = Array(buffer[start..<newline])
        start = newline + 1
        return line
      }
      if atEnd {
        guard start < buffer.count else { return nil }
        let line = Array(buffer[start...])
        start = buffer.count
        return line
      }
      buffer.removeFirst(start)
      start = 0
      var chunk = [UInt8](repeating: 0, count: 1 << 16)
      let n = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
      if n < 0 && errno == EINTR { continue }
      if n <= 0 { atEnd = true } else { buffer.append(contentsOf: chunk[0..<n]) }
    }
  }
}
