/// A count-based estimator, computed exactly as NLTK's `nltk.lm` computes it.
public enum CountEstimator: Sendable, Equatable, CustomStringConvertible {
  /// Relative frequency, NLTK's `MLE`: c(context w) / c(context).
  case mle
  /// Additive smoothing, NLTK's `Lidstone(k)`: (c(context w) + k) / (c(context) + k·|V|).
  case addK(Double)
  /// Interpolated Kneser–Ney with an absolute discount D, NLTK's
  /// `KneserNeyInterpolated(order, discount=D)`.
  case kneserNey(discount: Double)

  /// The name `--model` takes: `mle`, `add-k` or `kneser-ney`.
  public var name: String {
    switch self {
    case .mle: return "mle"
    case .addK: return "add-k"
    case .kneserNey: return "kneser-ney"
    }
  }

  /// The name with its parameter, e.g. `add-k (k=1)`.
  public var description: String {
    switch self {
    case .mle: return "mle"
    case .addK(let k): return "add-k (k=\(shortNumber(k)))"
    case .kneserNey(let d): return "kneser-ney (D=\(shortNumber(d)))"
    }
  }

  /// The NLTK class this estimator equals.
  public var nltkEquivalent: String {
    switch self {
    case .mle: return "nltk.lm.MLE"
    case .addK(let k): return "nltk.lm.Lidstone(\(shortNumber(k)))"
    case .kneserNey(let d): return "nltk.lm.KneserNeyInterpolated(order, discount=\(shortNumber(d)))"
    }
  }
}

func shortNumber(_ x: Double) -> String {
  x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}

/// Why a count-based model gives no usable probability somewhere (shown to the user).
public enum CountModelNote: Sendable, Equatable {
  /// MLE after a context that is never followed by anything in the corpus: every probability is
  /// 0/0. NLTK (and ngram-tui) score every word 0.
  case mleUnseenContext
}

/// An n-gram model fitted by counting a corpus: MLE, add-k (Lidstone) or interpolated
/// Kneser–Ney, with numbers equal to NLTK's `nltk.lm` fitted on `everygrams(tokens,
/// max_len=order)` of the corpus tokens (no padding) with NLTK's vocabulary: the corpus tokens
/// plus `<UNK>`.
///
/// Context words outside the vocabulary are read as `<UNK>` (which never occurs in the counts,
/// so any context holding one is unseen at every order that includes it). Two places where
/// NLTK itself has no number are defined here (see ``CountModelNote`` and the README):
/// Kneser–Ney of order 1 is refused (NLTK divides by zero: continuation counts need bigrams),
/// and a lower-order Kneser–Ney context that only occurs at the very start or end of the
/// corpus (no continuation counts, where NLTK divides by zero) passes its weight on to the next
/// lower order, as NLTK does for contexts it has never seen.
public struct CountModel: LanguageModel {
  /// The corpus tokens (in the corpus vocabulary's order) followed by `<UNK>`, unless the
  /// corpus itself contains the token `<UNK>`.
  public let vocabulary: Vocabulary
  /// The id of `<UNK>`.
  public let unknownID: Int
  /// The estimator.
  public let estimator: CountEstimator
  /// The context length; the order is one more.
  public let contextLength: ContextLength
  /// NLTK's `len(vocab)`: distinct corpus tokens + 1 (it counts `<UNK>` twice when the corpus
  /// contains it) — the |V| of add-k's denominator.
  public let nltkVocabularySize: Int
  /// The number of tokens fitted.
  public let tokenCount: Int
  let counts: NgramCounts
  /// Kneser–Ney's lowest order: continuation count / distinct bigram types, by id.
  let knUnigram: [Double]

  /// The label NLTK gives unknown words.
  public static let unknownToken = "<UNK>"

  /// Fits the model on a whole corpus (ids stay the corpus vocabulary's; `<UNK>` comes last).
  public init(corpus: Corpus, contextLength: ContextLength, estimator: CountEstimator) throws {
    try self.init(
      tokenIDs: corpus.tokenIDs[...], vocabulary: corpus.vocabulary, file: corpus.path,
      contextLength: contextLength, estimator: estimator)
  }

