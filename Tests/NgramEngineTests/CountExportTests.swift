import Foundation
import Testing

@testable import NgramEngine

// Count-based models written as ARPA must be scored by KenLM exactly as ngram-tui scores them.
// scripts/make-count-arpa-fixtures.py exported each case with the ngram-tui binary, checked that
// KenLM's score of every token equals NLTK's (KneserNeyInterpolated, Lidstone, MLE) within 2e-5
// (both −∞ where NLTK gives 0, including MLE after a context the corpus never shows), and
// recorded KenLM's full_scores of the corpus text, an unseen shuffle and a text with an unknown
// word, with the file's SHA-256 (Fixtures/arpa/counts). Here the same model is fitted and
// exported again: the file must be the one KenLM scored, and ngram-tui's own probabilities must
// equal KenLM's.
struct CountExportExpectation: Decodable, CustomTestStringConvertible, Sendable {
  struct Text: Decodable, Sendable {
    let text: String
    /// (log10 probability or null for -inf, n-gram length, oov) per token.
    let scores: [[Field]]
  }
  enum Field: Decodable, Sendable {
    case number(Double)
    case flag(Bool)
    case none
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if c.decodeNil() {
        self = .none
      } else if let b = try? c.decode(Bool.self) {
        self = .flag(b)
      } else {
        self = .number(try c.decode(Double.self))
      }
    }
    /// The log10 probability (−∞ for null).
    var log10: Double {
      if case .number(let x) = self { return x }
      return -.infinity
    }
  }
  let corpus: String
  let model: String
  /// k or D; nil for MLE.
  let parameter: Double?
  let context: Int
  let order: Int
  let arpa_sha256: String
  let texts: [Text]
  var name = ""
  var testDescription: String { name }

  enum CodingKeys: String, CodingKey { case corpus, model, parameter, context, order, arpa_sha256, texts }

  static let root = Fixtures.root.appendingPathComponent("arpa/counts")
  static let names: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
    .filter { $0.hasSuffix(".json") }.sorted()

  static func load(_ file: String) -> CountExportExpectation {
    var e = try! JSONDecoder().decode(
      CountExportExpectation.self, from: Data(contentsOf: root.appendingPathComponent(file)))
    e.name = file
    return e
  }

  var estimator: CountEstimator {
    switch model {
    case "mle": .mle
    case "kneser-ney": .kneserNey(discount: parameter!)
    default: .addK(parameter!)
    }
  }
}

@Suite struct CountExportTests {
  @Test func everyCaseIsThere() {
    #expect(CountExportExpectation.names.count == 22)
    #expect(CountExportExpectation.names.filter { $0.contains("_mle_") }.count == 9)
  }

  @Test(arguments: CountExportExpectation.names)
  func kenLMScoresTheExportAsNgramTUIDoes(_ file: String) throws {
    let exp = CountExportExpectation.load(file)
    let corpus = try Corpus.load(path: Fixtures.root.appendingPathComponent(exp.corpus).path)
    let model = try CountModel(corpus: corpus, contextLength: ContextLength(exp.context)!, estimator: exp.estimator)
    let text = try ARPAWriter.render(try CountARPAExport(model: model))
    let digest = text.withUnsafeBufferPointer { SHA256.hexDigest($0) }
    #expect(digest == exp.arpa_sha256, "the export changed: rerun scripts/make-count-arpa-fixtures.py")
    let arpa = try ARPAModel.parse(text, name: file)
    #expect(arpa.order == exp.order)
    var compared = 0
    var undefined = 0
    for t in exp.texts {
      let words = t.text.split(separator: " ").map { String($0) }
      let ours = Evaluation.evaluate(model, tokens: words)
      #expect(ours.tokens.first?.position == min(exp.context, words.count))
      for s in ours.tokens {
        let kenlm = t.scores[s.position][0].log10
        let mine = try #require(s.log10Probability)
        // MLE after a context never seen is undefined (0/0): the model says 0 for every word
        // (NLTK's number), and so must the file.
        let ctxIDs = TokenContext(
          ids: words[max(0, s.position - exp.context)..<s.position].map {
            model.vocabulary.id(of: $0) ?? model.unknownID
          })
        if model.note(after: ctxIDs) == .mleUnseenContext {
          #expect(mine == -.infinity, "\(file) position \(s.position)")
          undefined += 1
        }
        if kenlm == -.infinity || mine == -.infinity {
          #expect(kenlm == mine, "\(file) position \(s.position) '\(s.token)'")
        } else {
          #expect(abs(mine - kenlm) <= 2e-5, "\(file) position \(s.position) '\(s.token)': \(mine) vs KenLM \(kenlm)")
        }
        // ngram-tui's reader gives the exported file KenLM's number too.
        let ctx = words[max(0, s.position - exp.context)..<s.position].map {
          arpa.vocabulary.id(of: $0) ?? arpa.unknownID
        }
        let read = arpa.log10Probability(of: arpa.vocabulary.id(of: s.token) ?? arpa.unknownID, after: ctx)
        #expect(read == kenlm || abs(read - kenlm) <= 2e-5)
        compared += 1
      }
    }
    #expect(compared > 30)
    // Only MLE is ever undefined; on cat/dog and fortunes the shuffled text reaches contexts the
    // corpus never shows (on the tiny edges corpus it happens not to).
    if exp.model != "mle" || exp.context == 0 {
      #expect(undefined == 0)
    } else if file.hasPrefix("cat_dog") || file.hasPrefix("fortunes") {
      #expect(undefined > 0)
    }
  }

  @Test func zeroDiscountAndAnUnkTokenAreRefusedWithAReason() throws {
    let corpus = try Corpus(bytes: Array("a b a c a b".utf8), path: "t.txt")
    let kn0 = try CountModel(corpus: corpus, contextLength: ContextLength(1)!, estimator: .kneserNey(discount: 0))
    #expect(throws: NgramError.self) { try CountARPAExport(model: kn0) }
    let unk = try Corpus(bytes: Array("a <unk> a c".utf8), path: "t.txt")
    let kn = try CountModel(corpus: unk, contextLength: ContextLength(1)!, estimator: .kneserNey(discount: 0.75))
    #expect(throws: NgramError.self) { try CountARPAExport(model: kn) }
  }
}
