import Foundation
import NgramEngine
import Testing

// End-to-end tests of the built `ngram-tui` executable (SPEC §4): JSON shapes, exit codes,
// one-line errors without backtraces, the piped-stdin REPL, and Ctrl-C during training.

/// Finds the `ngram-tui` executable next to this test bundle (or via NGRAM_TUI_BIN).
enum Binary {
  static let url: URL? = {
    let fm = FileManager.default
    var candidates: [URL] = []
    if let env = ProcessInfo.processInfo.environment["NGRAM_TUI_BIN"] { candidates.append(URL(fileURLWithPath: env)) }
    if let exe = Bundle.main.executableURL {
      candidates.append(exe.deletingLastPathComponent().appendingPathComponent("ngram-tui"))
    }
    if let self_ = try? fm.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      candidates.append(URL(fileURLWithPath: self_).deletingLastPathComponent().appendingPathComponent("ngram-tui"))
    }
    let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    candidates.append(arg0.deletingLastPathComponent().appendingPathComponent("ngram-tui"))
    candidates.append(Bundle.main.bundleURL.appendingPathComponent("ngram-tui"))
    candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ngram-tui"))
    // The package's own build directories, relative to this source file.
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    for scratch in [".build-tests", ".build"] {
      candidates.append(root.appendingPathComponent("\(scratch)/debug/ngram-tui"))
    }
    return candidates.first { fm.isExecutableFile(atPath: $0.path) }
  }()
}

struct RunResult {
  let status: Int32
  let stdout: String
  let stderr: String
  var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: true) }
}

/// Runs the binary with `args` in `cwd`, feeding `stdin` (or /dev/null), and waits for it.
func run(_ args: [String], cwd: URL? = nil, stdin: String? = nil, timeout: TimeInterval = 300) throws -> RunResult {
  let p = try start(args, cwd: cwd, stdin: stdin)
  return try p.wait(timeout: timeout)
}

final class Running: @unchecked Sendable {
  let process = Process()
  let out = Pipe()
  let err = Pipe()
  private var outData = Data()
  private var errData = Data()
  private let group = DispatchGroup()
  private let lock = NSLock()

  func begin() throws {
    process.standardOutput = out
    process.standardError = err
    try process.run()
    for (pipe, isOut) in [(out, true), (err, false)] {
      group.enter()
      DispatchQueue.global().async {
        let d = pipe.fileHandleForReading.readDataToEndOfFile()
        self.lock.lock()
        if isOut { self.outData = d } else { self.errData = d }
        self.lock.unlock()
        self.group.leave()
      }
    }
  }

  func wait(timeout: TimeInterval) throws -> RunResult {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(20_000) }
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
      Issue.record("ngram-tui did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    group.wait()
    lock.lock()
    defer { lock.unlock() }
    return RunResult(
      status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self))
  }
}

func start(_ args: [String], cwd: URL? = nil, stdin: String? = nil) throws -> Running {
  let binary = try #require(Binary.url, "the ngram-tui executable was not found next to the tests (set NGRAM_TUI_BIN)")
  let r = Running()
  r.process.executableURL = binary
  r.process.arguments = args
  if let cwd { r.process.currentDirectoryURL = cwd }
  if let stdin {
    let inPipe = Pipe()
    r.process.standardInput = inPipe
    try r.begin()
    // The program may exit (e.g. on an error) before reading its input: a broken pipe is not a
    // test failure, so neither SIGPIPE nor the write error may end the test process.
    signal(SIGPIPE, SIG_IGN)
    try? inPipe.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
    try? inPipe.fileHandleForWriting.close()
  } else {
    r.process.standardInput = FileHandle.nullDevice
    try r.begin()
  }
  return r
}

/// A temporary base directory, optionally with `corpus/<name>` holding `text`.
struct Workspace {
  let url: URL
  var path: String { url.path }

  init(_ label: String, corpus text: String? = nil, name: String = "corpus.txt") {
    url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ngram-cli-\(label)-\(UUID().uuidString.prefix(8))")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    if let text { write(corpus: Array(text.utf8), name: name) }
  }