  /// Fits the model on `tokenIDs` (ids of `vocabulary`), e.g. the training part of a corpus.
  /// The model's vocabulary is the tokens that occur in `tokenIDs`, in `vocabulary`'s order,
  /// then `<UNK>`; `file` names the corpus in errors.
  public init(
    tokenIDs: ArraySlice<Int32>, vocabulary source: Vocabulary, file: String,
    contextLength: ContextLength, estimator: CountEstimator
  ) throws {
    let order = contextLength.order
    switch estimator {
    case .mle: break
    case .addK(let k):
      guard k.isFinite, k > 0 else {
        throw NgramError.invalidAddK(k)
      }
    case .kneserNey(let d):
      guard d.isFinite, d >= 0, d <= 1 else {
        throw NgramError.invalidDiscount(d)
      }
      guard order >= 2 else {
        throw NgramError.kneserNeyNeedsContext
      }
    }
    guard tokenIDs.count >= order else {
      throw NgramError.tooFewTokens(file: file, needed: order, found: tokenIDs.count)
    }
    // The vocabulary: tokens present in the slice, then <UNK>.
    var freq = [Int](repeating: 0, count: source.count)
    for t in tokenIDs { freq[Int(t)] += 1 }
    var remap = [Int32](repeating: -1, count: source.count)
    var tokens: [String] = []
    var frequencies: [Int] = []
    for (id, f) in freq.enumerated() where f > 0 {
      remap[id] = Int32(tokens.count)
      tokens.append(source.tokens[id])
      frequencies.append(f)
    }
    let distinct = tokens.count
    if let u = tokens.firstIndex(where: { $0.utf8.elementsEqual(Self.unknownToken.utf8) }) {
      unknownID = u
    } else {
      unknownID = tokens.count
      tokens.append(Self.unknownToken)
      frequencies.append(0)
    }
    vocabulary = Vocabulary(tokens: tokens, frequencies: frequencies)
    nltkVocabularySize = distinct + 1
    self.estimator = estimator
    self.contextLength = contextLength
    tokenCount = tokenIDs.count
    let ids = tokenIDs.map { remap[Int($0)] }
    counts = NgramCounts(tokens: ids, order: order)
    if case .kneserNey = estimator {
      var uni = [Double](repeating: 0, count: tokens.count)
      let level = counts.levels[0]
      let total = Double(level.continuationTotals[0])
      for p in level.offsets[0]..<level.offsets[1] {
        uni[Int(level.successors[p])] = Double(level.continuations[p]) / total
      }
      knUnigram = uni
    } else {
      knUnigram = []
    }
  }

  /// Resolves typed tokens to a context: the last `contextLength` tokens, words outside the
  /// vocabulary read as `<UNK>` (as NLTK's `score` does).
  public func context(for tokens: [String]) throws -> TokenContext {
    let n = contextLength.value
    guard tokens.count >= n else { throw NgramError.contextTooShort(needed: n, given: tokens.count) }
    return TokenContext(ids: tokens.suffix(n).map { vocabulary.id(of: $0) ?? unknownID })
  }

  /// The context words that are not in the vocabulary (read as `<UNK>`).
  public func unknownWords(in tokens: [String]) -> [String] {
    tokens.suffix(contextLength.value).filter { vocabulary.id(of: $0) == nil }
  }

  /// Whether the last `contextLength` ids of `context` were ever followed by a token in the
  /// corpus (the full-order context is "seen").
  public func isSeen(_ context: TokenContext) -> Bool {
    let n = contextLength.value
    let ids = context.ids.suffix(n).map { Int32($0) }
    return counts.levels[n].context(ids[...]) != nil
  }

  /// How often the context (its last `contextLength` ids) was followed by a token.
  public func occurrences(of context: TokenContext) -> Int {
    let n = contextLength.value
    let ids = context.ids.suffix(n).map { Int32($0) }
    guard let c = counts.levels[n].context(ids[...]) else { return 0 }
    return counts.levels[n].totals[c]
  }

  /// Where the model has no defined probability after `context`, if anywhere.
  public func note(after context: TokenContext) -> CountModelNote? {
    if case .mle = estimator, !isSeen(context) { return .mleUnseenContext }
    return nil
  }

  /// The ids of the words Kneser–Ney gives probability 0 at its lowest order (never seen after
  /// another word: `<UNK>`, and the corpus's first word if it never recurs). Empty for the other
  /// estimators.
  public var neverContinuations: [Int] {
    guard case .kneserNey = estimator else { return [] }
    return knUnigram.indices.filter { knUnigram[$0] == 0 }
  }

