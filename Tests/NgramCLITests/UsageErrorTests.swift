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

  @Test(
    "a usage error is exactly one line naming the option, with status 64",
    arguments: [
      (["train", "--bogus"], "Unknown option '--bogus'"),
      (["train", "--lr"], "Missing value for '--lr <lr>'"),
      (["train", "--lr", "abc"], "The value 'abc' is invalid for '--lr <lr>'"),
      (
        ["train", "--weights", "sparse"],
        "The value 'sparse' is invalid for '--weights <weights>'. Please provide one of 'dense', 'compact' or 'auto'."
      ),
      (["infer", "--model=mle", "--k=0"], "--k must be a positive number, got 0.0"),
      (["train", "--json=yes"], "The option '--json' does not take any value, but 'yes' was specified."),
      (["step", "--epoch", "1"], "Missing expected argument '--pair <pair>'"),
      (["train", "extra"], "Unexpected argument 'extra'"),
      (["trian"], "Unknown subcommand 'trian'. Did you mean 'train'?"),
      (["--dir", "x", "--bogus"], "Unknown option '--bogus'"),
    ])
  func exactUsageError(args: [String], message: String) throws {
    let r = try run(args)
    #expect(r.status == 64)
    #expect(r.stdout.isEmpty)
    #expect(r.stderr == "ngram-tui: error: \(message) (see ngram-tui --help)\n")
  }

  @Test(
    "help in every spelling prints the subcommand's options with their defaults and exits 0",
    arguments: [["train", "--help"], ["train", "-h"], ["help", "train"]])
  func subcommandHelp(args: [String]) throws {
    let r = try run(args)
    #expect(r.status == 0)
    #expect(r.stderr.isEmpty)
    #expect(r.stdout.hasPrefix("OVERVIEW: Train on the corpus"))
    #expect(r.stdout.contains("\n  --lr <lr>               Learning rate. (default: 0.1)\n"))
    #expect(r.stdout.contains("\n  --weights <weights>     Weights file format"))
    #expect(r.stdout.contains("compact, auto; default: auto)\n"))
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
      // The sampler's options are not ignored without --sample (they used to give greedy text).
      (
        ["infer", "--temperature", "0.8"],
        "--temperature applies to sampling: add --sample (without it infer decodes greedily) (see ngram-tui --help)"
      ),
      (["infer", "--top-k", "5"], "--top-k applies to sampling: add --sample"),
      (["infer", "--seed", "7"], "--seed applies to sampling: add --sample"),
      // A count model's parameter without that model is not ignored (it used to answer with SGD).
      (
        ["predict", "--k", "0.5", "the", "cat"],
        "--k is add-k's parameter: add --model add-k, or leave out --k (see ngram-tui --help)"
      ),
      (["predict", "--model", "mle", "--k", "0.5", "a", "b"], "--k is add-k's parameter"),
      (
        ["infer", "--model", "add-k", "--discount", "0.5"],
        "--discount is kneser-ney's parameter: add --model kneser-ney, or leave out --discount"
      ),
      (["export", "--arpa", "x.arpa", "--discount", "0.1"], "--discount is kneser-ney's parameter"),
      (["compare", "--k", "0.5", "--", "the", "cat"], "--k is add-k's parameter: add add-k to --models"),
      (
        ["compare", "--models", "sgd,add-k", "--discount", "0.5", "--", "the", "cat"],
        "--discount is kneser-ney's parameter: add kneser-ney to --models, or leave out --discount"
      ),
      (["infer", "--top-p", "0.9", "--arpa", "x.arpa"], "--top-p applies to sampling: add --sample"),
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