  func write(corpus bytes: [UInt8], name: String = "corpus.txt") {
    let c = url.appendingPathComponent("corpus")
    try! FileManager.default.createDirectory(at: c, withIntermediateDirectories: true)
    _ = FileManager.default.createFile(atPath: c.appendingPathComponent(name).path, contents: Data(bytes))
  }

  /// Every file under artifacts/ and outputs/ with its bytes.
  func snapshot() -> [String: Data] {
    var out: [String: Data] = [:]
    for sub in ["artifacts", "outputs"] {
      let d = url.appendingPathComponent(sub)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? [] {
        out["\(sub)/\(name)"] = FileManager.default.contents(atPath: d.appendingPathComponent(name).path)
      }
    }
    return out
  }

  var entries: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
  var tempLeftovers: [String] { entries.filter { $0.hasPrefix(".ngram-tui-tmp-") } }
  func exists(_ rel: String) -> Bool { FileManager.default.fileExists(atPath: url.appendingPathComponent(rel).path) }
  func cleanup() { try? FileManager.default.removeItem(at: url) }
}

let catDog = "the cat sat on the mat\nthe dog sat on the rug\nthe cat lay on the rug\nthe dog lay on the mat\n"

func json(_ s: String) throws -> [String: Any] {
  let obj = try JSONSerialization.jsonObject(with: Data(s.utf8))
  return try #require(obj as? [String: Any], "expected a JSON object: \(s)")
}

/// A failed run: non-zero exit, a one-line message on stderr, and no crash report.
func expectCleanFailure(
  _ r: RunResult, contains phrases: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(r.status != 0, "expected a non-zero exit", sourceLocation: sourceLocation)
  #expect(
    r.stderrLines.count == 1, "expected one line on stderr, got: \(r.stderr.debugDescription)",
    sourceLocation: sourceLocation)
  for bad in ["Fatal error", "Stack dump", "Backtrace", "Illegal instruction", "Segmentation"] {
    #expect(!r.stderr.contains(bad), "crash output: \(r.stderr)", sourceLocation: sourceLocation)
  }
  for p in phrases {
    #expect(
      r.stderr.lowercased().contains(p.lowercased()), "stderr lacks \(p.debugDescription): \(r.stderr)",
      sourceLocation: sourceLocation)
  }
}

@Suite("ngram-tui command line", .serialized)
struct CLITests {
  @Test("the executable is found")
  func binaryFound() {
    #expect(Binary.url != nil)
  }

  @Test("train with --holdout prints the held-out figures in text too, equal to --json's and eval_log.csv's")
  func trainHoldoutText() throws {
    let ws = Workspace("trainho", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    let t = try run(["train", "--dir", ws.path, "--holdout", "0.25", "--epochs", "3"])
    #expect(t.status == 0, "\(t.stderr)")
    let log = String(decoding: FileManager.default.contents(atPath: ws.path + "/outputs/eval_log.csv")!, as: UTF8.self)
    let last = log.split(whereSeparator: \.isNewline).last!.split(separator: ",")
    #expect(last[0] == "3")
    let j = try json(try run(["train", "--dir", ws.path, "--holdout", "0.25", "--epochs", "3", "--json"]).stdout)
    let loss = try #require((j["val_loss"] as? NSNumber)?.doubleValue)
    let ppl = try #require((j["val_perplexity"] as? NSNumber)?.doubleValue)
    let unseen = try #require((j["unseen_contexts"] as? NSNumber)?.doubleValue)
    #expect(String(last[1]) == fixed(loss, 8))
    #expect(
      t.stdout.split(separator: "\n").last.map(String.init)
        == "held-out after epoch 3: loss \(last[1]), perplexity \(fixed(ppl, 2)), unseen contexts \(fixed(unseen * 100, 1))% (every epoch in \(ws.path)/outputs/eval_log.csv)"
    )
  }