  /// The next-token distribution after `context`: O(successors of the context at each order)
  /// plus, for Kneser–Ney, one pass over the shared lowest-order vector.
  public func distribution(after context: TokenContext) -> Distribution {
    let n = contextLength.value
    let ids = context.ids.suffix(n).map { Int32($0) }
    let v = vocabulary.count
    switch estimator {
    case .mle, .addK:
      let level = counts.levels[n]
      let k: Double
      if case .addK(let kk) = estimator { k = kk } else { k = 0 }
      guard let c = level.context(ids[...]) else {
        if k == 0 { return Distribution(vocabSize: v, defaultProbability: 0, explicit: []) }
        return Distribution(
          vocabSize: v, defaultProbability: k / (0 + Double(nltkVocabularySize) * k), explicit: [])
      }
      let total = Double(level.totals[c])
      let denom = total + Double(nltkVocabularySize) * k
      var explicit: [Distribution.Entry] = []
      explicit.reserveCapacity(level.offsets[c + 1] - level.offsets[c])
      for p in level.offsets[c]..<level.offsets[c + 1] {
        explicit.append(
          Distribution.Entry(id: Int(level.successors[p]), probability: (Double(level.counts[p]) + k) / denom))
      }
      return Distribution(vocabSize: v, defaultProbability: k / denom, explicit: explicit)
    case .kneserNey(let d):
      var p = knUnigram
      var scale = 1.0
      var added: [(Int, Double)] = []  // (id, alpha · scale), top order first
      for l in stride(from: n, through: 1, by: -1) {
        let level = counts.levels[l]
        guard let c = level.context(ids[(n - l)...]) else { continue }  // unseen: alpha 0, gamma 1
        let top = l == n
        let denom = top ? level.totals[c] : level.continuationTotals[c]
        guard denom > 0 else { continue }  // no continuations (NLTK divides by zero): pass on
        let dd = Double(denom)
        for q in level.offsets[c]..<level.offsets[c + 1] {
          let cnt = Double(top ? level.counts[q] : level.continuations[q])
          let alpha = max(cnt - d, 0) / dd
          if alpha > 0 { added.append((Int(level.successors[q]), scale * alpha)) }
        }
        scale *= d * Double(level.offsets[c + 1] - level.offsets[c]) / dd
      }
      if scale != 1 { for i in 0..<v { p[i] *= scale } }
      for (id, a) in added { p[id] += a }
      var explicit: [Distribution.Entry] = []
      explicit.reserveCapacity(v)
      for i in 0..<v { explicit.append(Distribution.Entry(id: i, probability: p[i])) }
      return Distribution(vocabSize: v, defaultProbability: 0, explicit: explicit)
    }
  }

  /// The probability of `word` after `context` without building the whole distribution:
  /// O(order · log successors).
  public func probability(of word: Int, after context: TokenContext) -> Double {
    let n = contextLength.value
    let ids = context.ids.suffix(n).map { Int32($0) }
    let w = Int32(word)
    switch estimator {
    case .mle, .addK:
      let level = counts.levels[n]
      let k: Double
      if case .addK(let kk) = estimator { k = kk } else { k = 0 }
      guard let c = level.context(ids[...]) else {
        return k == 0 ? 0 : k / (0 + Double(nltkVocabularySize) * k)
      }
      let cnt = level.position(of: w, in: c).map { Double(level.counts[$0]) } ?? 0
      return (cnt + k) / (Double(level.totals[c]) + Double(nltkVocabularySize) * k)
    case .kneserNey(let d):
      return kneserNeyProbability(of: w, after: ids[...], discount: d)
    }
  }

  /// Kneser–Ney's probability of `word` after `ids` (0…n ids, oldest first), starting the
  /// interpolation at order `ids.count + 1`: the highest order (n + 1) uses raw counts, lower
  /// orders continuation counts, as NLTK's recursion does from that order down.
  func kneserNeyProbability(of w: Int32, after ids: ArraySlice<Int32>, discount d: Double) -> Double {
    let n = contextLength.value
    let length = ids.count
    var result = 0.0
    var scale = 1.0
    for l in stride(from: length, through: 1, by: -1) {
      let level = counts.levels[l]
      guard let c = level.context(ids.suffix(l)) else { continue }
      let top = l == n
      let denom = top ? level.totals[c] : level.continuationTotals[c]
      guard denom > 0 else { continue }
      let dd = Double(denom)
      if let q = level.position(of: w, in: c) {
        let cnt = Double(top ? level.counts[q] : level.continuations[q])
        result += scale * (max(cnt - d, 0) / dd)
      }
      scale *= d * Double(level.offsets[c + 1] - level.offsets[c]) / dd
    }
    return result + scale * knUnigram[Int(w)]
  }

  /// Kneser–Ney's interpolation weight γ of a context of `ids.count` ids at its own order (1 when
  /// the context is never followed by a token or has no continuations: it hands on everything).
  func kneserNeyGamma(_ ids: ArraySlice<Int32>, discount d: Double) -> Double {
    let l = ids.count
    let level = counts.levels[l]
    guard let c = level.context(ids) else { return 1 }
    let denom = l == contextLength.value ? level.totals[c] : level.continuationTotals[c]
    guard denom > 0 else { return 1 }
    return d * Double(level.offsets[c + 1] - level.offsets[c]) / Double(denom)
  }
}
