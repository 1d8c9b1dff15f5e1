import Foundation
import Testing

@testable import NgramEngine

// The count-based models against NLTK's nltk.lm (fixtures written by scripts/make-nltk-fixtures.py
// from NLTK itself): every vocabulary word after seen, unseen and out-of-vocabulary contexts.

struct NLTKCase: CustomTestStringConvertible, Sendable {
  let corpus: String
  let corpusPath: String
  let vocab: [String]
  let model: String
  let order: Int
  let parameter: Double?
  let nltkVocabLength: Int
  let modelError: String?
  let contexts: [Context]

  struct Context: Sendable {
    let kind: String
    let tokens: [String]
    let scores: [Double]?
    let nltkError: String?
    let fallback: [String]?
  }

  var testDescription: String {
    "\(corpus) \(model)\(parameter.map { " \($0)" } ?? "") order \(order)"
  }

  var estimator: CountEstimator {
    switch model {
    case "mle": return .mle
    case "add-k": return .addK(parameter!)
    default: return .kneserNey(discount: parameter!)
    }
  }

  static let all: [NLTKCase] = {
    let dir = Fixtures.root.appendingPathComponent("nltk")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    var out: [NLTKCase] = []
    for name in names where name.hasSuffix(".json") || name.hasSuffix(".json.gz") {
      let url = dir.appendingPathComponent(name)
      let bytes = name.hasSuffix(".gz") ? gunzip(url.path) : readBytes(url.path)!
      guard case .object(let doc) = try! MiniJSON.parse(bytes),
        case .string(let corpus)? = doc["corpus"], case .array(let vocabJ)? = doc["vocab"],
        case .array(let cases)? = doc["cases"]
      else { fatalError("malformed fixture \(name)") }
      let vocab = vocabJ.map { v -> String in
        guard case .string(let s) = v else { fatalError("vocab") }
        return s
      }
      func strings(_ j: MiniJSON?) -> [String]? {
        guard case .array(let a)? = j else { return nil }
        return a.map { if case .string(let s) = $0 { return s } else { fatalError("token") } }
      }
      func number(_ j: MiniJSON?) -> Double? {
        if case .number(let t)? = j { return Double(t)! }
        return nil
      }
      for c in cases {
        guard case .object(let o) = c, case .string(let model)? = o["model"],
          case .array(let ctxs)? = o["contexts"]
        else { fatalError("case") }
        let contexts = ctxs.map { cj -> Context in
          guard case .object(let co) = cj, case .string(let kind)? = co["kind"] else { fatalError("context") }
          var scores: [Double]?
          if case .array(let s)? = co["scores"] { scores = s.map { number($0)! } }
          var err: String?
          if case .string(let e)? = co["nltk_error"] { err = e }
          return Context(
            kind: kind, tokens: strings(co["context"])!, scores: scores, nltkError: err,
            fallback: strings(co["fallback_context"]))
        }
        var modelError: String?
        if case .string(let e)? = o["model_error"] { modelError = e }
        out.append(
          NLTKCase(
            corpus: name, corpusPath: Fixtures.root.appendingPathComponent(corpus).path, vocab: vocab,
            model: model, order: Int(number(o["order"])!), parameter: number(o["k"]) ?? number(o["discount"]),
            nltkVocabLength: Int(number(o["nltk_vocab_len"])!), modelError: modelError, contexts: contexts))
      }
    }
    return out
  }()
}

@Suite struct CountModelTests {
  @Test func fixturesCoverTheCorporaModelsAndOrders() {
    let cases = NLTKCase.all
    #expect(Set(cases.map(\.corpus)).count >= 5)
    #expect(Set(cases.map(\.order)) == [1, 2, 3, 4])
    #expect(Set(cases.map(\.model)) == ["mle", "add-k", "kneser-ney"])
    let kinds = Set(cases.flatMap { $0.contexts.map(\.kind) })
    #expect(kinds == ["seen", "unseen", "oov"])
  }

  @Test(arguments: NLTKCase.all)
  func equalsNLTK(_ c: NLTKCase) throws {
    let corpus = try Corpus.load(path: c.corpusPath)
    let length = ContextLength(c.order - 1)!
    if let err = c.modelError {
      // NLTK's order-1 Kneser–Ney divides by zero; ngram-tui refuses with a message.
      #expect(err == "ZeroDivisionError")
      let message = errorText { _ = try CountModel(corpus: corpus, contextLength: length, estimator: c.estimator) }
      #expect(message?.contains("kneser-ney needs a context of at least 1 token") == true)
      return
    }
    let model = try CountModel(corpus: corpus, contextLength: length, estimator: c.estimator)
    // The same vocabulary as NLTK's, compared by exact scalars.
    #expect(model.vocabulary.count == c.vocab.count)
    #expect(model.nltkVocabularySize == c.nltkVocabLength)
    let ids = c.vocab.map { model.vocabulary.id(of: $0) }
    #expect(!ids.contains(nil))
    for ctx in c.contexts {
      let context = try model.context(for: ctx.tokens)
      let dist = model.distribution(after: context)
      var dense = [Double](repeating: dist.defaultProbability, count: model.vocabulary.count)
      for e in dist.explicit { dense[e.id] = e.probability }
      // Where NLTK divides by zero, ngram-tui's number is NLTK's for the shorter context.
      guard let expected = ctx.scores else {
        Issue.record("no scores for \(ctx.tokens)")
        continue
      }
      if ctx.nltkError != nil { #expect(ctx.fallback != nil && c.model == "kneser-ney") }
      for (j, word) in c.vocab.enumerated() {
        let id = ids[j]!
        let got = dense[id]
        let single = model.probability(of: id, after: context)
        #expect(
          abs(got - expected[j]) <= 1e-9,
          "\(ctx.kind) context \(ctx.tokens) word \(word): \(got) vs NLTK \(expected[j])")
        #expect(abs(single - expected[j]) <= 1e-9, "probability(of:) \(ctx.tokens) \(word)")
      }
    }
  }

