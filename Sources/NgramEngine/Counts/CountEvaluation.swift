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
}

extension CountModel {
  /// Greedy (or, with `sampling`, sampled) generation from `start`, stopping where MLE is
  /// undefined instead of inventing a token.
  public func generate(from start: TokenContext, count: Int, sampling: SamplingOptions? = nil) -> CountGeneration {
    var rng = SeededGenerator(seed: sampling?.seed ?? 0)
    var window = start.ids
    var out: [Int] = []
    let n = contextLength.value
    for _ in 0..<count {
      let ctx = TokenContext(ids: window)
      if note(after: ctx) == .mleUnseenContext { return CountGeneration(ids: out, stoppedUndefined: true) }
      let d = distribution(after: ctx)
      let next = sampling.map { d.sample($0, using: &rng) } ?? d.argmax
      out.append(next)
      if n > 0 {
        window.append(next)
        if window.count > n { window.removeFirst(window.count - n) }
      }
    }
    return CountGeneration(ids: out, stoppedUndefined: false)
  }

  /// Fits the model on the first part of `corpus` and scores the rest, split as `train
  /// --holdout` splits it: the last ⌊tokens · holdout⌋ tokens are held out, and each is scored
  /// with the `contextLength` tokens before it (which may lie in the fitted part; words the
  /// fitted part never had read as `<UNK>`). Returns the fitted model and the score.
  public static func heldOut(
    corpus: Corpus, contextLength: ContextLength, estimator: CountEstimator, holdout: Double
  ) throws -> (model: CountModel, score: HeldOutScore) {
    guard holdout.isFinite, holdout > 0, holdout < 1 else {
      throw NgramError.invalidOption("invalid holdout \(holdout): use a fraction in (0, 1), e.g. --holdout 0.1")
    }
    let total = corpus.tokenCount
    let held = Int((Double(total) * holdout).rounded(.down))
    let cut = total - held
    let n = contextLength.value
    guard held > 0 else {
      throw NgramError.invalidOption(
        "holdout \(holdout) of \(total) tokens holds out no token: use a larger --holdout or a longer corpus")
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
    var logSum = 0.0
    var scored = 0
    var oov = 0
    var zeros = 0
    var zeroTokens: [String] = []
    var zeroSeen = Set<Int>()
    let ids = corpus.tokenIDs
    for i in cut..<total {
      let target = remap[Int(ids[i])]
      guard target >= 0 else {
        oov += 1
        continue
      }
      let ctx = TokenContext(ids: ids[(i - n)..<i].map { remap[Int($0)] >= 0 ? remap[Int($0)] : model.unknownID })
      let p = model.probability(of: target, after: ctx)
      scored += 1
      if p > 0 {
        logSum += log(p)
      } else {
        zeros += 1
        if zeroSeen.insert(target).inserted { zeroTokens.append(model.vocabulary.tokens[target]) }
      }
    }
    let perplexity: Double
    if zeros > 0 {
      perplexity = .infinity
    } else if scored == 0 {
      perplexity = .nan
    } else {
      perplexity = exp(-logSum / Double(scored))
    }
    return (
      model,
      HeldOutScore(scored: scored, oov: oov, perplexity: perplexity, zeroProbability: zeros, zeroTokens: zeroTokens)
    )
  }
}
