#if canImport(Glibc)
  import Glibc
#endif

/// Generated text from a count-based model, which may stop early where MLE is undefined.
public struct CountGeneration: Sendable {
  /// The generated token ids (after the start).
  public let ids: [Int]
  /// True when generation stopped before `count` tokens because MLE is undefined after the
  /// context reached (it was never followed by anything in the corpus).
  public let stoppedUndefined: Bool
}

/// How a count-based model scores a held-out text: the tail of the corpus it was not fitted on.
public struct HeldOutScore: Sendable, Equatable {
  /// Held-out tokens scored (in the fitted vocabulary).
  public let scored: Int
  /// Held-out tokens outside the fitted vocabulary: not scored, as SRILM's `ngram -ppl` does.
  public let oov: Int
  /// exp of the mean negative natural log probability of the scored tokens; +∞ when one of them
  /// has probability 0.
  public let perplexity: Double
  /// How many scored tokens have probability 0.
  public let zeroProbability: Int
  /// The distinct tokens with probability 0, in order of first occurrence.
  public let zeroTokens: [String]
  /// Share of the scored tokens whose whole context never occurred (followed by a token) in the
  /// fitted part.
  public let unseenContexts: Double
}

extension CountModel {
  /// Greedy (or, with `sampling`, sampled) generation from `start`, stopping where MLE is
  /// undefined instead of inventing a token.
  public func generate(from start: TokenContext, count: Int, sampling: SamplingOptions? = nil) -> CountGeneration {
    var out: [Int] = []
    let stopped = forEachGenerated(from: start, count: count, sampling: sampling) { out.append($0) }
    return CountGeneration(ids: out, stoppedUndefined: stopped)
  }

  /// Generation streamed to `body` one id at a time (nothing kept); returns true when it
  /// stopped early because MLE is undefined after the context reached.
  public func forEachGenerated(
    from start: TokenContext, count: Int, sampling: SamplingOptions? = nil, _ body: (Int) -> Void
  ) -> Bool {
    var rng = SeededGenerator(seed: sampling?.seed ?? 0)
    var window = start.ids
    let n = contextLength.value
    for _ in 0..<max(0, count) {
      let ctx = TokenContext(ids: window)
      if note(after: ctx) == .mleUnseenContext { return true }
      let d = distribution(after: ctx)
      let next = sampling.map { d.sample($0, using: &rng) } ?? d.argmax
      body(next)
      if n > 0 {
        window.append(next)
        if window.count > n { window.removeFirst(window.count - n) }
      }
    }
    return false
  }

  /// Fits the model on the first part of `corpus` and scores the rest, split as `train
  /// --holdout` splits it: the last ⌊tokens · holdout⌋ tokens are held out, and each is scored
  /// with the `contextLength` tokens before it (which may lie in the fitted part; words the
  /// fitted part never had read as `<UNK>`). Returns the fitted model and the score.
  public static func heldOut(
    corpus: Corpus, contextLength: ContextLength, estimator: CountEstimator, holdout: Double
  ) throws -> (model: CountModel, score: HeldOutScore) {
    guard holdout.isFinite, holdout > 0, holdout < 1 else {
      throw NgramError.invalidHoldout(holdout, zeroAllowed: false)
    }
    let total = corpus.tokenCount
    let held = Int((Double(total) * holdout).rounded(.down))
    let cut = total - held
    let n = contextLength.value
    guard held > 0 else {
      throw NgramError.holdoutTooSmall(holdout: holdout, tokens: total)
    }
    guard cut >= contextLength.order else {
      throw NgramError.invalidOption(
        "holdout \(holdout) leaves \(cut) tokens to fit on; order \(contextLength.order) needs at least \(contextLength.order)"
      )
    }
    let model = try CountModel(
      tokenIDs: corpus.tokenIDs[0..<cut], vocabulary: corpus.vocabulary, file: corpus.path,
      contextLength: contextLength, estimator: estimator)
    // Corpus id → model id (or <UNK> for words the fitted part never had).
    var remap = [Int](repeating: -1, count: corpus.vocabulary.count)
    for (id, token) in corpus.vocabulary.tokens.enumerated() {
      remap[id] = model.vocabulary.id(of: token) ?? -1
    }
    if let u = corpus.vocabulary.id(of: CountModel.unknownToken) { remap[u] = model.unknownID }
    var tally = HeldOutTally()
    let ids = corpus.tokenIDs
    for i in cut..<total {
      let target = remap[Int(ids[i])]
      guard target >= 0 else {
        tally.oov += 1
        continue
      }
      let ctx = TokenContext(ids: ids[(i - n)..<i].map { remap[Int($0)] >= 0 ? remap[Int($0)] : model.unknownID })
      let p = model.probability(of: target, after: ctx)
      tally.scored += 1
      if !model.isSeen(ctx) { tally.unseen += 1 }
      if p > 0 {
        tally.logSum += log(p)
      } else {
        tally.addZero(target, model.vocabulary)
      }
    }
    return (model, tally.score(exponent: exp))
  }
}

