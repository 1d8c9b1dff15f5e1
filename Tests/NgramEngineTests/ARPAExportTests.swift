import Foundation
import Testing

@testable import NgramEngine

// The SGD model written as ARPA must be scored by KenLM exactly as ngram-tui scores it.
// scripts/make-sgd-arpa-fixtures.py trained each case with the ngram-tui binary, exported it and
// recorded KenLM's full_scores of the training text, an unseen shuffle and a text with an unknown
// word, with the exported file's SHA-256. Here the same case is trained and exported again: the
// file must be the one KenLM scored, and ngram-tui's own probabilities must equal KenLM's.

struct SGDExportExpectation: Decodable, CustomTestStringConvertible, Sendable {
  let `case`: String
  let context: Int
  let order: Int
  let arpa_sha256: String
  let texts: [ARPAExpectation.Text]
  var name = ""
  var testDescription: String { name }

  enum CodingKeys: String, CodingKey { case `case`, context, order, arpa_sha256, texts }

  static let root = Fixtures.root.appendingPathComponent("arpa/sgd")
  static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
    .filter { $0.hasSuffix(".json") }.sorted()

  static func load(_ file: String) -> SGDExportExpectation {
    var e = try! JSONDecoder().decode(
      SGDExportExpectation.self, from: Data(contentsOf: root.appendingPathComponent(file)))
    e.name = file
    return e
  }
}

@Suite struct ARPAExportTests {
  @Test(arguments: SGDExportExpectation.names)
  func kenLMScoresTheExportAsNgramTUIDoes(_ file: String) throws {
    let exp = SGDExportExpectation.load(file)
    let parts = exp.case.split(separator: "/").map(String.init)
    let base = Fixtures.named(parts[0], parts[1])
    let c = ConformanceCase(
      group: base.group, name: base.name, url: base.url, lr: base.lr, lrText: base.lrText, epochs: base.epochs,
      context: exp.context, corpusRelative: base.corpusRelative, expectError: nil)
    let tmp = TempDir("export")
    defer { tmp.cleanup() }
    let dir = try trainCase(c, in: tmp, format: .compact)
    let model = try ArtifactStore.load(directory: dir.path).model
    let text = try ARPAWriter.render(SGDARPAExport(model: model))
    let digest = text.withUnsafeBufferPointer { SHA256.hexDigest($0) }
    #expect(digest == exp.arpa_sha256, "the export changed: rerun scripts/make-sgd-arpa-fixtures.py")
    let arpa = try ARPAModel.parse(text, name: file)
    #expect(arpa.order == exp.order)
    let n = exp.context
    let uniform = -log10(Double(model.vocabulary.count))
    for t in exp.texts {
      let words = t.text.split(separator: " ").map { String($0) }
      let sgd = Evaluation.evaluate(model, tokens: words)
      #expect(sgd.tokens.first?.position == min(n, words.count))
      for s in sgd.tokens where !s.oov {
        let kenlm = t.scores[s.position][0].number
        #expect(abs(s.log10Probability! - kenlm) <= kenlmTolerance, "\(file) '\(s.token)' at \(s.position)")
      }
      // Before n tokens of context the export is uniform, as an untrained row.
      for i in 0..<min(n, words.count) where model.vocabulary.id(of: words[i]) != nil {
        #expect(abs(t.scores[i][0].number - uniform) <= kenlmTolerance)
      }
      // ngram-tui reading its own export gives KenLM's score for every token, OOV included.
      let read = Evaluation.evaluate(arpa, tokens: words)
      for s in read.tokens {
        #expect(abs(s.log10Probability! - t.scores[s.position][0].number) <= kenlmTolerance)
        #expect(s.oov == t.scores[s.position][2].flag)
      }
    }
  }

  @Test func tokensARPACannotHoldAreRefused() throws {
    struct Source: ARPASource {
      let arpaTokens: [String]
      let arpaOrder = 1
      func forEachARPANgram(order n: Int, _ body: ([Int], Double, Double) throws -> Void) rethrows {
        for i in arpaTokens.indices { try body([i], -1, 0) }
      }
    }
    #expect(
      throws: NgramError.invalidOption(
        "the token 'a b' cannot be written in an ARPA file (it is empty or contains a space, tab or line break)")
    ) {
      try ARPAWriter.render(Source(arpaTokens: ["a b"]))
    }
    #expect(throws: NgramError.invalidOption("the token 'x' appears twice; ARPA words must be unique")) {
      try ARPAWriter.render(Source(arpaTokens: ["x", "y", "x"]))
    }
    // Canonically equivalent spellings are different words (KenLM compares bytes).
    let text = try ARPAWriter.render(Source(arpaTokens: ["r\u{e9}sum\u{e9}", "re\u{301}sume\u{301}"]))
    #expect(try ARPAModel.parse(text, name: "nfc-nfd").vocabulary.count == 3)
  }
}
