#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A count-based model (``CountModel``) as an ARPA back-off model of order n + 1 that KenLM
/// scores exactly as ngram-tui (and NLTK) does.
///
/// - **Kneser–Ney** (interpolated) is written as back-off: every n-gram seen in the corpus is
///   listed with its *full interpolated* probability at its own order (raw counts at the highest
///   order, continuation counts below), and every context's back-off weight is its
///   interpolation weight γ. A word the context never preceded gets α = 0, so NLTK's
///   α + γ · P(lower) is exactly ARPA's back-off weight + the lower order's answer, down to the
///   continuation unigram. Words Kneser–Ney gives 0 (never seen after another word, `<UNK>`)
///   are written `-inf`, which KenLM reads (and then also scores 0). D = 0 is refused: γ would
///   be 0, and KenLM refuses an infinite back-off weight.
/// - **add-k** is written as the SGD export is: the seen (context, word) cells as (n+1)-grams,
///   the shared k / (c(context) + k·|V|) of every other word as the context's back-off weight over
///   uniform lower orders 1/|V| (which is also what add-k gives after an unseen context). Order 1
///   is written as order 2 with no 2-grams (KenLM refuses order 1).
/// - **MLE** is written as its seen (n+1)-grams with log10 c(context, word) / c(context) and
///   back-off weight 0, over lower orders that are all `-inf` (every seen m-gram, m ≤ n, and every
///   1-gram): a word never seen after a seen context backs off to −∞ (probability 0, as NLTK
///   gives), and after a context never seen in the corpus every word is −∞ — NLTK's 0 where MLE
///   is undefined (0/0). KenLM reads `-inf` at any order (it takes such n-grams for blanks, whose
///   lower orders here are −∞ as well). Order 1 (n = 0) is written as order 2 with no 2-grams:
///   the unigram relative frequencies, `-inf` for `<unk>` unless the corpus has `<UNK>`.
///
/// NLTK's `<UNK>` is written as `<unk>` (KenLM reads every out-of-vocabulary word as it);
/// `<s>` and `</s>`, which KenLM requires, are added at log10 −99 unless the corpus has them.
public struct CountARPAExport: ARPASource {
  let model: CountModel
  /// Tokens by id: the model's vocabulary (`<UNK>` as `<unk>`), then `<s>`/`</s>` if missing.
  public let arpaTokens: [String]

  /// Wraps `model` for ``ARPAWriter``; throws ``NgramError/invalidOption(_:)`` for Kneser–Ney
  /// with D = 0, or a corpus holding the token `<unk>` (KenLM's unknown word).
  public init(model: CountModel) throws {
    switch model.estimator {
    case .kneserNey(let d) where d == 0:
      throw NgramError.invalidOption(
        "kneser-ney with discount 0 cannot be written as ARPA: its interpolation weights are 0 (back-off weights of -inf, which KenLM refuses); use a discount above 0"
      )
    default: break
    }
    var tokens = model.vocabulary.tokens
    if let u = tokens.firstIndex(of: "<unk>"), u != model.unknownID {
      throw NgramError.invalidOption(
        "the corpus has the token '<unk>', which KenLM reads as its unknown word: an ARPA file cannot tell it from <UNK>"
      )
    }
    tokens[model.unknownID] = "<unk>"
    for s in ["<s>", "</s>"] where !tokens.contains(s) { tokens.append(s) }
    self.model = model
    arpaTokens = tokens
  }

  /// n + 1 (2 for an order-1 add-k model, with no 2-grams).
  public var arpaOrder: Int { max(model.contextLength.order, 2) }

  /// Contexts of `length` ids that are followed by a token in the corpus, by index.
  func contexts(length: Int) -> [[Int32]] {
    let level = model.counts.levels[length]
    var keys = [[Int32]](repeating: [], count: level.contextCount)
    for (key, c) in level.index { keys[Int(c)] = NgramCounts.ids(of: key, length: length) }
    return keys
  }

  public func forEachARPANgram(
    order m: Int, _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void
  ) rethrows {
    let v = model.vocabulary.count
    if m == 1 {
      for id in v..<arpaTokens.count { try body([id], SGDARPAExport.specialLog10, 0) }
    }
    switch model.estimator {
    case .kneserNey(let d): try kneserNey(order: m, discount: d, body)
    case .addK(let k): try addK(order: m, k: k, body)
    case .mle: try mle(order: m, body)
    }
  }