/// Running totals of one held-out scoring pass (count models and ARPA files score alike).
struct HeldOutTally {
  var scored = 0
  var oov = 0
  var zeros = 0
  var unseen = 0
  /// Sum of the log probabilities of the scored tokens that are not 0.
  var logSum = 0.0
  var zeroTokens: [String] = []
  var zeroSeen = Set<Int>()

  /// Counts a scored token of probability 0, naming it the first time.
  mutating func addZero(_ target: Int, _ vocabulary: Vocabulary) {
    zeros += 1
    if zeroSeen.insert(target).inserted { zeroTokens.append(vocabulary.tokens[target]) }
  }

  /// The score; perplexity is `exponent` of the mean negative log probability (+∞ with a zero,
  /// NaN when nothing was scored).
  func score(exponent: (Double) -> Double) -> HeldOutScore {
    let perplexity: Double
    if zeros > 0 {
      perplexity = .infinity
    } else if scored == 0 {
      perplexity = .nan
    } else {
      perplexity = exponent(-logSum / Double(scored))
    }
    return HeldOutScore(
      scored: scored, oov: oov, perplexity: perplexity, zeroProbability: zeros, zeroTokens: zeroTokens,
      unseenContexts: scored > 0 ? Double(unseen) / Double(scored) : 0)
  }
}

/// One count-based model's answer for a typed text, for `compare --models`.
public struct CountComparison: Sendable {
  /// The estimator.
  public let estimator: CountEstimator
  /// The model fitted on the whole corpus.
  public let model: CountModel
  /// The context used (the last n typed tokens).
  public let context: [String]
  /// The typed context words outside the corpus (read as `<UNK>`).
  public let unknownWords: [String]
  /// The top-k of the whole-corpus model (zero-probability tokens left out; empty where MLE is
  /// undefined).
  public let topK: [Prediction]
  /// Whether the context was seen followed by a token.
  public let contextSeen: Bool
  /// Whether MLE is undefined after the context.
  public let undefined: Bool
  /// Distinct contexts of the full order seen in the corpus.
  public let contexts: Int
  /// The held-out score of a second fit that kept the tail out (nil without holdout).
  public let heldOut: HeldOutScore?

  /// Fits `estimator` at `contextLength` on `corpus` (and, with `holdout` > 0, once more on the
  /// head only) and answers for typed `tokens`.
  public init(
    corpus: Corpus, tokens: [String], contextLength: ContextLength, estimator: CountEstimator, topK k: Int,
    holdout: Double
  ) throws {
    let model = try CountModel(corpus: corpus, contextLength: contextLength, estimator: estimator)
    let n = contextLength.value
    guard tokens.count >= n else { throw NgramError.contextTooShort(needed: n, given: tokens.count) }
    let words = Array(tokens.suffix(n))
    let ctx = try model.context(for: words)
    self.estimator = estimator
    self.model = model
    context = words
    unknownWords = model.unknownWords(in: words)
    undefined = model.note(after: ctx) == .mleUnseenContext
    topK = undefined ? [] : model.topK(after: ctx, k: k).filter { $0.probability > 0 }
    contextSeen = model.isSeen(ctx)
    contexts = model.counts.levels[n].contextCount
    heldOut =
      holdout > 0
      ? try CountModel.heldOut(corpus: corpus, contextLength: contextLength, estimator: estimator, holdout: holdout)
        .score : nil
  }
}
