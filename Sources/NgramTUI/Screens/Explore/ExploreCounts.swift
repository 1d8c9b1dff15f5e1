import NgramEngine

/// Explore's optional column beside the SGD bars: the probability a count-based model (fitted on
/// the same corpus, same context length) gives the same token. `=` cycles off → mle → add-k
/// (k = 1) → kneser-ney (D = 0.75) → off.
struct ExploreCounts: Sendable {
  /// The estimator shown, or nil when the column is off.
  var estimator: CountEstimator?
  /// Fitted models by estimator name (fitted once, on first use).
  var models: [String: CountModel] = [:]
  /// Why the shown estimator has no model (e.g. Kneser–Ney on a unigram).
  var failure: String?

  /// The cycle's order.
  static let cycle: [CountEstimator?] = [nil, .mle, .addK(1), .kneserNey(discount: 0.75)]

  /// The model shown, if any.
  var model: CountModel? { estimator.flatMap { models[$0.name] } }

  /// The next estimator in the cycle, fitted on `corpus` with `contextLength` tokens of context.
  mutating func advance(corpus: Corpus, contextLength: Int) {
    let i = Self.cycle.firstIndex { $0 == estimator } ?? 0
    estimator = Self.cycle[(i + 1) % Self.cycle.count]
    failure = nil
    guard let e = estimator, models[e.name] == nil else { return }
    do {
      models[e.name] = try CountModel(
        corpus: corpus, contextLength: ContextLength(contextLength) ?? ContextLength(2)!, estimator: e)
    } catch {
      failure = "\(e.name): \(error)"
    }
  }
}

/// What Explore draws for the count column of one prediction.
struct CountColumn: Sendable {
  /// The model's short name (column heading).
  let name: String
  /// The line under the bars: which model, and what it equals.
  let caption: String
  /// A warning (MLE undefined here), if any.
  let warning: String?
  let model: CountModel
  let context: TokenContext
  let undefined: Bool

  init?(_ counts: ExploreCounts, ids: [Int]) {
    guard let e = counts.estimator, let m = counts.model else { return nil }
    model = m
    context = TokenContext(ids: ids)
    name = e.name
    undefined = m.note(after: context) == .mleUnseenContext
    caption =
      "right: \(e), order \(m.contextLength.order), counted from the corpus as NLTK's nltk.lm; = next"
    warning =
      undefined
      ? "mle undefined: context never followed in the corpus (0/0; NLTK gives 0)"
      : nil
  }

  /// The column's text for token `id`.
  func text(_ id: Int) -> String {
    undefined ? "undef" : Format.percent(model.probability(of: id, after: context))
  }
}
