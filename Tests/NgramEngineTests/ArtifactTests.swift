import Foundation
import Testing

@testable import NgramEngine

/// SPEC §2 "Size" and "Never lose data", §3 loading and validation.
@Suite("Artifacts: atomic writing, formats, loading, validation")
struct ArtifactTests {
  /// Every file under DIR/artifacts and DIR/outputs with its bytes.
  func snapshot(_ dir: URL) -> [String: [UInt8]] {
    var out: [String: [UInt8]] = [:]
    for sub in ["artifacts", "outputs"] {
      let d = dir.appendingPathComponent(sub)
      for name in (try? FileManager.default.contentsOfDirectory(atPath: d.path)) ?? [] {
        out["\(sub)/\(name)"] = readBytes(d.appendingPathComponent(name).path)
      }
    }
    return out
  }

  func leftovers(_ dir: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasPrefix(".ngram-tui-tmp-") }
  }

  /// Trains `text` into `dir` and writes artifacts in `format`.
  @discardableResult
  func train(
    _ dir: URL, text: String, config: TrainingConfig = TrainingConfig(epochs: 20), format: WeightsFormat = .dense
  ) throws -> (Corpus, NgramModel) {
    let path = (try? Corpus.locate(directory: dir.path, corpusOverride: nil)) ?? makeCorpusDir(dir, text: text)
    let corpus = try Corpus.load(path: path)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    _ = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: format)
    return (corpus, model)
  }

  static let catDog = "the cat sat on the mat\nthe dog sat on the rug\nthe cat lay on the rug\nthe dog lay on the mat\n"

  // MARK: atomic writing

  @Test("a cancelled second run leaves the first run's artifacts byte-identical and no temp dir")
  func cancelledWriteKeepsPrevious() throws {
    let tmp = TempDir("atomic")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog)
    let before = snapshot(dir)
    #expect(before.count == 5)

    let corpus = try Corpus.load(path: try Corpus.locate(directory: dir.path, corpusOverride: nil))
    let config = TrainingConfig(learningRate: 0.5, epochs: 7)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    for format in [WeightsFormat.dense, .compact] {
      let e = thrownError {
        _ = try ArtifactStore.write(
          directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: format,
          isCancelled: { true })
      }
      #expect(e as? NgramError == .cancelled)
      #expect(snapshot(dir) == before)
      #expect(leftovers(dir).isEmpty)
    }
  }

  @Test("cancelling during training (TrainingJob) changes nothing on disk")
  func cancelledSessionKeepsPrevious() throws {
    let tmp = TempDir("atomic2")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog)
    let before = snapshot(dir)
    let control = TrainingControl()
    let e = thrownError {
      _ = try TrainingJob(directory: dir.path, config: TrainingConfig(learningRate: 0.3, epochs: 10_000)).run(
        control: control,
        onEvent: { event in
          if case .epochFinished(let stats, _, _) = event, stats.epoch >= 3 { control.cancel() }
        })
    }
    #expect(e as? NgramError == .cancelled)
    #expect(snapshot(dir) == before)
    #expect(leftovers(dir).isEmpty)
  }

  @Test("a second complete run replaces every file")
  func secondRunReplaces() throws {
    let tmp = TempDir("replace")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog)
    let before = snapshot(dir)
    try train(dir, text: Self.catDog, config: TrainingConfig(learningRate: 0.5, epochs: 20))
    let after = snapshot(dir)
    #expect(after.keys.sorted() == before.keys.sorted())
    #expect(after["outputs/train_log.csv"] != before["outputs/train_log.csv"])
    #expect(after["artifacts/02_model_weights.csv"] != before["artifacts/02_model_weights.csv"])
    #expect(leftovers(dir).isEmpty)
  }

  @Test("switching weights format removes the stale file of the other format")
  func formatSwitch() throws {
    let tmp = TempDir("switch")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog, format: .dense)
    try train(dir, text: Self.catDog, format: .compact)
    let names = Set(snapshot(dir).keys)
    #expect(names.contains("artifacts/\(CompactWeightsTSV.fileName)"))
    #expect(!names.contains("artifacts/02_model_weights.csv"))
    #expect(try ArtifactStore.load(directory: dir.path).format == .compact)
    try train(dir, text: Self.catDog, format: .dense)
    let names2 = Set(snapshot(dir).keys)
    #expect(!names2.contains("artifacts/\(CompactWeightsTSV.fileName)"))
    #expect(try ArtifactStore.load(directory: dir.path).format == .dense)
  }

  @Test(
    "a run that fails before training writes nothing",
    arguments: [
      [0x61, 0x20, 0x62, 0x20, 0xFF, 0x0A] as [UInt8],  // invalid UTF-8
      Array("one two".utf8),  // too few tokens
      [],  // empty
    ])
  func failureWritesNothing(_ bytes: [UInt8]) throws {
    let tmp = TempDir("fail")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    makeCorpusDir(dir, bytes: bytes)
    let e = thrownError {
      _ = try TrainingJob(directory: dir.path).run()
    }
    #expect(e is NgramError)
    let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(entries == ["corpus"], "\(entries)")
  }

  @Test("invalid options fail before anything is written")
  func invalidOptionsWriteNothing() throws {
    let tmp = TempDir("opts")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    makeCorpusDir(dir, text: Self.catDog)
    for config in [
      TrainingConfig(learningRate: -1), TrainingConfig(learningRate: .nan), TrainingConfig(epochs: -2),
      TrainingConfig(contextLength: 4),
    ] {
      let e = thrownError {
        _ = try TrainingJob(directory: dir.path, config: config).run()
      }
      switch e as? NgramError {
      case .invalidLearningRate?, .invalidEpochs?, .unsupportedContextLength?: break
      default: Issue.record("expected the setting's error for \(config), got \(String(describing: e))")
      }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["corpus"])
  }

  // MARK: corpus directory rules

  @Test("a missing corpus/ directory is an error naming it")
  func corpusMissing() {
    let tmp = TempDir("nocorpus")
    defer { tmp.cleanup() }
    let e = thrownError { _ = try Corpus.locate(directory: tmp.path, corpusOverride: nil) }
    guard case .corpusDirectoryMissing(let d)? = e as? NgramError else {
      Issue.record("got \(String(describing: e))")
      return
    }
    #expect(d.hasSuffix("corpus"))
    #expect((e as? NgramError)?.description.contains(tmp.path) == true)
  }

  @Test("an empty corpus/ directory is an error naming it")
  func corpusEmpty() {
    let tmp = TempDir("empty")
    defer { tmp.cleanup() }
    _ = tmp.sub("corpus/subdir")
    let e = thrownError { _ = try Corpus.locate(directory: tmp.path, corpusOverride: nil) }
    guard case .corpusDirectoryEmpty? = e as? NgramError else {
      Issue.record("got \(String(describing: e))")
      return
    }
    #expect((e as? NgramError)?.description.contains(tmp.path + "/corpus") == true)
  }

  @Test("two files in corpus/ is an error naming the directory")
  func corpusTwoFiles() {
    let tmp = TempDir("two")
    defer { tmp.cleanup() }
    makeCorpusDir(tmp.url, name: "a.txt", text: "a b c")
    makeCorpusDir(tmp.url, name: "b.txt", text: "a b c")
    let e = thrownError { _ = try Corpus.locate(directory: tmp.path, corpusOverride: nil) }
    guard case .corpusDirectoryAmbiguous(_, let files)? = e as? NgramError else {
      Issue.record("got \(String(describing: e))")
      return
    }
    #expect(files.count == 2)
    #expect((e as? NgramError)?.description.contains(tmp.path + "/corpus") == true)
  }

  @Test("one file plus a subdirectory is fine (the reference counts regular files)")
  func corpusSubdirIgnored() throws {
    let tmp = TempDir("subdir")
    defer { tmp.cleanup() }
    let p = makeCorpusDir(tmp.url, name: "only.txt", text: "a b c")
    _ = tmp.sub("corpus/notes")
    #expect(try Corpus.locate(directory: tmp.path, corpusOverride: nil) == p)
  }

  @Test("--corpus overrides the rule; the meta's path is absolute outside DIR")
  func corpusOverride() throws {
    let tmp = TempDir("override")
    defer { tmp.cleanup() }
    let outside = tmp.url.appendingPathComponent("elsewhere.txt")
    _ = FileManager.default.createFile(atPath: outside.path, contents: Data(Self.catDog.utf8))
    let dir = tmp.sub("base")
    let path = try Corpus.locate(directory: dir.path, corpusOverride: outside.path)
    let corpus = try Corpus.load(path: path)
    let config = TrainingConfig(epochs: 2)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    _ = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: .dense)
    let meta = try MiniJSON.parse(readBytes(dir.appendingPathComponent("artifacts/00_meta.json").path)!)
    #expect(meta["corpus.path"] == .string(outside.path))
    #expect(meta["corpus.filename"] == .string("elsewhere.txt"))
    #expect(meta["repo_name"] == .string("base"))
    #expect(thrownError { _ = try Corpus.locate(directory: dir.path, corpusOverride: tmp.path + "/nope.txt") } != nil)
  }

  // MARK: formats and round trips

  @Test("auto writes dense under the cell limit and compact above it; dense over the limit is refused")
  func denseLimit() throws {
    let tmp = TempDir("limit")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    let path = makeCorpusDir(dir, text: Self.catDog)
    let corpus = try Corpus.load(path: path)
    let config = TrainingConfig(epochs: 2)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    #expect(WeightsFormat.denseCellCount(vocabSize: 8, contextLength: 2) == 512)
    #expect(WeightsFormat.denseCellCount(vocabSize: 1 << 20, contextLength: 3) == Int.max)
    let w1 = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: .auto, denseCellLimit: 512)
    #expect(w1.format == .dense)
    let w2 = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: .auto, denseCellLimit: 511)
    #expect(w2.format == .compact)
    let meta = try MiniJSON.parse(readBytes(dir.appendingPathComponent("artifacts/00_meta.json").path)!)
    #expect(meta["artifacts"].map { "\($0)" }?.contains(CompactWeightsTSV.fileName) == true)
    let e = thrownError {
      _ = try ArtifactStore.write(
        directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: .dense, denseCellLimit: 511
      )
    }
    #expect(e as? NgramError == .denseTooLarge(cells: 512, limit: 511))
  }

  static let roundTripCases =
    ["cat_dog", "quoting_and_unicode", "repeat_one_token", "three_tokens"].map { Fixtures.named("conformance", $0) }
    + [
      "cat_dog_ctx0", "cat_dog_ctx1", "cat_dog_ctx3", "nfc_nfd_astral", "full_vocab_row", "random_v50_ctx2_lr25",
      "random_v12_ctx3",
    ].map { Fixtures.named("extra", $0) }

  /// Every context row (all V^n of them when small, else the trained ones plus a few untrained).
  func contexts(_ model: NgramModel, corpus: Corpus) -> [[Int]] {
    let v = model.vocabulary.count
    let n = model.contextLength.value
    var all: [[Int]] = [[]]
    for _ in 0..<n { all = all.flatMap { p in (0..<v).map { p + [$0] } } }
    return all
  }

  @Test("compact round trip: bit-identical probabilities to the in-memory model", arguments: roundTripCases)
  func compactRoundTrip(_ c: ConformanceCase) throws {
    let tmp = TempDir("compact")
    defer { tmp.cleanup() }
    let dir = tmp.sub(c.name)
    let bytes = readBytes(c.corpusURL.path)!
    let path = makeCorpusDir(dir, name: c.corpusURL.lastPathComponent, bytes: bytes)
    let corpus = try Corpus(bytes: bytes, path: path)
    let (model, log) = try Trainer(corpus: corpus, config: c.config).train()
    let written = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: c.config, model: model, log: log, format: .compact)
    #expect(written.format == .compact)
    let loaded = try ArtifactStore.load(directory: dir.path)
    #expect(loaded.format == .compact)
    #expect(loaded.model.contextLength.value == c.context)
    #expect(
      loaded.model.vocabulary.tokens.map { Array($0.unicodeScalars) }
        == corpus.vocabulary.tokens.map { Array($0.unicodeScalars) })
    #expect(loaded.model.vocabulary.frequencies == corpus.vocabulary.frequencies)
    #expect(loaded.model.trainedRowCount == model.trainedRowCount)
    var mismatches = 0
    for ctx in contexts(model, corpus: corpus) {
      let a = model.distribution(context: ctx)
      let b = loaded.model.distribution(context: ctx)
      for j in 0..<corpus.vocabulary.count where a.probability(of: j).bitPattern != b.probability(of: j).bitPattern {
        mismatches += 1
      }
      #expect(model.topK(context: ctx, k: 5) == loaded.model.topK(context: ctx, k: 5))
    }
    #expect(mismatches == 0)
    if c.context == 2 {
      #expect(
        loaded.startTokens.map { Array($0.unicodeScalars) }
          == corpus.tokenIDs.prefix(2).map { Array(corpus.vocabulary.tokens[Int($0)].unicodeScalars) })
    }
    let start = Array(corpus.tokenIDs.prefix(c.context).map(Int.init))
    #expect(model.generate(start: start, count: 12) == loaded.model.generate(start: start, count: 12))
  }

  /// Top-k from a dense CSV as the reference computes it: softmax with the max subtracted, then
  /// sorted by probability descending, ties by lower id.
  func referenceTopK(_ row: [Double]) -> [(id: Int, p: Double)] {
    let p = DenseReference.softmax(row)
    return p.enumerated().map { (id: $0.offset, p: $0.element) }.sorted { $0.p != $1.p ? $0.p > $1.p : $0.id < $1.id }
  }

  func checkDenseAgainstCSV(_ artifactsParent: URL, rowLimit: Int = .max) throws {
    let loaded = try ArtifactStore.load(directory: artifactsParent.path)
    #expect(loaded.format == .dense)
    let csv = MiniCSV.parse(
      try #require(readMaybeGz(artifactsParent.appendingPathComponent("artifacts/02_model_weights.csv"))))
    let v = loaded.model.vocabulary.count
    let n = loaded.model.contextLength.value
    #expect(csv[0].count == v + 1)
    var checked = 0
    for (r, fields) in csv.dropFirst().enumerated() {
      let weights = fields.dropFirst().map { Double($0)! }
      if r >= rowLimit && weights.allSatisfy({ $0 == 0 }) { continue }
      var ctx: [Int] = []
      var x = r
      for _ in 0..<n {
        ctx.insert(x % v, at: 0)
        x /= v
      }
      let expected = referenceTopK(weights)
      let got = loaded.model.topK(context: ctx, k: v)
      #expect(got.map(\.id) == expected.map(\.id), "row \(r) (\(fields[0])): top-k order differs")
      for (g, e) in zip(got, expected) {
        #expect(abs(g.probability - e.p) <= 1e-12, "row \(r) id \(e.id): \(g.probability) vs \(e.p)")
      }
      // The label column names the context.
      #expect(
        fields[0].unicodeScalars.elementsEqual(
          (n == 0 ? "(no context)" : ctx.map { loaded.model.vocabulary.tokens[$0] }.joined(separator: "|"))
            .unicodeScalars))
      checked += 1
    }
    #expect(checked > 0)
  }

  static let pythonDense: [ConformanceCase] =
    ["cat_dog", "cat_dog_lr05_e200", "quoting_and_unicode", "repeat_one_token", "three_tokens"].map {
      Fixtures.named("conformance", $0)
    }
    + [
      "cat_dog_ctx0", "cat_dog_ctx1", "cat_dog_ctx3", "bom", "nfc_nfd_astral", "unicode_whitespace_ctx3",
      "random_v60_ctx1", "cat_dog_lr1e5",
    ].map { Fixtures.named("extra", $0) }

  @Test("a dense CSV written by the Python reference loads and predicts the reference's top-k", arguments: pythonDense)
  func pythonWrittenDense(_ c: ConformanceCase) throws {
    try checkDenseAgainstCSV(c.expected)
  }

  @Test("the visible fortunes_300 reference CSV (gzipped, copied out) loads and predicts")
  func pythonWrittenFortunes() throws {
    let c = Fixtures.named("conformance", "fortunes_300")
    let tmp = TempDir("fortunes")
    defer { tmp.cleanup() }
    let art = tmp.sub("f/artifacts")
    for name in ["00_meta.json", "01_vocabulary.csv", "02_model_weights.csv"] {
      let bytes = try #require(readMaybeGz(c.expected.appendingPathComponent("artifacts/\(name)")))
      _ = FileManager.default.createFile(atPath: art.appendingPathComponent(name).path, contents: Data(bytes))
    }
    try checkDenseAgainstCSV(art.deletingLastPathComponent(), rowLimit: 50)
  }

  @Test("our dense CSV loads back and predicts what the reference would from it", arguments: roundTripCases)
  func denseRoundTrip(_ c: ConformanceCase) throws {
    let tmp = TempDir("dense")
    defer { tmp.cleanup() }
    let dir = try trainCase(c, in: tmp, format: .dense)
    try checkDenseAgainstCSV(dir)
  }

  @Test("top-k breaks exact probability ties by lower id, including untrained columns")
  func topKTies() throws {
    let tmp = TempDir("ties")
    defer { tmp.cleanup() }
    let dir = tmp.sub("ties")
    try train(dir, text: "a b c d a b", config: TrainingConfig(contextLength: 1, epochs: 1))
    // Hand-written weights: row "b" has d and b tied above the rest, a and c tied below.
    let art = dir.appendingPathComponent("artifacts")
    try dropManifest(dir)
    let csv =
      "input_token,a,b,c,d\r\na,0,0,0,0\r\nb,-0.5000,1.5000,-0.5000,1.5000\r\nc,0,0,0,0\r\nd,2.0000,0,0,0\r\n"
    try Data(csv.utf8).write(to: art.appendingPathComponent("02_model_weights.csv"))
    let m = try ArtifactStore.load(directory: dir.path).model
    #expect(m.topK(context: [1], k: 4).map(\.id) == [1, 3, 0, 2])
    #expect(m.topK(context: [0], k: 4).map(\.id) == [0, 1, 2, 3])
    #expect(m.topK(context: [3], k: 4).map(\.id) == [0, 1, 2, 3])
    #expect(m.topK(context: [3], k: 2).map(\.id) == [0, 1])
    #expect(m.distribution(context: [1]).argmax == 1)
    let top = m.topK(context: [1], k: 4)
    #expect(top[0].probability == top[1].probability)
    #expect(abs(top.map(\.probability).reduce(0, +) - 1) < 1e-15)
    #expect(m.topK(context: [1], k: 0).isEmpty)
    #expect(m.topK(context: [1], k: 10).count == 4)
  }

  @Test("greedy generation slides the window and takes the argmax")
  func generation() throws {
    let c = try Corpus(bytes: Array(Self.catDog.utf8), path: "x")
    let (model, _) = try Trainer(corpus: c, config: TrainingConfig()).train()
    let v = c.vocabulary
    let start = [v.id(of: "the")!, v.id(of: "cat")!]
    let out = model.generate(start: start, count: 6)
    var window = start
    for id in out {
      #expect(id == model.distribution(context: window).argmax)
      window = [window[1], id]
    }
    #expect(out.map { v.tokens[$0] }.first == "sat" || out.map { v.tokens[$0] }.first == "lay")
  }

  // MARK: unknown tokens

  @Test("unknown tokens are an error naming them, with near vocabulary entries")
  func unknownTokens() throws {
    let c = try Corpus(bytes: Array(Self.catDog.utf8), path: "x")
    let (model, _) = try Trainer(corpus: c, config: TrainingConfig(epochs: 1)).train()
    let e = thrownError { _ = try model.ids(for: ["the", "kat", "zzzzzzzzzz"]) }
    guard case .unknownTokens(let toks, let sugg)? = e as? NgramError else {
      Issue.record("expected unknownTokens, got \(String(describing: e))")
      return
    }
    #expect(toks == ["kat", "zzzzzzzzzz"])
    #expect(sugg.first?.contains("cat") == true)
    let text = (e as! NgramError).description
    #expect(text.contains("kat"))
    #expect(text.contains("cat"))
    #expect(text.contains("zzzzzzzzzz"))
    #expect(!text.contains("\n"))
    // Canonically equivalent spellings are different tokens.
    let c2 = try Corpus(bytes: Array("caf\u{E9} x y".utf8), path: "x")
    let (m2, _) = try Trainer(corpus: c2, config: TrainingConfig(epochs: 1)).train()
    #expect(thrownError { _ = try m2.ids(for: ["cafe\u{301}"]) } != nil)
    #expect(try m2.ids(for: ["caf\u{E9}"]) == [0])
  }

  // MARK: broken artifacts

  struct Breakage: Sendable, CustomTestStringConvertible {
    let name: String
    let file: String
    /// The line the error must name (nil: any).
    let line: Int?
    let mutate: @Sendable (String) -> String
    var testDescription: String { name }
  }

  static func lines(_ s: String) -> [String] { s.components(separatedBy: "\r\n") }

  static let breakages: [Breakage] = [
    Breakage(name: "vocabulary: wrong header", file: "01_vocabulary.csv", line: 1) {
      $0.replacingOccurrences(of: "token_id,token,frequency", with: "id,token,frequency")
    },
    Breakage(name: "vocabulary: truncated", file: "01_vocabulary.csv", line: nil) {
      lines($0).prefix(4).joined(separator: "\r\n") + "\r\n"
    },
    Breakage(name: "vocabulary: cut mid-row", file: "01_vocabulary.csv", line: nil) { String($0.prefix($0.count - 4)) },
    Breakage(name: "vocabulary: unterminated quote", file: "01_vocabulary.csv", line: 3) {
      var l = lines($0)
      l[2] = "1,\"dog,2"
      return l.joined(separator: "\r\n")
    },
    Breakage(name: "vocabulary: non-number frequency", file: "01_vocabulary.csv", line: 4) {
      var l = lines($0)
      l[3] = "2,lay,two"
      return l.joined(separator: "\r\n")
    },
    Breakage(name: "vocabulary: empty", file: "01_vocabulary.csv", line: nil) { _ in "" },
    Breakage(name: "weights: wrong header", file: "02_model_weights.csv", line: 1) {
      $0.replacingOccurrences(of: "input_token,", with: "context,")
    },
    Breakage(name: "weights: header too narrow", file: "02_model_weights.csv", line: 1) {
      $0.replacingOccurrences(of: ",the\r\n", with: "\r\n")
    },
    Breakage(name: "weights: row too short", file: "02_model_weights.csv", line: 5) {
      var l = lines($0)
      l[4] = l[4].split(separator: ",").dropLast().joined(separator: ",")
      return l.joined(separator: "\r\n")
    },
    Breakage(name: "weights: row too long", file: "02_model_weights.csv", line: 6) {
      var l = lines($0)
      l[5] += ",0"
      return l.joined(separator: "\r\n")
    },
    Breakage(name: "weights: truncated rows", file: "02_model_weights.csv", line: nil) {
      lines($0).prefix(30).joined(separator: "\r\n") + "\r\n"
    },
    Breakage(name: "weights: cut mid-row", file: "02_model_weights.csv", line: nil) { String($0.prefix($0.count - 7)) },
    Breakage(name: "weights: not a number", file: "02_model_weights.csv", line: 3) {
      var l = lines($0)
      var f = l[2].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      f[3] = "abc"
      l[2] = f.joined(separator: ",")
      return l.joined(separator: "\r\n")
    },
    Breakage(name: "weights: empty field", file: "02_model_weights.csv", line: 4) {
      var l = lines($0)
      var f = l[3].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      f[2] = ""
      l[3] = f.joined(separator: ",")
      return l.joined(separator: "\r\n")
    },
    Breakage(name: "weights: extra rows", file: "02_model_weights.csv", line: 66) {
      let l = lines($0)
      return $0 + l[1] + "\r\n"
    },
    Breakage(name: "weights: empty", file: "02_model_weights.csv", line: nil) { _ in "" },
    Breakage(name: "meta: truncated JSON", file: "00_meta.json", line: nil) { String($0.prefix($0.count / 2)) },
    Breakage(name: "meta: not an object", file: "00_meta.json", line: nil) { _ in "[1, 2]\n" },
    Breakage(name: "meta: syntax error on line 3", file: "00_meta.json", line: 3) { s in
      var l = s.components(separatedBy: "\n")
      l[2] = l[2].replacingOccurrences(of: ":", with: "")
      return l.joined(separator: "\n")
    },
    Breakage(name: "meta: unknown model_kind", file: "00_meta.json", line: nil) {
      $0.replacingOccurrences(of: "\"context2\"", with: "\"context9\"")
    },
    Breakage(name: "meta: vocab_size disagrees", file: "01_vocabulary.csv", line: nil) {
      $0.replacingOccurrences(of: "\"vocab_size\": 8", with: "\"vocab_size\": 9")
    },
    Breakage(name: "meta: empty", file: "00_meta.json", line: nil) { _ in "" },
  ]

  @Test("a broken artifact is a clear error naming the file and line, never a crash", arguments: breakages)
  func brokenArtifacts(_ b: Breakage) throws {
    let tmp = TempDir("broken")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog)
    _ = try ArtifactStore.load(directory: dir.path)
    try dropManifest(dir)
    // "meta: vocab_size disagrees" edits the meta but the error is about the vocabulary's length.
    let target = b.name.hasPrefix("meta:") ? "00_meta.json" : b.file
    let url = dir.appendingPathComponent("artifacts/\(target)")
    let text = String(decoding: readBytes(url.path)!, as: UTF8.self)
    try Data(b.mutate(text).utf8).write(to: url)
    let e = thrownError { _ = try ArtifactStore.load(directory: dir.path) }
    guard let err = e as? NgramError else {
      Issue.record("expected an NgramError, got \(String(describing: e))")
      return
    }
    let message = err.description
    #expect(!message.contains("\n"), "one line: \(message)")
    let names = message.contains(b.file) || (b.name.hasPrefix("meta:") && message.contains("00_meta.json"))
    #expect(names, "must name \(b.file): \(message)")
    switch err {
    case .malformed(let file, let line, _), .metaMalformed(let file, let line, _):
      #expect(file.hasSuffix(b.file) || (b.name.hasPrefix("meta:") && file.hasSuffix("00_meta.json")))
      if let want = b.line { #expect(line == want, "\(message)") }
      #expect(message.contains(":\(line)") || message.contains("line \(line)"))
    default:
      Issue.record("expected NgramError.malformed, got \(message)")
    }
  }

  @Test("compact weights: a corrupt or truncated file is an error naming file and line")
  func brokenCompact() throws {
    let tmp = TempDir("broken-compact")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog, format: .compact)
    try dropManifest(dir)
    let url = dir.appendingPathComponent("artifacts/\(CompactWeightsTSV.fileName)")
    let good = String(decoding: readBytes(url.path)!, as: UTF8.self)
    let l = good.components(separatedBy: "\n")
    let variants: [String] = [
      l.prefix(l.count - 3).joined(separator: "\n") + "\n",  // rows missing
      good.replacingOccurrences(of: "\t", with: " "),  // wrong separators
      l.enumerated().map { $0.offset == l.count - 2 ? "0 1\tnope\t" : $0.element }.joined(separator: "\n"),
      l.enumerated().map { $0.offset == l.count - 2 ? "99 1\t0.0\t" : $0.element }.joined(separator: "\n"),
      "",
    ]
    for v in variants {
      try Data(v.utf8).write(to: url)
      let e = thrownError { _ = try ArtifactStore.load(directory: dir.path) }
      guard case .malformed(let file, _, _)? = e as? NgramError else {
        Issue.record("expected malformed, got \(String(describing: e))")
        continue
      }
      #expect(file.hasSuffix(CompactWeightsTSV.fileName))
    }
  }

  @Test("missing artifacts say to train a model first, naming the file")
  func missingArtifacts() throws {
    let tmp = TempDir("missing")
    defer { tmp.cleanup() }
    let e = thrownError { _ = try ArtifactStore.load(directory: tmp.path) }
    guard case .artifactsMissing(let directory, _)? = e as? NgramError else {
      Issue.record("expected artifactsMissing, got \(String(describing: e))")
      return
    }
    #expect(directory.hasSuffix("artifacts"))
    #expect((e as? NgramError)?.description.contains("train a model there first") == true)
    let dir = tmp.sub("run")
    try train(dir, text: Self.catDog)
    for name in ["02_model_weights.csv", "01_vocabulary.csv"] {
      try FileManager.default.removeItem(at: dir.appendingPathComponent("artifacts/\(name)"))
      let e2 = thrownError { _ = try ArtifactStore.load(directory: dir.path) }
      let text = (e2 as? NgramError)?.description ?? "\(String(describing: e2))"
      #expect(text.contains(name), "\(text)")
      #expect(text.contains("train a model there first"), "\(text)")
    }
  }
}
