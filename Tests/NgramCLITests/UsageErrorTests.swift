import Foundation
import NgramEngine
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

  @Test("--version prints the package version alone and exits 0")
  func version() throws {
    let r = try run(["--version"])
    #expect(r.status == 0)
    #expect(r.stdout == "\(PackageVersion.current)\n")
    #expect(r.stdout.split(separator: ".").count == 3)
  }

  @Test("--help still prints the full help and exits 0")
  func helpIsNotAnError() throws {
    let r = try run(["train", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("--weights"))
  }
}

/// Range checks run before anything is read, and a negative number reaches them.
@Suite("option range checks")
struct OptionRangeTests {
  @Test(
    "an out-of-range value is one usage line naming the option, the bound and the value",
    arguments: [
      (["predict", "--topk", "-1", "a", "b"], "--topk must be at least 0, got -1"),
      (["tui", "--topk", "0"], "--topk must be at least 1, got 0"),
      (["train", "--epochs", "-3"], "--epochs must be at least 0, got -3"),
      (
        ["train", "--context", "7"], "--context must be 0 (unigram), 1 (bigram), 2 (context-2) or 3 (context-3), got 7"
      ),
      (["compare", "--contexts", "1", "5", "--", "a"], "--contexts must be 0 (unigram)"),
      (["infer", "--num-tokens", "-2"], "--num-tokens must be at least 0, got -2"),
      (["infer", "--sample", "--top-p", "1.5"], "--top-p must be in (0, 1], got 1.5"),
      (["predict", "--epoch", "-1", "a", "b"], "--epoch must be at least 0, got -1"),
      (["tui", "--pace", "-1"], "--pace must be a finite number >= 0, got -1.0"),
    ])
  func rangeCheck(args: [String], message: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-range-\(getpid())-\(args[0])")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try run(args + ["--dir", dir.path])
    #expect(r.status == 64)
    #expect(r.stderrLines.count == 1, "\(r.stderr)")
    #expect(r.stderr.hasPrefix("ngram-tui: error: \(message)"), "\(r.stderr)")
    #expect(!FileManager.default.fileExists(atPath: dir.path), "nothing is written")
  }
}
