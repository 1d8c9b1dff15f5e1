import ArgumentParser
import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import NgramTUI

/// `ngram-tui bench-tui` (hidden): how long the explorer takes to render a full frame of each
/// screen (render into the grid plus the driver's diff), for issue 4's ≤ 2 ms at 200×60.
struct BenchTUI: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-tui",
    abstract: "Time full explorer frames per screen (release build; see scripts/bench-tui.sh).",
    shouldDisplay: false)
  @Option(help: "Corpus file (default: the one in ./corpus).")
  var corpus: String?
  @Option(help: "Frame width in cells.")
  var width: Int = 200
  @Option(help: "Frame height in cells.")
  var height: Int = 60
  @Option(help: "Frames per screen; medians and min–max are reported.")
  var frames: Int = 300
  @Flag(help: "ASCII glyphs.")
  var ascii = false
  @Option(help: "Text asked on Explore and Compare (default: the corpus's first three tokens).")
  var query: String?
  @Flag(help: "Leave out Compare (it trains context lengths 1-3 first: minutes on a large vocabulary).")
  var skipCompare = false
  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func run() throws {
    let path = try Corpus.locate(directory: ".", corpusOverride: corpus)
    let c = try Corpus.load(path: path)
    let timings = try RenderBenchmark.run(
      corpus: c, width: width, height: height, frames: frames, ascii: ascii,
      query: query.map { $0.split(separator: " ").map(String.init) }, compare: !skipCompare)
    if json {
      let members: [(String, JSONValue)] = timings.map { t in
        let (med, lo, hi) = t.summary
        return (
          t.screen,
          .object([
            ("median_ms", .double(med * 1000)), ("min_ms", .double(lo * 1000)), ("max_ms", .double(hi * 1000)),
            ("changed_cells", .double(t.changedCells)),
          ])
        )
      }
      print(
        JSONValue.object([("width", .int(width)), ("height", .int(height)), ("frames", .int(frames))] + members)
          .rendered(indent: 2, sortKeys: false, asciiOnly: false))
    } else {
      print("frame = render into the grid + the driver's diff, \(width)x\(height), \(frames) frames per screen")
      print("screen      median ms    min ms    max ms   cells written")
      for t in timings {
        let (med, lo, hi) = t.summary
        print(
          padRight(t.screen, 10) + " " + padLeft(fixed(med * 1000, 3), 10) + " " + padLeft(fixed(lo * 1000, 3), 9) + " "
            + padLeft(fixed(hi * 1000, 3), 9) + " " + padLeft(fixed(Double(t.changedCells), 0), 15))
      }
    }
  }
}
