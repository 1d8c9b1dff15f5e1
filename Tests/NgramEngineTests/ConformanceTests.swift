import Foundation
import Testing

@testable import NgramEngine

/// Every conformance case (the visible ones from `../shared/conformance` and ours from the real
/// Python reference, `Fixtures/extra`) trained through the public engine API and compared with the
/// reference's files by the rules of `check-conformance.py`.
@Suite("Conformance with the Python reference")
struct ConformanceTests {
  /// The factual fields of `00_meta.json` (its prose is ours).
  static let metaFacts = [
    "repo_name", "model_kind", "vocab_size", "training.learning_rate", "training.epochs", "corpus.filename",
    "corpus.path", "corpus.sha256", "corpus.num_lines", "corpus.num_chars", "start_tokens",
  ]

  @Test("the fixture folders are present")
  func fixturesPresent() {
    #expect(Fixtures.visible.count == 7)
    #expect(Fixtures.extra.count >= 26)
    #expect(Fixtures.allCases.contains { $0.context == 0 })
    #expect(Fixtures.allCases.contains { $0.context == 1 })
    #expect(Fixtures.allCases.contains { $0.context == 3 })
  }

  @Test("a case trains to the reference's log and artifacts", arguments: Fixtures.allCases)
  func conformance(_ c: ConformanceCase) throws {
    let tmp = TempDir(c.name)
    defer { tmp.cleanup() }

    if let phrase = c.expectError {
      let dir = tmp.sub(c.name)
      let bytes = readBytes(c.corpusURL.path)!
      let path = makeCorpusDir(dir, name: c.corpusURL.lastPathComponent, bytes: bytes)
      let message = errorText {
        let corpus = try Corpus(bytes: bytes, path: path)
        _ = try Trainer(corpus: corpus, config: c.config)
      }
      #expect(message != nil, "expected an error containing \(phrase)")
      #expect(message?.lowercased().contains(phrase.lowercased()) == true, "\(message ?? "no error")")
      #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("artifacts").path))
      return
    }

    let dir = try trainCase(c, in: tmp)

    // outputs/train_log.csv: loss within 2e-8, accuracy exact; byte-identical for context 2.
    let gotLog = try #require(readBytes(dir.appendingPathComponent("outputs/train_log.csv").path))
    let expLog = try #require(readMaybeGz(c.expected.appendingPathComponent("outputs/train_log.csv")))
    let g = MiniCSV.parse(gotLog)
    let e = MiniCSV.parse(expLog)
    try #require(g.count == e.count, "train_log: \(g.count) rows, expected \(e.count)")
    #expect(g[0] == e[0])
    for (x, y) in zip(g.dropFirst(), e.dropFirst()) {
      #expect(x[0] == y[0])
      #expect(abs(Double(x[1])! - Double(y[1])!) <= 2e-8, "epoch \(y[0]): loss \(x[1]) != \(y[1])")
      #expect(x[2] == y[2], "epoch \(y[0]): accuracy \(x[2]) != \(y[2])")
    }
    if c.context == 2 {
      #expect(gotLog == expLog, "train_log.csv not byte-identical")
    }

    // 00_meta.json: the factual fields, with the number lexemes Python writes (0.1, 1.0, 1e-05).
    let gotMetaBytes = try #require(readBytes(dir.appendingPathComponent("artifacts/00_meta.json").path))
    let expMetaBytes = try #require(readMaybeGz(c.expected.appendingPathComponent("artifacts/00_meta.json")))
    let gm = try MiniJSON.parse(gotMetaBytes)
    let em = try MiniJSON.parse(expMetaBytes)
    for key in Self.metaFacts {
      if key == "start_tokens" && em[key] == nil { continue }
      #expect(gm[key] != nil, "00_meta.json lacks \(key)")
      #expect(
        gm[key] == em[key],
        "00_meta.json \(key): got \(String(describing: gm[key])), expected \(String(describing: em[key]))")
    }
    #expect(gotMetaBytes.allSatisfy { $0 < 0x80 }, "00_meta.json must be ASCII (non-ASCII escaped)")
    #expect(gotMetaBytes.last == 0x0A, "00_meta.json must end with a newline")
    if case .object(let files)? = gm["artifacts"] {
      for name in files.keys {
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("artifacts/\(name)").path), "\(name)")
      }
    } else {
      Issue.record("00_meta.json has no artifacts map")
    }

    // The CSV artifacts: byte-identical (context 2, and the vocabulary always), else within 5e-5.
    for name in ["01_vocabulary.csv", "02_model_weights.csv", "03_token_embeddings.csv"] {
      guard let exp = readMaybeGz(c.expected.appendingPathComponent("artifacts/\(name)")) else { continue }
      let got = try #require(readBytes(dir.appendingPathComponent("artifacts/\(name)").path), "no artifacts/\(name)")
      if c.context == 2 || name == "01_vocabulary.csv" {
        if got != exp {
          let why = MiniCSV.numericallyClose(got, exp, tol: 5e-5, what: name) ?? "same values, different bytes"
          Issue.record("\(name) not byte-identical: \(why)")
        }
      } else {
        let why = MiniCSV.numericallyClose(got, exp, tol: 5e-5, what: name)
        #expect(why == nil, "\(why ?? "")")
      }
    }
  }

  @Test(
    "start_tokens are escaped exactly as Python's json writes them",
    arguments: Fixtures.allCases.filter { $0.context == 2 && $0.expectError == nil })
  func startTokensBytes(_ c: ConformanceCase) throws {
    let tmp = TempDir(c.name)
    defer { tmp.cleanup() }
    let dir = try trainCase(c, in: tmp)
    func block(_ bytes: [UInt8]) -> String? {
      let text = String(decoding: bytes, as: UTF8.self)
      guard let r = text.range(of: "\"start_tokens\": [") else { return nil }
      guard let end = text[r.upperBound...].range(of: "]") else { return nil }
      return String(text[r.lowerBound..<end.upperBound])
    }
    let got = block(readBytes(dir.appendingPathComponent("artifacts/00_meta.json").path)!)
    let exp = block(readMaybeGz(c.expected.appendingPathComponent("artifacts/00_meta.json"))!)
    #expect(exp != nil)
    #expect(got == exp)
  }

  @Test("the training log matches an independent dense implementation", arguments: Fixtures.smallCases)
  func denseReplay(_ c: ConformanceCase) throws {
    let corpus = try Corpus(bytes: readBytes(c.corpusURL.path)!, path: c.corpusURL.path)
    var rows = 1
    for _ in 0..<c.context { rows *= corpus.vocabulary.count }
    let (model, log) = try Trainer(corpus: corpus, config: c.config).train()
    let dense = DenseReference(
      tokenIDs: corpus.tokenIDs.map(Int.init), v: corpus.vocabulary.count, n: c.context, lr: c.lr, epochs: c.epochs)
    #expect(log.count == dense.log.count)
    for (a, b) in zip(log, dense.log) {
      #expect(abs(a.avgLoss - b.loss) <= 1e-10, "epoch \(a.epoch): \(a.avgLoss) vs \(b.loss)")
      #expect(a.accuracy == b.accuracy, "epoch \(a.epoch)")
    }
    // Every row's probabilities agree with the dense table's softmax.
    let v = corpus.vocabulary.count
    var worst = 0.0
    var worstAt = ""
    for r in 0..<rows {
      var context: [Int] = []
      var x = r
      for _ in 0..<c.context {
        context.insert(x % v, at: 0)
        x /= v
      }
      let d = model.distribution(context: context)
      let p = DenseReference.softmax(dense.weights[r])
      for j in 0..<v where abs(d.probability(of: j) - p[j]) > worst {
        worst = abs(d.probability(of: j) - p[j])
        worstAt = "row \(r) column \(j)"
      }
    }
    #expect(worst <= 1e-9, "largest probability difference \(worst) at \(worstAt)")
  }
}
