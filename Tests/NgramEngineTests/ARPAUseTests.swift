import Foundation
import Testing

@testable import NgramEngine

// An ARPA model's held-out perplexity (compare) and greedy generation (infer) against KenLM:
// scripts/make-arpa-use-fixtures.py recorded KenLM's full_scores of each corpus's held-out tail
// and KenLM's greedy argmax continuation (Fixtures/arpa/uses.json).
struct ARPAUses: Decodable, Sendable {
  struct HeldOut: Decodable, Sendable, CustomTestStringConvertible {
    let model: String
    let corpus: String
    let holdout: Double
    let scored: Int
    let oov: Int
    let perplexity: Double?
    var testDescription: String { "\(model) on \(corpus) holdout \(holdout)" }
  }
  struct Generate: Decodable, Sendable, CustomTestStringConvertible {
    let model: String
    let start: [String]
    let generated: [String]
    var testDescription: String { "\(model) from \(start)" }
  }
  let heldout: [HeldOut]
  let generate: [Generate]

  static let all: ARPAUses = try! JSONDecoder().decode(
    ARPAUses.self, from: Data(contentsOf: Fixtures.root.appendingPathComponent("arpa/uses.json")))

  static func model(_ name: String) throws -> ARPAModel {
    try ARPAModel.load(path: Fixtures.root.appendingPathComponent("arpa/models/\(name)").path)
  }

  static func corpus(_ name: String) throws -> Corpus {
    try Corpus.load(path: Fixtures.root.appendingPathComponent("conformance/\(name)/corpus/\(name).txt").path)
  }
}

@Suite struct ARPAUseTests {
  @Test(arguments: ARPAUses.all.heldout)
  func heldOutPerplexityIsKenLMs(_ e: ARPAUses.HeldOut) throws {
    let model = try ARPAUses.model(e.model)
    let score = try model.heldOut(corpus: try ARPAUses.corpus(e.corpus), holdout: e.holdout)
    #expect(score.scored == e.scored)
    #expect(score.oov == e.oov)
    let expected = try #require(e.perplexity)
    #expect(abs(score.perplexity - expected) <= 1e-6 * expected)  // KenLM adds 32-bit floats
    #expect(score.zeroProbability == 0)
  }

  @Test(arguments: ARPAUses.all.generate)
  func greedyGenerationIsKenLMsArgmax(_ e: ARPAUses.Generate) throws {
    let model = try ARPAUses.model(e.model)
    let ids = model.generate(from: try model.context(for: e.start), count: e.generated.count)
    #expect(ids.map { model.vocabulary.tokens[$0] } == e.generated)
  }

  @Test func heldOutRefusesAnEmptyTail() throws {
    let model = try ARPAUses.model("cat_dog.o3.arpa")
    let corpus = try Corpus(bytes: Array("the cat sat".utf8), path: "t.txt")
    #expect(throws: NgramError.self) { try model.heldOut(corpus: corpus, holdout: 0.1) }
  }
}
