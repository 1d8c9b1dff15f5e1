import Foundation
import NgramEngine
import Testing

/// Issue 8: nothing printed can drive the terminal; every error is one line naming the option.
@Suite("hostile input at the command line", .serialized)
struct HostileCLITests {
  /// Python's `str.split()` separators among the control characters: they cannot be in a token.
  static let separators: Set<UInt32> = [0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x1C, 0x1D, 0x1E, 0x1F, 0x85]
  /// Every control character that can be part of a token: C0, DEL and C1 minus the separators.
  static let tokenControls: [Unicode.Scalar] = (Array(0x00...0x1F) + Array(0x7F...0x9F))
    .map { UInt32($0) }.filter { !separators.contains($0) }.map { Unicode.Scalar($0)! }

  /// A corpus in which "the cat" is followed by one token per control character, plus the
  /// title-setting and screen-clearing sequences.
  static let corpus: String = {
    let tokens = tokenControls.map { "t" + String(Character($0)) }
    return "the cat \u{1B}]0;PWNED\u{07} \u{1B}[2J sat\n" + tokens.map { "the cat " + $0 }.joined(separator: " ") + "\n"
  }()

  /// Whether `s` has a control character other than the newlines ending its lines.
  func hasControl(_ s: String) -> Bool {
    s.unicodeScalars.contains { $0 != "\n" && TerminalText.isControl($0) }
  }

  @Test("predict, infer, repl and compare show every control character of a token escaped")
  func textOutputEscaped() throws {
    let ws = Workspace("esc", corpus: Self.corpus)
    defer { ws.cleanup() }
    let trained = try run(["train", "--dir", ws.path, "--quiet"])
    #expect(trained.status == 0, "\(trained.stderr)")
    let k = String(Self.tokenControls.count + 2)
    let runs = [
      try run(["predict", "--dir", ws.path, "--topk", k, "the", "cat"]),
      try run(["infer", "--dir", ws.path, "--topk", k, "--start-tokens", "the", "cat", "--num-tokens", "20"]),
      try run(["repl", "--dir", ws.path, "--topk", k], stdin: "the cat\nthe \u{1B}[2J\n"),
      try run(["compare", "--dir", ws.path, "--topk", k, "--epochs", "2", "--holdout", "0", "the", "cat"]),
    ]
    for r in runs {
      #expect(r.status == 0, "\(r.stderr)")
      #expect(!hasControl(r.stdout), "\(r.stdout.debugDescription)")
      #expect(!hasControl(r.stderr), "\(r.stderr.debugDescription)")
    }
    // Every token is there, in the documented spelling.
    for u in Self.tokenControls {
      #expect(runs[0].stdout.contains("t" + TerminalText.escape(String(Character(u))) + " "), "U+\(u.value)")
    }
    #expect(runs[0].stdout.contains("\\e]0;PWNED\\u{07}"))
    #expect(runs[1].stdout.contains("\\e[2J"))
  }

  @Test("JSON output escapes every control character and reads back to the same tokens")
  func jsonOutputEscaped() throws {
    let ws = Workspace("escjson", corpus: Self.corpus)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--quiet"]).status == 0)
    let k = String(Self.tokenControls.count + 2)
    let predict = try run(["predict", "--dir", ws.path, "--json", "--topk", k, "the", "cat"])
    let infer = try run(["infer", "--dir", ws.path, "--json", "--topk", k, "--start-tokens", "the", "cat"])
    let compare = try run(["compare", "--dir", ws.path, "--json", "--topk", k, "--epochs", "2", "the", "cat"])
    for r in [predict, infer, compare] {
      #expect(r.status == 0, "\(r.stderr)")
      #expect(!hasControl(r.stdout), "\(r.stdout.debugDescription)")
    }
    let top = try #require(try json(predict.stdout)["topk"] as? [[String: Any]])
    let tokens = Set(top.compactMap { $0["token"] as? String }.map { Array($0.unicodeScalars) })
    for u in Self.tokenControls {
      #expect(tokens.contains(Array(("t" + String(Character(u))).unicodeScalars)), "U+\(u.value)")
    }
    #expect(tokens.contains(Array("\u{1B}]0;PWNED\u{07}".unicodeScalars)))
  }

