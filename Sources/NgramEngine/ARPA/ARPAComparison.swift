#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ARPAModel {
  /// Scores the held-out tail of `corpus` — the last ⌊tokens · holdout⌋ tokens, the same text
  /// `train --holdout` and the count models' held-out scores use — with this model as KenLM's
  /// `full_scores(corpus, bos=False, eos=False)` scores those positions: each token after the
  /// order − 1 corpus tokens before it (which may lie before the tail; words outside the
  /// vocabulary read as `<unk>`).
  ///
  /// The ARPA model was not fitted on the head (it comes from elsewhere), so this is its
  /// perplexity on that text. Tokens outside the vocabulary (or a literal `<unk>`, which KenLM
  /// also flags) are left out and counted in `oov`, as SRILM's `ngram -ppl` does; the perplexity
  /// is 10^(−mean log10 p) = exp(−mean ln p) over the rest; `unseenContexts` is the share of
  /// scored tokens whose whole context is not an n-gram of the file (KenLM's state is shorter).
  public func heldOut(corpus: Corpus, holdout: Double) throws -> HeldOutScore {
    guard holdout.isFinite, holdout > 0, holdout < 1 else {
      throw NgramError.invalidHoldout(holdout, zeroAllowed: false)
    }
    let total = corpus.tokenCount
    let held = Int((Double(total) * holdout).rounded(.down))
    guard held > 0 else {
      throw NgramError.holdoutTooSmall(holdout: holdout, tokens: total)
    }
    // Corpus id → model id (<unk> for words the file does not have).
    let remap = corpus.vocabulary.tokens.map { vocabulary.id(of: $0) ?? unknownID }
    let ids = corpus.tokenIDs
    let n = order - 1
    var tally = HeldOutTally()
    var context: [Int] = []
    context.reserveCapacity(n)
    for i in (total - held)..<total {
      let target = remap[Int(ids[i])]
      if target == unknownID {
        tally.oov += 1
        continue
      }
      context.removeAll(keepingCapacity: true)
      for j in max(0, i - n)..<i { context.append(remap[Int(ids[j])]) }
      let p = log10Probability(of: target, after: context)
      tally.scored += 1
      if ARPAModel.contextEntries(levels, context).count < context.count { tally.unseen += 1 }
      if p == -.infinity {
        tally.addZero(target, vocabulary)
      } else {
        tally.logSum += p
      }
    }
    return tally.score { pow(10, $0) }
  }
}

/// An ARPA model's answer for a typed text, for `compare --models …,arpa:FILE` and the Compare
/// screen.
public struct ARPAComparison: Sendable {
  /// The model.
  public let model: ARPAModel
  /// The context read: the last order − 1 typed tokens (fewer when fewer were typed).
  public let context: [String]
  /// The suffix of ``context`` that is an n-gram of the file (KenLM's state).
  public let contextUsed: [String]
  /// The typed context words outside the vocabulary (read as `<unk>`).
  public let unknownWords: [String]
  /// The top-k after the context.
  public let topK: [Prediction]
  /// The held-out score on the corpus's tail (nil without holdout).
  public let heldOut: HeldOutScore?

  /// Answers for typed `tokens` and, with `holdout` > 0, scores `corpus`'s held-out tail.
  public init(model: ARPAModel, tokens: [String], topK k: Int, corpus: Corpus?, holdout: Double) throws {
    let words = Array(tokens.suffix(model.order - 1))
    let ctx = try model.context(for: words)
    self.model = model
    context = words
    contextUsed = Array(words.suffix(model.usedContextLength(ctx)))
    unknownWords = words.filter { model.vocabulary.id(of: $0) == nil }
    topK = model.topK(after: ctx, k: k)
    if let corpus, holdout > 0 {
      heldOut = try model.heldOut(corpus: corpus, holdout: holdout)
    } else {
      heldOut = nil
    }
  }
}