  @Test("train --json prints the final figures and writes the artifacts")
  func trainJSON() throws {
    let ws = Workspace("train", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    let r = try run(["train", "--dir", ws.path, "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.split(separator: "\n").count == 1, "one JSON document: \(r.stdout)")
    let j = try json(r.stdout)
    #expect(j["vocab_size"] as? Int == 8)
    #expect(j["pairs"] as? Int == 22)
    #expect(j["weights_format"] as? String == "dense")
    #expect((j["elapsed_seconds"] as? NSNumber).map { $0.doubleValue >= 0 } == true)
    // The reference's final epoch: cat_dog, lr 0.1, 50 epochs.
    let loss = try #require((j["avg_loss"] as? NSNumber)?.doubleValue)
    let acc = try #require((j["accuracy"] as? NSNumber)?.doubleValue)
    let log = String(decoding: FileManager.default.contents(atPath: ws.path + "/outputs/train_log.csv")!, as: UTF8.self)
    let last = log.split(separator: "\r\n").last!.split(separator: ",")
    #expect(last[0] == "50")
    #expect(abs(loss - Double(last[1])!) < 1e-8)
    #expect(abs(acc - Double(last[2])!) < 1e-6)
    for f in [
      "artifacts/00_meta.json", "artifacts/01_vocabulary.csv", "artifacts/02_model_weights.csv",
      "artifacts/03_token_embeddings.csv", "outputs/train_log.csv",
    ] {
      #expect(ws.exists(f), "\(f)")
    }
    #expect(ws.tempLeftovers.isEmpty)
    #expect(r.stderr.isEmpty || !r.stderr.contains("error"))
  }

  @Test("train --weights compact, then predict loads it")
  func trainCompact() throws {
    let ws = Workspace("compact", corpus: catDog)
    defer { ws.cleanup() }
    let r = try run([
      "train", "--dir", ws.path, "--weights", "compact", "--json", "--context", "3", "--lr", "0.5", "--epochs", "20",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try json(r.stdout)["weights_format"] as? String == "compact")
    #expect(!ws.exists("artifacts/02_model_weights.csv"))
    let p = try run(["predict", "--dir", ws.path, "--json", "the", "cat", "sat"])
    #expect(p.status == 0, "\(p.stderr)")
    let j = try json(p.stdout)
    #expect(j["context"] as? [String] == ["the", "cat", "sat"])
    let top = try #require(j["topk"] as? [[String: Any]])
    #expect(top.first?["token"] as? String == "on")
  }

  @Test("predict --json: context and top-k with token, id, probability")
  func predictJSON() throws {
    let ws = Workspace("predict", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let r = try run(["predict", "--dir", ws.path, "--json", "--topk", "3", "the", "cat"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try json(r.stdout)
    #expect(Set(j.keys).isSuperset(of: ["context", "topk"]), "extra keys are fine, these must be there")
    #expect(j["context"] as? [String] == ["the", "cat"])
    let top = try #require(j["topk"] as? [[String: Any]])
    #expect(top.count == 3)
    let loaded = try ArtifactStore.load(directory: ws.path)
    let ids = try loaded.model.ids(for: ["the", "cat"])
    let expected = loaded.model.topK(context: ids, k: 3)
    for (t, e) in zip(top, expected) {
      #expect(Set(t.keys).isSuperset(of: ["token", "id", "probability"]))
      #expect(t["token"] as? String == e.token)
      #expect(t["id"] as? Int == e.id)
      #expect(((t["probability"] as? NSNumber)?.doubleValue).map { abs($0 - e.probability) < 1e-12 } == true)
    }
    let probs = top.compactMap { ($0["probability"] as? NSNumber)?.doubleValue }
    #expect(probs == probs.sorted(by: >))
    // The last n tokens of a longer context are used.
    let r2 = try run(["predict", "--dir", ws.path, "--json", "--topk", "3", "on", "the", "cat"])
    #expect(try json(r2.stdout)["context"] as? [String] == ["the", "cat"])
  }

  @Test(
    "predict --backoff answers an unseen context from its longest seen suffix, past words outside the vocabulary too")
  func predictBackoff() throws {
    // Context 2 on cat/dog, and the context-1 and context-0 models of the same corpus: backing
    // off to "cat" is the context-1 row of "cat"; to no context, the unigram.
    var dirs: [Workspace] = []
    defer { dirs.forEach { $0.cleanup() } }
    for n in [2, 1, 0] {
      let ws = Workspace("backoff\(n)", corpus: catDog, name: "cat_dog.txt")
      dirs.append(ws)
      #expect(try run(["train", "--dir", ws.path, "--context", "\(n)", "--quiet"]).status == 0)
    }
    func topk(_ dir: Workspace, _ args: [String]) throws -> ([[String: Any]], [String: Any]) {
      let r = try run(["predict", "--dir", dir.path, "--json", "--topk", "8"] + args)
      #expect(r.status == 0, "\(args): \(r.stderr)")
      let j = try json(r.stdout)
      return (try #require(j["topk"] as? [[String: Any]]), j)
    }
    func same(_ a: [[String: Any]], _ b: [[String: Any]], within tolerance: Double = 0) -> Bool {
      let (pa, pb) = (
        a.compactMap { ($0["probability"] as? NSNumber)?.doubleValue },
        b.compactMap { ($0["probability"] as? NSNumber)?.doubleValue }
      )
      return a.map { $0["token"] as? String } == b.map { $0["token"] as? String } && pa.count == pb.count
        && zip(pa, pb).allSatisfy { abs($0 - $1) <= tolerance }
    }
    // Back-off replays the shorter context's training (as --epoch does), so it equals the other
    // models' replay exactly, and their saved weights (4 decimals) to within 1e-4.
    let (cat, _) = try topk(dirs[1], ["--epoch", "50", "cat"])
    let (unigram, _) = try topk(dirs[2], ["--epoch", "50"])
    #expect(same(cat, try topk(dirs[1], ["cat"]).0, within: 1e-4))
    #expect(same(unigram, try topk(dirs[2], []).0, within: 1e-4))
    // "mat cat" never occurs; "zzz" is no word of the corpus at all.
    for (typed, used, want) in [
      (["mat", "cat"], ["cat"], cat), (["zzz", "cat"], ["cat"], cat), (["zzz", "yyy"], [], unigram),
    ] {
      let (top, j) = try topk(dirs[0], ["--backoff"] + typed)
      #expect(j["context"] as? [String] == typed)
      #expect(j["backoff_context"] as? [String] == used, "\(typed)")
      #expect(same(top, want), "\(typed)")
    }
    // A seen context answers for itself.
    let (seen, sj) = try topk(dirs[0], ["--backoff", "the", "cat"])
    #expect(sj["backoff_context"] == nil)
    #expect(same(seen, try topk(dirs[0], ["the", "cat"]).0))
    // In words: not "uniform", and the unknown word named.
    let text = try run(["predict", "--dir", dirs[0].path, "--topk", "2", "--backoff", "zzz", "cat"])
    #expect(text.status == 0)
    let lines = text.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "next after zzz cat (context never seen in training):")
    #expect(lines.contains("context never seen (not in the vocabulary: zzz): backed off to cat (beyond the reference)"))
    // Without --backoff an unknown word is still an error.
    let plain = try run(["predict", "--dir", dirs[0].path, "zzz", "cat"])
    #expect(plain.status == 1 && plain.stderr == "ngram-tui: error: unknown token 'zzz': not in the vocabulary\n")
  }

  @Test("predict keeps non-ASCII tokens exact in JSON output")
  func predictUnicode() throws {
    let ws = Workspace("unicode", corpus: "caf\u{E9} \u{1F600} x caf\u{E9} \u{1F600} y cafe\u{301} \u{1F600} z\n")
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let r = try run(["predict", "--dir", ws.path, "--json", "--topk", "2", "caf\u{E9}", "\u{1F600}"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try json(r.stdout)
    let ctx = try #require(j["context"] as? [String])
    #expect(
      ctx.map { Array($0.unicodeScalars) } == [Array("caf\u{E9}".unicodeScalars), Array("\u{1F600}".unicodeScalars)])
    let top = try #require(j["topk"] as? [[String: Any]])
    #expect(Set(top.compactMap { $0["token"] as? String }) == ["x", "y"])
    // The NFD spelling is a different context.
    let r2 = try run(["predict", "--dir", ws.path, "--json", "--topk", "1", "cafe\u{301}", "\u{1F600}"])
    #expect(r2.status == 0, "\(r2.stderr)")
    #expect((try json(r2.stdout)["topk"] as? [[String: Any]])?.first?["token"] as? String == "z")
  }

  @Test("infer --json: start_tokens, topk, generated = start tokens then generated ones")
  func inferJSON() throws {
    let ws = Workspace("infer", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let r = try run(["infer", "--dir", ws.path, "--json", "--num-tokens", "5", "--topk", "2"])
    #expect(r.status == 0, "\(r.stderr)")
    let j = try json(r.stdout)
    #expect(Set(j.keys).isSuperset(of: ["start_tokens", "topk", "generated"]))
    #expect(j["start_tokens"] as? [String] == ["the", "cat"])
    let gen = try #require(j["generated"] as? [String])
    #expect(gen.count == 7)
    #expect(Array(gen.prefix(2)) == ["the", "cat"])
    #expect((j["topk"] as? [[String: Any]])?.count == 2)
    let loaded = try ArtifactStore.load(directory: ws.path)
    let ids = try loaded.model.ids(for: ["the", "cat"])
    #expect(
      Array(gen.dropFirst(2)) == loaded.model.generate(start: ids, count: 5).map { loaded.model.vocabulary.tokens[$0] })

    let r2 = try run(["infer", "--dir", ws.path, "--json", "--num-tokens", "3", "--start-tokens", "the", "dog"])
    #expect(r2.status == 0, "\(r2.stderr)")
    let j2 = try json(r2.stdout)
    #expect(j2["start_tokens"] as? [String] == ["the", "dog"])
    #expect((j2["generated"] as? [String])?.prefix(2).map { $0 } == ["the", "dog"])
    #expect((j2["generated"] as? [String])?.count == 5)
  }

  @Test("unknown tokens: non-zero exit, one line naming them with suggestions")
  func unknownToken() throws {
    let ws = Workspace("unknown", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let r = try run(["predict", "--dir", ws.path, "the", "kat"])
    expectCleanFailure(r, contains: ["kat", "cat"])
    let r2 = try run(["infer", "--dir", ws.path, "--start-tokens", "teh", "cat"])
    expectCleanFailure(r2, contains: ["teh", "the"])
  }

  @Test("wrong context sizes are one-line errors")
  func wrongContextSize() throws {
    let ws = Workspace("ctxsize", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    expectCleanFailure(try run(["predict", "--dir", ws.path, "the"]))
    expectCleanFailure(try run(["infer", "--dir", ws.path, "--start-tokens", "the"]))
    expectCleanFailure(try run(["infer", "--dir", ws.path, "--num-tokens=-1"]))
  }

  @Test("missing artifacts: predict, infer and repl say to run `ngram-tui train`")
  func missingArtifacts() throws {
    let ws = Workspace("noart")
    defer { ws.cleanup() }
    for args in [
      ["predict", "--dir", ws.path, "the", "cat"], ["infer", "--dir", ws.path], ["repl", "--dir", ws.path],
    ] {
      let r = try run(args, stdin: args[0] == "repl" ? "the cat\n" : nil)
      expectCleanFailure(r, contains: ["ngram-tui train"])
    }
  }

  struct BadCorpus: Sendable, CustomTestStringConvertible {
    let name: String
    let files: [(String, [UInt8])]
    let makeCorpusDir: Bool
    let args: [String]
    let phrases: [String]
    var testDescription: String { name }
  }

  static let badCorpora: [BadCorpus] = [
    BadCorpus(name: "no corpus/ directory", files: [], makeCorpusDir: false, args: [], phrases: ["corpus"]),
    BadCorpus(name: "empty corpus/ directory", files: [], makeCorpusDir: true, args: [], phrases: ["corpus"]),
    BadCorpus(
      name: "two files", files: [("a.txt", Array("a b c d".utf8)), ("b.txt", Array("a b c d".utf8))],
      makeCorpusDir: true, args: [], phrases: ["corpus", "2"]),
    BadCorpus(
      name: "invalid UTF-8", files: [("bad.txt", Array("the cat sat on the ".utf8) + [0xFF] + Array(" mat\n".utf8))],
      makeCorpusDir: true, args: [], phrases: ["not valid UTF-8", "bad.txt", "19"]),
    BadCorpus(
      name: "too few tokens", files: [("short.txt", Array("one two\n".utf8))], makeCorpusDir: true, args: [],
      phrases: ["needs at least 3 tokens", "short.txt"]),
    BadCorpus(
      name: "too few tokens for context 3", files: [("short.txt", Array("one two three\n".utf8))], makeCorpusDir: true,
      args: ["--context", "3"], phrases: ["needs at least 4 tokens"]),
    BadCorpus(
      name: "empty corpus file", files: [("empty.txt", [])], makeCorpusDir: true, args: ["--context", "0"],
      phrases: ["needs at least 1 tokens"]),
    BadCorpus(
      name: "--corpus missing file", files: [], makeCorpusDir: false, args: ["--corpus", "/nonexistent/file.txt"],
      phrases: ["/nonexistent/file.txt"]),
  ]

  @Test("a bad corpus: one-line error, non-zero exit, nothing written", arguments: badCorpora)
  func badCorpus(_ b: BadCorpus) throws {
    let ws = Workspace("bad")
    defer { ws.cleanup() }
    if b.makeCorpusDir {
      try FileManager.default.createDirectory(
        at: ws.url.appendingPathComponent("corpus"), withIntermediateDirectories: true)
    }
    for (name, bytes) in b.files { ws.write(corpus: bytes, name: name) }
    let before = ws.entries
    let r = try run(["train", "--dir", ws.path] + b.args)
    expectCleanFailure(r, contains: b.phrases)
    #expect(ws.entries == before, "a failed run must write nothing: \(ws.entries)")
  }

  static let invalidOptionArgs: [[String]] = [
    ["--lr=-0.1"], ["--lr", "nan"], ["--lr", "inf"], ["--epochs=-1"], ["--context", "4"], ["--context=-1"],
    ["--weights", "sparse"],
  ]

  @Test("invalid options: one-line error, non-zero exit, nothing written", arguments: invalidOptionArgs)
  func badOptions(_ args: [String]) throws {
    let ws = Workspace("opts", corpus: catDog)
    defer { ws.cleanup() }
    let r = try run(["train", "--dir", ws.path] + args)
    expectCleanFailure(r)
    #expect(ws.entries == ["corpus"])
  }

  static let negativeValues: [[String]] = [["--lr", "-0.1"], ["--epochs", "-1"], ["--context", "-1"]]

  @Test(
    "a negative value after a space is reported as invalid (not as a missing value), on one line",
    arguments: negativeValues)
  func negativeValueAsSeparateArgument(_ args: [String]) throws {
    let ws = Workspace("neg", corpus: catDog)
    defer { ws.cleanup() }
    let r = try run(["train", "--dir", ws.path] + args)
    expectCleanFailure(r, contains: [args[1]])
    #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
    #expect(ws.entries == ["corpus"])
  }

  @Test("broken artifacts: predict fails with one line naming the file and line")
  func brokenArtifacts() throws {
    let ws = Workspace("broken", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let weights = ws.url.appendingPathComponent("artifacts/02_model_weights.csv")
    let good = FileManager.default.contents(atPath: weights.path)!
    try good.prefix(good.count / 2).write(to: weights)
    expectCleanFailure(try run(["predict", "--dir", ws.path, "the", "cat"]), contains: ["02_model_weights.csv"])
    let lines = String(decoding: good, as: UTF8.self).components(separatedBy: "\r\n")
    var bad = lines
    bad[4] = bad[4].replacingOccurrences(of: ",0", with: ",zero")
    try Data(bad.joined(separator: "\r\n").utf8).write(to: weights)
    expectCleanFailure(try run(["predict", "--dir", ws.path, "the", "cat"]), contains: ["02_model_weights.csv", "5"])
    try good.write(to: weights)
    let meta = ws.url.appendingPathComponent("artifacts/00_meta.json")
    try Data("{\n  \"model_kind\": ".utf8).write(to: meta)
    expectCleanFailure(try run(["infer", "--dir", ws.path]), contains: ["00_meta.json"])
  }

  @Test("repl reads one context per line from stdin")
  func repl() throws {
    let ws = Workspace("repl", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let r = try run(["repl", "--dir", ws.path, "--topk", "2"], stdin: "the cat\n\non the\nzzz qqq\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("sat") || r.stdout.contains("lay"))
    #expect(r.stdout.contains("mat") || r.stdout.contains("rug"))
    #expect(r.stdout.contains("zzz"), "an unknown token is reported and the REPL goes on: \(r.stdout)")
    #expect(!r.stderr.contains("Fatal error"))
  }

  @Test("bare ngram-tui with piped stdin runs the line REPL (training first when needed)")
  func bareWithPipedStdin() throws {
    let ws = Workspace("bare", corpus: catDog)
    defer { ws.cleanup() }
    let r = try run([], cwd: ws.url, stdin: "the cat\nthe dog\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("sat") || r.stdout.contains("lay"), "\(r.stdout)")
    #expect(ws.exists("artifacts/00_meta.json"))
    for bad in ["Fatal error", "Stack dump", "initscr", "Error opening terminal"] {
      #expect(!r.stderr.contains(bad), "\(r.stderr)")
    }
    // Artifacts exist now: the second run goes straight to the REPL.
    let before = ws.snapshot()
    let r2 = try run([], cwd: ws.url, stdin: "on the\n")
    #expect(r2.status == 0, "\(r2.stderr)")
    #expect(r2.stdout.contains("mat") || r2.stdout.contains("rug"))
    #expect(ws.snapshot() == before)
  }

  @Test("bare ngram-tui with piped stdin and no corpus fails cleanly")
  func bareWithoutCorpus() throws {
    let ws = Workspace("bare-empty")
    defer { ws.cleanup() }
    let r = try run([], cwd: ws.url, stdin: "the cat\n")
    expectCleanFailure(r, contains: ["corpus"])
  }

  /// A corpus big enough that training takes a while, even in a debug build.
  static func bigCorpus() -> [UInt8] {
    if let d = FileManager.default.contents(atPath: "/tmp/fort/all.txt"), d.count > 1_000_000 { return Array(d) }
    var rng = SystemRandomNumberGenerator()
    var words: [String] = []
    for i in 0..<20_000 { words.append("w\(i)") }
    var out = ""
    out.reserveCapacity(3_000_000)
    for i in 0..<400_000 {
      let r = Int.random(in: 0..<1_000_000, using: &rng)
      out += words[(r * r) % words.count]
      out += i % 13 == 12 ? "\n" : " "
    }
    return Array(out.utf8)
  }

  @Test("SIGINT during training leaves the previous artifacts byte-identical and no temp files")
  func sigintDuringTraining() throws {
    let ws = Workspace("sigint", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--json"]).status == 0)
    let before = ws.snapshot()
    #expect(before.count == 5)
    // Swap in a big corpus and interrupt its training.
    try FileManager.default.removeItem(at: ws.url.appendingPathComponent("corpus"))
    ws.write(corpus: Self.bigCorpus(), name: "big.txt")
    let p = try start(["train", "--dir", ws.path, "--epochs", "2000000", "--weights", "compact"])
    Thread.sleep(forTimeInterval: 3)
    #expect(p.process.isRunning, "training finished before it could be interrupted")
    p.process.interrupt()
    let r = try p.wait(timeout: 60)
    #expect(r.status != 0)
    #expect(!r.stderr.contains("Fatal error"))
    #expect(r.stderrLines.count <= 1, "\(r.stderr)")
    #expect(ws.snapshot() == before, "previous artifacts must be byte-identical")
    #expect(ws.tempLeftovers.isEmpty, "\(ws.entries)")
  }

  @Test("train without --dir uses the current directory; the meta's repo_name and corpus.path follow it")
  func trainInCurrentDirectory() throws {
    let ws = Workspace("cwd", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    let r = try run(["train", "--epochs", "3", "--json"], cwd: ws.url)
    #expect(r.status == 0, "\(r.stderr)")
    let meta = try json(
      String(decoding: FileManager.default.contents(atPath: ws.path + "/artifacts/00_meta.json")!, as: UTF8.self))
    #expect(meta["repo_name"] as? String == ws.url.lastPathComponent)
    #expect((meta["corpus"] as? [String: Any])?["path"] as? String == "corpus/cat_dog.txt")
    #expect((meta["training"] as? [String: Any])?["epochs"] as? Int == 3)
  }

  @Test("a huge learning rate writes weights of 300 digits (%.4f), and the model loads back")
  func hugeLearningRateArtifactsLoad() throws {
    let ws = Workspace("hugelr", corpus: catDog)
    defer { ws.cleanup() }
    let t = try run(["train", "--dir", ws.path, "--lr", "1e300", "--epochs", "3", "--quiet"])
    #expect(t.status == 0, "\(t.stderr)")
    let weights = try String(contentsOfFile: ws.path + "/artifacts/02_model_weights.csv", encoding: .utf8)
    #expect(weights.split(separator: ",").contains { $0.count > 300 })
    for args in [["predict", "the", "cat"], ["infer", "--num-tokens", "2"], ["step", "--epoch", "3", "--pair", "1"]] {
      let r = try run(args + ["--dir", ws.path])
      #expect(r.status == 0, "\(args): \(r.stderr)")
    }
  }

  @Test("--dense-limit below V^n x V makes auto write the compact format; --weights dense over it is an error")
  func denseLimitOption() throws {
    let ws = Workspace("limit", corpus: catDog)
    defer { ws.cleanup() }
    let r = try run(["train", "--dir", ws.path, "--json", "--dense-limit", "100"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try json(r.stdout)["weights_format"] as? String == "compact")
    let before = ws.snapshot()
    let r2 = try run(["train", "--dir", ws.path, "--weights", "dense", "--dense-limit", "100"])
    expectCleanFailure(r2)
    // The engine says "dense limit"; the command line names its options.
    #expect(
      r2.stderr
        == "ngram-tui: error: dense weights would hold 512 numbers (limit 100): use --weights compact, or raise --dense-limit\n"
    )
    #expect(ws.snapshot() == before)
    #expect(ws.tempLeftovers.isEmpty)
    // Refused before training, not after every epoch has run: nothing on stdout.
    #expect(r2.stdout == "")
  }

  @Test("engine errors are printed in the command line's words: the option or command to use")
  func engineErrorsInCommandLineWords() throws {
    let ws = Workspace("words")
    defer { ws.cleanup() }
    let noCorpus = try run(["train", "--dir", ws.path])
    expectCleanFailure(noCorpus, contains: ["or pass --corpus FILE"])
    let noFile = try run(["train", "--dir", ws.path, "--corpus", ws.path + "/none.txt"])
    #expect(
      noFile.stderr == "ngram-tui: error: cannot read \(ws.path)/none.txt: no such file (check the --corpus path)\n")
    let noModel = try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "1"])
    expectCleanFailure(noModel, contains: ["(run `ngram-tui train` first)"])
    ws.write(corpus: Array(catDog.utf8), name: "c.txt")
    #expect(try run(["train", "--dir", ws.path, "--epochs", "3", "--quiet"]).status == 0)
    let epoch = try run(["step", "--dir", ws.path, "--epoch", "4", "--pair", "1"])
    #expect(epoch.stderr == "ngram-tui: error: invalid --epoch 4: use 1 to 3 (the epochs this model was trained for)\n")
    let pair = try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "23"])
    #expect(pair.stderr == "ngram-tui: error: invalid --pair 23: use 1 to 22 (the training pairs, in corpus order)\n")
  }

  @Test("--help exits 0 and lists the subcommands")
  func help() throws {
    let r = try run(["--help"])
    #expect(r.status == 0)
    for sub in ["train", "infer", "predict", "repl"] { #expect(r.stdout.contains(sub)) }
  }
}