  @Test("an argument holding every control character is echoed escaped on one line")
  func argumentsEscaped() throws {
    // Every control character but NUL, which no argument can hold.
    let hostile = String(
      String.UnicodeScalarView((Array(0x01...0x1F) + Array(0x7F...0x9F)).map { Unicode.Scalar(UInt32($0))! }))
    let results = [
      try run(["predict", "--dir", "/nonexistent/" + hostile, "a", "b"]),
      try run(["train", "--corpus", "/nonexistent/" + hostile]),
      try run(["train", "--bogus" + hostile]),
      try run(["train", "--weights", hostile]),
    ]
    for r in results {
      expectCleanFailure(r)
      #expect(!hasControl(r.stderr), "\(r.stderr.debugDescription)")
      #expect(r.stderr.contains("\\n") && r.stderr.contains("\\e") && r.stderr.contains("\\u{9B}"), "\(r.stderr)")
    }
  }

  @Test(
    "a negative number reaches the option's own check, which names the option and its range",
    arguments: [
      (["predict", "--topk", "-1", "a", "b"], "--topk must be at least 0, got -1"),
      (["infer", "--num-tokens", "-1"], "--num-tokens must be at least 0, got -1"),
      (["infer", "--sample", "--temperature", "-1"], "--temperature must be"),
      (["infer", "--sample", "--top-p", "-0.5"], "--top-p must be in (0, 1], got -0.5"),
      (["infer", "--sample", "--top-k", "-1"], "--top-k must be at least 1, got -1"),
      (["infer", "--seed", "-1"], "--seed must be a whole number from 0 to 18446744073709551615, got -1"),
      (["tui", "--seed", "-3"], "--seed must be a whole number from 0 to 18446744073709551615, got -3"),
      (["predict", "--epoch", "-1", "a", "b"], "--epoch must be at least 0, got -1"),
      (["train", "--dense-limit", "-1"], "--dense-limit must be at least 0, got -1"),
      (
        ["compare", "--contexts", "1", "-1", "a", "b"],
        "--contexts must be 0 (unigram), 1 (bigram), 2 (context-2) or 3 (context-3), got -1"
      ),
      (["train", "--epochs", "-1"], "--epochs must be at least 0, got -1"),
    ])
  func negativeOptions(args: [String], message: String) throws {
    let r = try run(args)
    expectCleanFailure(r, contains: [message])
    #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
  }