  func mle(order m: Int, _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void)
    rethrows
  {
    let n = model.contextLength.value
    let v = model.vocabulary.count
    if n == 0 {
      guard m == 1 else { return }
      let top = model.counts.levels[0]
      var p = [Double](repeating: -.infinity, count: v)
      for q in top.offsets[0]..<top.offsets[1] {
        p[Int(top.successors[q])] = log10(Double(top.counts[q]) / Double(top.totals[0]))
      }
      for id in 0..<v { try body([id], p[id], 0) }
      return
    }
    if m == 1 {
      for id in 0..<v { try body([id], -.infinity, 0) }
      return
    }
    let level = model.counts.levels[m - 1]
    for (c, ctx) in contexts(length: m - 1).enumerated() {
      for q in level.offsets[c]..<level.offsets[c + 1] {
        let p = m == n + 1 ? log10(Double(level.counts[q]) / Double(level.totals[c])) : -.infinity
        try body((ctx + [level.successors[q]]).map(Int.init), p, 0)
      }
    }
  }

  func kneserNey(
    order m: Int, discount d: Double,
    _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void
  ) rethrows {
    let n = model.contextLength.value
    // The back-off weight of an m-gram: log10 γ at its own order (none at the highest order).
    func backoff(_ gram: [Int32]) -> Double {
      m > n ? 0 : log10(model.kneserNeyGamma(gram[...], discount: d))
    }
    if m == 1 {
      for id in 0..<model.vocabulary.count {
        let gram = [Int32(id)]
        try body([id], log10(model.knUnigram[id]), backoff(gram))
      }
      return
    }
    let level = model.counts.levels[m - 1]
    for (c, ctx) in contexts(length: m - 1).enumerated() {
      for q in level.offsets[c]..<level.offsets[c + 1] {
        let gram = ctx + [level.successors[q]]
        let p = model.kneserNeyProbability(of: level.successors[q], after: ctx[...], discount: d)
        try body(gram.map(Int.init), log10(p), backoff(gram))
      }
    }
  }

  func addK(
    order m: Int, k: Double, _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void
  ) rethrows {
    let n = model.contextLength.value
    let v = model.vocabulary.count
    let size = Double(model.nltkVocabularySize)
    let uniform = -log10(size)
    let top = model.counts.levels[n]
    let tops = contexts(length: n)
    func denominator(_ c: Int) -> Double { Double(top.totals[c]) + size * k }
    // The back-off weight of top context c: log10(shared · |V|), shared = k / (c(context) + k|V|).
    func backoff(_ c: Int) -> Double { log10(k / denominator(c)) + log10(size) }
    if n == 0 {
      guard m == 1 else { return }
      var p = [Double](repeating: log10(k / denominator(0)), count: v)
      for q in top.offsets[0]..<top.offsets[1] {
        p[Int(top.successors[q])] = log10((Double(top.counts[q]) + k) / denominator(0))
      }
      for id in 0..<v { try body([id], p[id], 0) }
    } else if m == n + 1 {
      for (c, ctx) in tops.enumerated() {
        for q in top.offsets[c]..<top.offsets[c + 1] {
          let p = (Double(top.counts[q]) + k) / denominator(c)
          try body((ctx + [top.successors[q]]).map(Int.init), log10(p), 0)
        }
      }
    } else if m == 1 {
      var bo = [Double](repeating: 0, count: v)
      if n == 1 { for (c, ctx) in tops.enumerated() { bo[Int(ctx[0])] = backoff(c) } }
      for id in 0..<v { try body([id], uniform, bo[id]) }
    } else if m == n {
      for (c, ctx) in tops.enumerated() { try body(ctx.map(Int.init), uniform, backoff(c)) }
    } else {
      // Prefixes of the top contexts, each once, in first-seen order.
      var seen = Set<[Int32]>()
      for ctx in tops {
        let prefix = Array(ctx.prefix(m))
        if seen.insert(prefix).inserted { try body(prefix.map(Int.init), uniform, 0) }
      }
    }
  }
}
