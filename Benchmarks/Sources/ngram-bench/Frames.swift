import ArgumentParser
import Dispatch
import NgramEngine
import NgramTUI

/// `ngram-bench frames`: how long the explorer takes to render a full frame of each screen
/// (render into the grid plus the driver's diff), for issue 4's ≤ 2 ms at 200×60 (what
/// `ngram-tui bench-tui` printed before the benchmarks left the shipped binary).
struct Frames: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time full explorer frames per screen (see scripts/bench-tui.sh).")
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
    var offscreen = try OffscreenFrames(
      corpus: c, query: query.map { $0.split(separator: " ").map(String.init) }, ascii: ascii,
      compare: !skipCompare)
    var rows: [(screen: String, median: Double, min: Double, max: Double, cells: Double)] = []
    for screen in offscreen.screens {
      _ = offscreen.renderFrame(screen: screen, width: width, height: height)  // the screen's first, full frame
      var samples: [Double] = []
      var changed = 0
      for _ in 0..<max(frames, 1) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        changed += offscreen.renderFrame(screen: screen, width: width, height: height)
        samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
      }
      samples.sort()
      rows.append((screen, samples[samples.count / 2], samples[0], samples[samples.count - 1],
                   Double(changed) / Double(samples.count)))
    }
    if offscreen.checksum == 1 { print("", terminator: "") }  // keep the work observable
    if json {
      let members: [(String, JSONValue)] = rows.map { r in
        (
          r.screen,
          .object([
            ("median_ms", .double(r.median * 1000)), ("min_ms", .double(r.min * 1000)),
            ("max_ms", .double(r.max * 1000)), ("changed_cells", .double(r.cells)),
          ])
        )
      }
      print(
        JSONValue.object([("width", .int(width)), ("height", .int(height)), ("frames", .int(frames))] + members)
          .rendered(indent: 2, sortKeys: false, asciiOnly: false))
    } else {
      print("frame = render into the grid + the driver's diff, \(width)x\(height), \(frames) frames per screen")
      print("screen      median ms    min ms    max ms   cells written")
      for r in rows {
        print(
          padRight(r.screen, 10) + " " + padLeft(fixed(r.median * 1000, 3), 10) + " "
            + padLeft(fixed(r.min * 1000, 3), 9) + " " + padLeft(fixed(r.max * 1000, 3), 9) + " "
            + padLeft(fixed(r.cells, 0), 15))
      }
    }
  }
}