  /// Runs `ngram-tui ARGS >TARGET` (TARGET: /dev/full, or `&-` for a closed stdout) in a shell.
  func runRedirected(_ args: [String], to target: String) throws -> RunResult {
    let quoted = ([Binary.url!.path] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", quoted.joined(separator: " ") + " >" + target]
    let err = Pipe()
    p.standardError = err
    try p.run()
    let data = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return RunResult(status: p.terminationStatus, stdout: "", stderr: String(decoding: data, as: UTF8.self))
  }

  @Test("output that cannot be written (a full disk, a closed stdout) is an error, not exit 0")
  func unwritableStandardOutput() throws {
    let ws = Workspace("devfull", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--quiet"]).status == 0)
    for args in [
      ["predict", "--dir", ws.path, "the", "cat"], ["infer", "--dir", ws.path, "--json"],
      ["infer", "--dir", ws.path, "--num-tokens", "100000"], ["--version"],
    ] {
      let full = try runRedirected(args, to: "/dev/full")
      #expect(full.status == 1, "\(args)")
      #expect(full.stderrLines == ["ngram-tui: error: cannot write to standard output: no space left on device"])
    }
    let closed = try runRedirected(["predict", "--dir", ws.path, "the", "cat"], to: "&-")
    #expect(closed.status == 1)
    #expect(closed.stderrLines == ["ngram-tui: error: cannot write to standard output: bad file descriptor"])
  }

  @Test(
    "eval --text, export --arpa, plot --out and --corpus name a directory, a device or a missing file in plain words")
  func directoriesAndMissingFilesAreNamed() throws {
    let ws = Workspace("dirs", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--quiet"]).status == 0)
    let folder = ws.path + "/corpus"
    let cases: [([String], String)] = [
      (["eval", "--dir", ws.path, "--text", folder], "cannot read \(folder): is a directory, expected a text file"),
      (
        ["eval", "--dir", ws.path, "--text", ws.path + "/none.txt"],
        "cannot read \(ws.path)/none.txt: no such file (check the path)"
      ),
      (["export", "--dir", ws.path, "--arpa", folder], "cannot write \(folder): is a directory"),
      (
        ["export", "--dir", ws.path, "--arpa", folder + ".gz/x.arpa.gz"],
        "cannot write \(folder).gz/x.arpa.gz: no such file or directory"
      ),
      (
        ["plot", "--dir", ws.path, "--out", folder],
        "cannot write \(folder): is a directory (check the directory exists and is writable)"
      ),
      // A device never ends: it used to be read until memory ran out.
      (
        ["train", "--dir", ws.path, "--corpus", "/dev/zero"],
        "cannot read /dev/zero: is a device, expected a text file (a stream reads through a pipe: <(cat FILE))"
      ),
      (
        ["eval", "--dir", ws.path, "--text", "/dev/urandom"],
        "cannot read /dev/urandom: is a device, expected a text file (a stream reads through a pipe: <(cat FILE))"
      ),
    ]
    for (args, message) in cases {
      let r = try run(args)
      #expect(r.status == 1, "\(args)")
      #expect(r.stderrLines == ["ngram-tui: error: " + message[...]], "\(args)")
    }
  }

  @Test("repl names a line of invalid UTF-8 instead of answering for U+FFFD, and goes on")
  func replInvalidUTF8() throws {
    let ws = Workspace("replutf8", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "2", "--quiet"]).status == 0)
    let input = ws.url.appendingPathComponent("input.bin")
    try Data(Array("the cat\n".utf8) + [0x74, 0x68, 0x65, 0x20, 0xFF, 0x0A] + Array("the dog".utf8)).write(to: input)
    let p = Process()
    p.executableURL = Binary.url!
    p.arguments = ["repl", "--dir", ws.path, "--topk", "1"]
    p.standardInput = try FileHandle(forReadingFrom: input)
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0)
    let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    #expect(lines.count == 5, "\(lines)")
    #expect(lines.first == "next after the cat:")
    #expect(
      lines.dropFirst(2).first
        == "error: line 2 of the input is not valid UTF-8 (give UTF-8 text, e.g. convert it with iconv)")
    // The last line has no newline and is still answered.
    #expect(lines.dropFirst(3).first == "next after the dog:")
  }

  @Test("with outputs a regular file, the error names outputs")
  func outputsIsAFile() throws {
    let ws = Workspace("outfile", corpus: catDog)
    defer { ws.cleanup() }
    #expect(FileManager.default.createFile(atPath: ws.path + "/outputs", contents: Data("x".utf8)))
    let r = try run(["train", "--dir", ws.path, "--quiet"])
    expectCleanFailure(r, contains: [ws.path + "/outputs: it exists and is not a directory"])
  }

  @Test("infer streams what it generates: the same tokens as the engine, text and JSON")
  func inferStreams() throws {
    let ws = Workspace("stream", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--quiet"]).status == 0)
    let model = try ArtifactStore.load(directory: ws.path).model
    let start = try model.ids(for: ["the", "dog"])
    let want = ["the", "dog"] + model.generate(start: start, count: 3000).map { model.vocabulary.tokens[$0] }
    let j = try run(["infer", "--dir", ws.path, "--json", "--num-tokens", "3000", "--start-tokens", "the", "dog"])
    #expect(j.status == 0, "\(j.stderr)")
    #expect(try json(j.stdout)["generated"] as? [String] == want)
    #expect(j.stdout.hasSuffix("]}\n"))
    let t = try run(["infer", "--dir", ws.path, "--num-tokens", "3000", "--start-tokens", "the", "dog"])
    #expect(t.stdout.split(separator: "\n").last.map(String.init) == "  " + want.joined(separator: " "))
    let s = try run(["infer", "--dir", ws.path, "--json", "--sample", "--seed", "5", "--num-tokens", "50"])
    let sampled = try json(s.stdout)
    #expect(Array((sampled["generated"] as? [String] ?? []).prefix(2)) == ["the", "cat"])
    #expect((sampled["sampling"] as? [String: Any])?["seed"] as? Int == 5)
  }
}
