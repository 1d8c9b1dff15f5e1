#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Per-token evaluation of a text, like SRILM's `ngram -ppl -debug 2`: each token scored in
/// order with the context before it, and the perplexity of the scored tokens.
///
/// - Positions are indices into the text's whitespace tokens. A model reading n tokens of
///   context scores positions n and later; an ARPA model (shorter contexts allowed) every one.
/// - A token outside the model's vocabulary is out of vocabulary (`oov`) and left out of
///   ``log10Probability`` and ``perplexity``. When the model has an unknown-word token (`<unk>`
///   of an ARPA file that lists it, `<UNK>` of a count model) it is scored as that token and
///   ``perplexityWithOOV`` includes it.
/// - A context holding an out-of-vocabulary token: ARPA and count models read it as their
///   unknown-word token; for the SGD model it is a context never trained (uniform, as its
///   all-zero row, and as the exported ARPA file's back-off gives).
/// - A probability of 0 makes the perplexity infinite; ``zeroProbability`` names the tokens.
public struct Evaluation: Sendable {
  /// One scored token.
  public struct Token: Sendable, Equatable {
    /// Its index among the text's whitespace tokens.
    public let position: Int
    /// The token.
    public let token: String
    /// log10 of its probability after the tokens before it (−∞ for 0); nil for an
    /// out-of-vocabulary token when the model has no unknown-word token.
    public let log10Probability: Double?
    /// Whether it is outside the model's vocabulary.
    public let oov: Bool
  }

  /// All whitespace tokens of the text.
  public let tokenCount: Int
  /// The scored positions, in order.
  public let tokens: [Token]
  /// In-vocabulary scored tokens (those in the perplexity).
  public let scoredCount: Int
  /// Out-of-vocabulary scored tokens.
  public let oovCount: Int
  /// The sum of the in-vocabulary tokens' log10 probabilities.
  public let log10Probability: Double
  /// 10^(−log10Probability / scoredCount); ∞ when a token has probability 0; nil with no token.
  public let perplexity: Double?
  /// The perplexity including out-of-vocabulary tokens scored as the unknown-word token; nil
  /// when the model has none (or nothing was scored).
  public let perplexityWithOOV: Double?
  /// In-vocabulary tokens the model gives probability 0 (why the perplexity is infinite).
  public let zeroProbability: [Token]

  /// Scores `text` (split on whitespace as the corpus is) with `model`.
  public static func evaluate(_ model: some LanguageModel, text: String) -> Evaluation {
    evaluate(model, tokens: text.pythonSplit())
  }

  /// Scores `tokens` with `model`.
  public static func evaluate(_ model: some LanguageModel, tokens words: [String]) -> Evaluation {
    var scorer = Scorer(model)
    var out: [Token] = []
    var sum = 0.0
    var sumWithOOV = 0.0
    var scored = 0
    var oov = 0
    var zero: [Token] = []
    let first = min(scorer.firstPosition, words.count)
    let ids = words.map { model.vocabulary.id(of: $0) }
    for i in first..<words.count {
      let start = max(0, i - model.contextLength.value)
      let isOOV = ids[i] == nil || ids[i] == scorer.unknownID
      var p: Double?
      if let id = ids[i] ?? scorer.unknownID {
        p = scorer.log10Probability(of: id, words: words, ids: ids, context: start..<i)
      }
      let t = Token(position: i, token: words[i], log10Probability: p, oov: isOOV)
      out.append(t)
      if isOOV {
        oov += 1
        if let p { sumWithOOV += p }
      } else if let p {
        scored += 1
        sum += p
        sumWithOOV += p
        if p == -.infinity { zero.append(t) }
      }
    }
    func ppl(_ s: Double, _ n: Int) -> Double? { n > 0 ? pow(10, -s / Double(n)) : nil }
    return Evaluation(
      tokenCount: words.count, tokens: out, scoredCount: scored, oovCount: oov, log10Probability: sum,
      perplexity: ppl(sum, scored),
      perplexityWithOOV: scorer.unknownID == nil ? nil : ppl(sumWithOOV, scored + oov),
      zeroProbability: zero)
  }

  /// How one kind of model scores a token.
  struct Scorer {
    let model: any LanguageModel
    let arpa: ARPAModel?
    let firstPosition: Int
    let unknownID: Int?
    /// Distributions already computed, by context ids.
    var cache: [[Int]: Distribution] = [:]

    init(_ model: some LanguageModel) {
      self.model = model
      arpa = model as? ARPAModel
      if let arpa {
        firstPosition = 0
        unknownID = arpa.hasUnknown ? arpa.unknownID : nil
      } else {
        firstPosition = model.contextLength.value
        unknownID = (model as? UnknownWordModel)?.unknownWordID
      }
    }

    mutating func log10Probability(of id: Int, words: [String], ids: [Int?], context: Range<Int>) -> Double {
      if let arpa {
        // KenLM's own arithmetic (32-bit floats summed), not 10^x and back.
        return arpa.log10Probability(of: id, after: context.map { ids[$0] ?? arpa.unknownID })
      }
      let ctx: TokenContext
      do {
        ctx = try model.context(for: Array(words[context]))
      } catch {
        // A context the model cannot resolve (an SGD context with an unknown word): never
        // trained, so every token gets 1/V.
        return -log10(Double(model.vocabulary.count))
      }
      if let d = cache[ctx.ids] { return log10(d.probability(of: id)) }
      let d = model.distribution(after: ctx)
      if cache.count >= 512 { cache.removeAll(keepingCapacity: true) }
      cache[ctx.ids] = d
      return log10(d.probability(of: id))
    }
  }
}

/// A model that reads out-of-vocabulary words as one token of its vocabulary (`<UNK>`).
public protocol UnknownWordModel {
  /// The id out-of-vocabulary words are read as.
  var unknownWordID: Int { get }
}

extension CountModel: UnknownWordModel {
  /// ``unknownID``: NLTK scores out-of-vocabulary words as `<UNK>`.
  public var unknownWordID: Int { unknownID }
}
