import ArgumentParser

/// `ngram-bench`: the measuring tools the scripts call (phase timings, explorer frame times),
/// kept out of the shipped `ngram-tui` binary. Build with
/// `swift build -c release --package-path Benchmarks --product ngram-bench`.
@main
struct NgramBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ngram-bench",
    abstract: "Measuring tools for ngram-tui (phase timings, explorer frames); not shipped.",
    subcommands: [Phases.self, Frames.self])
}

/// `s` followed by spaces up to `width` characters (never cut).
func padRight(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Spaces, then `s`, up to `width` characters (never cut), like printf's `%Nf` width.
func padLeft(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
