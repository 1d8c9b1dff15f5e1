#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A trained SGD model (``NgramModel``, context length n = 0…3) as an ARPA back-off model of
/// order n + 1 that KenLM scores exactly as ngram-tui does.
///
/// - Each trained row's explicit columns are (n + 1)-grams with their softmax probability.
/// - The row's shared probability of every other column is its context's back-off weight:
///   log10(shared · V), so that back-off weight + the uniform lower order = log10(shared).
/// - Every lower order is uniform, log10(1/V): a context never trained gets 1/V for every token,
///   as ngram-tui's all-zero row does. The contexts (and their prefixes) of the trained rows are
///   listed so the back-off weights have somewhere to live.
/// - `<s>`, `</s>` and `<unk>` (added unless the corpus has them as tokens) get log10
///   probability −99 (SRILM's "log 0"): the SGD model never predicts them.
///
/// A unigram model (n = 0) has the single row's probabilities as 1-grams, followed by an empty
/// 2-gram section: KenLM refuses files of order 1 ("assumes at least a bigram model"), and an
/// order-2 file without 2-grams scores exactly as the unigram model.
public struct SGDARPAExport: ARPASource {
  let model: NgramModel
  /// Tokens by id: the model's vocabulary, then the special tokens it lacks.
  public let arpaTokens: [String]

  /// The log10 probability given to `<s>`, `</s>` and `<unk>` (the model never predicts them).
  public static let specialLog10 = -99.0

  /// A probability that underflowed to 0 (a diverged training run) is written as −99, SRILM's
  /// "log 0", since KenLM refuses infinite back-off weights.
  static func finite(_ x: Double) -> Double { x == -.infinity ? specialLog10 : x }

  /// Wraps `model` for ``ARPAWriter``.
  public init(model: NgramModel) {
    self.model = model
    var tokens = model.vocabulary.tokens
    for s in ["<s>", "</s>", "<unk>"] where model.vocabulary.id(of: s) == nil { tokens.append(s) }
    arpaTokens = tokens
  }

  /// n + 1 (2 for a unigram model, with no 2-grams).
  public var arpaOrder: Int { max(model.n + 1, 2) }

  var uniform: Double { -log10(Double(model.vocabulary.count)) }

  /// The back-off weight of trained row `r`: log10(shared probability · V), 0 if every column is explicit.
  func backoff(row r: Int) -> Double {
    let d = model.distribution(row: r)
    guard d.explicit.count < d.vocabSize else { return 0 }
    return SGDARPAExport.finite(log10(d.defaultProbability) + log10(Double(model.vocabulary.count)))
  }

  public func forEachARPANgram(
    order m: Int, _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void
  ) rethrows {
    let n = model.n
    let v = model.vocabulary.count
    let rows = model.trainedRowCount
    func context(_ r: Int) -> [Int] { (0..<n).map { Int(model.rowContexts[r * n + $0]) } }
    if n == 0 {
      // The single row's probabilities as 1-grams; no 2-grams.
      guard m == 1 else { return }
      let d = model.distribution(context: [])
      var p = [Double](repeating: log10(d.defaultProbability), count: v)
      for e in d.explicit { p[e.id] = log10(e.probability) }
      for id in 0..<v { try body([id], SGDARPAExport.finite(p[id]), 0) }
    } else if m == n + 1 {
      // The trained cells.
      for r in 0..<rows {
        let c = context(r)
        for e in model.distribution(row: r).explicit {
          try body(c + [e.id], SGDARPAExport.finite(log10(e.probability)), 0)
        }
      }
    } else if m == 1 {
      var bo = [Double](repeating: 0, count: v)
      if n == 1 { for r in 0..<rows { bo[Int(model.rowContexts[r])] = backoff(row: r) } }
      for id in 0..<v { try body([id], uniform, bo[id]) }
    } else if m == n {
      for r in 0..<rows { try body(context(r), uniform, backoff(row: r)) }
    } else {
      // Prefixes of the trained contexts, each once, in first-seen order.
      var seen = Set<[Int]>()
      for r in 0..<rows {
        let prefix = Array(context(r).prefix(m))
        if seen.insert(prefix).inserted { try body(prefix, uniform, 0) }
      }
    }
    if m == 1 {
      for id in v..<arpaTokens.count { try body([id], SGDARPAExport.specialLog10, 0) }
    }
  }
}