  @Test func unknownContextWordsReadAsUNK() throws {
    let corpus = try Corpus(bytes: Array("the cat sat on the mat".utf8), path: "t.txt")
    let model = try CountModel(corpus: corpus, contextLength: ContextLength(2)!, estimator: .mle)
    let ctx = try model.context(for: ["dog", "the"])
    #expect(ctx.ids == [model.unknownID, model.vocabulary.id(of: "the")!])
    #expect(model.unknownWords(in: ["dog", "the"]) == ["dog"])
    #expect(model.vocabulary.tokens.last == "<UNK>")
    #expect(model.note(after: ctx) == .mleUnseenContext)
    #expect(model.note(after: try model.context(for: ["the", "cat"])) == nil)
  }

  @Test func invalidParametersAreRefused() throws {
    let corpus = try Corpus(bytes: Array("a b a c".utf8), path: "t.txt")
    let one = ContextLength(1)!
    #expect(
      errorText { _ = try CountModel(corpus: corpus, contextLength: one, estimator: .addK(0)) }
        == "add-k's k must be a positive number (got 0.0); add-k adds k to every count")
    #expect(
      thrownError { _ = try CountModel(corpus: corpus, contextLength: one, estimator: .kneserNey(discount: 1.5)) }
        as? NgramError == .invalidDiscount(1.5))
    #expect(
      thrownError { _ = try CountModel(corpus: corpus, contextLength: ContextLength(0)!, estimator: .kneserNey(discount: 0.1)) }
        as? NgramError == .kneserNeyNeedsContext)
    #expect(
      errorText { _ = try CountModel(corpus: corpus, contextLength: ContextLength(4)!, estimator: .mle) }
        == "t.txt has 4 tokens; this context length needs at least 5 tokens")
  }

  @Test func kneserNeyNamesTheWordsItNeverPredicts() throws {
    // "x" only starts the corpus and <UNK> never occurs: both have no continuation count.
    let corpus = try Corpus(bytes: Array("x a b a c b".utf8), path: "t.txt")
    let model = try CountModel(corpus: corpus, contextLength: ContextLength(1)!, estimator: .kneserNey(discount: 0.75))
    #expect(model.neverContinuations.map { model.vocabulary.tokens[$0] } == ["x", "<UNK>"])
  }
}

/// One held-out score NLTK computed: fit on the head, score the tail.
struct NLTKHeldOut: CustomTestStringConvertible, Sendable {
  let corpusPath: String
  let name: String
  let holdout: Double
  let order: Int
  let estimator: CountEstimator
  let scored: Int
  let oov: Int
  let zeroProbability: Int
  let perplexity: Double?

  var testDescription: String { "\(name) \(estimator) order \(order) holdout \(holdout)" }

  static let all: [NLTKHeldOut] = {
    let dir = Fixtures.root.appendingPathComponent("nltk")
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    var out: [NLTKHeldOut] = []
    for name in names where name.hasSuffix(".json") || name.hasSuffix(".json.gz") {
      let url = dir.appendingPathComponent(name)
      let bytes = name.hasSuffix(".gz") ? gunzip(url.path) : readBytes(url.path)!
      guard case .object(let doc) = try! MiniJSON.parse(bytes), case .string(let corpus)? = doc["corpus"],
        case .array(let cases)? = doc["heldout"]
      else { fatalError("malformed fixture \(name)") }
      func number(_ j: MiniJSON?) -> Double? {
        if case .number(let t)? = j { return Double(t)! }
        return nil
      }
      for c in cases {
        guard case .object(let o) = c, case .string(let model)? = o["model"] else { fatalError("heldout") }
        let estimator: CountEstimator =
          model == "mle"
          ? .mle : model == "add-k" ? .addK(number(o["k"])!) : .kneserNey(discount: number(o["discount"])!)
        out.append(
          NLTKHeldOut(
            corpusPath: Fixtures.root.appendingPathComponent(corpus).path, name: name,
            holdout: number(o["holdout"])!, order: Int(number(o["order"])!), estimator: estimator,
            scored: Int(number(o["scored"])!), oov: Int(number(o["oov"])!),
            zeroProbability: Int(number(o["zero_probability"])!), perplexity: number(o["perplexity"])))
      }
    }
    return out
  }()
}

@Suite struct CountHeldOutTests {
  @Test func fixturesHaveFiniteAndInfinitePerplexities() {
    #expect(NLTKHeldOut.all.count >= 50)
    #expect(NLTKHeldOut.all.contains { $0.perplexity == nil })
    #expect(NLTKHeldOut.all.contains { $0.oov > 0 })
  }

  @Test(arguments: NLTKHeldOut.all)
  func heldOutPerplexityEqualsNLTK(_ h: NLTKHeldOut) throws {
    let corpus = try Corpus.load(path: h.corpusPath)
    let (_, score) = try CountModel.heldOut(
      corpus: corpus, contextLength: ContextLength(h.order - 1)!, estimator: h.estimator, holdout: h.holdout)
    #expect(score.scored == h.scored)
    #expect(score.oov == h.oov)
    #expect(score.zeroProbability == h.zeroProbability)
    if let p = h.perplexity {
      #expect(abs(score.perplexity - p) <= 1e-9 * p)
    } else {
      #expect(score.perplexity == .infinity)
      #expect(!score.zeroTokens.isEmpty)
    }
  }
}
