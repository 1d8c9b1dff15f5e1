import Foundation
import Testing

/// Usage errors from argument parsing are one line, like the engine's errors.
@Suite("usage errors")
struct UsageErrorTests {
  @Test(
    "a malformed or unknown option is one 'ngram-tui: error:' line with a non-zero status",
    arguments: [["train", "--lr", "abc"], ["train", "--bogus"], ["predict", "--topk", "x", "a", "b"]])
  func oneLine(args: [String]) throws {
    let r = try run(args)
    #expect(r.status != 0)
    #expect(r.stderrLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("ngram-tui: error: "), "\(r.stderr)")
    #expect(r.stderr.contains("--help"))
  }

  @Test("--help still prints the full help and exits 0")
  func helpIsNotAnError() throws {
    let r = try run(["train", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("--weights"))
  }
}
