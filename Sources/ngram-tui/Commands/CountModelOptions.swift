import NgramEngine

/// `--model`: which model answers — the trained SGD rows, or a count-based model fitted from the
/// corpus.
enum ModelChoice: String, CaseIterable, ArgumentValue {
  case sgd
  case mle
  case addK = "add-k"
  case kneserNey = "kneser-ney"

  /// The count estimator this choice names with add-k's `k` and Kneser-Ney's `discount`; nil
  /// for `sgd`.
  func estimator(k: Double, discount: Double) -> CountEstimator? {
    switch self {
    case .sgd: return nil
    case .mle: return .mle
    case .addK: return .addK(k)
    case .kneserNey: return .kneserNey(discount: discount)
    }
  }
}

/// The count models' parameters when not given: add-k's k, Kneser-Ney's discount.
let defaultK = 1.0
let defaultDiscount = 0.75

/// Checks the count models' parameters as given: `--k` (> 0) and `--discount` (in [0, 1]), and
/// that the model each belongs to is used (`uses`); a parameter of a model not used was once
/// silently ignored. `addHint` says how to add a model by name (`--model add-k`).
func validateCountParameters(
  givenK: Double?, givenDiscount: Double?, uses: (ModelChoice) -> Bool, addHint: (String) -> String
) throws {
  let k = givenK ?? defaultK
  let discount = givenDiscount ?? defaultDiscount
  guard k.isFinite, k > 0 else { throw UsageError("--k must be a positive number, got \(k)") }
  guard discount.isFinite, discount >= 0, discount <= 1 else {
    throw UsageError("--discount must be between 0 and 1, got \(discount)")
  }
  if givenK != nil && !uses(.addK) {
    throw UsageError("--k is add-k's parameter: add \(addHint("add-k")), or leave out --k")
  }
  if givenDiscount != nil && !uses(.kneserNey) {
    throw UsageError("--discount is kneser-ney's parameter: add \(addHint("kneser-ney")), or leave out --discount")
  }
}

/// `--model`, `--k`, `--discount`, `--context`: a count-based model beside the trained one.
struct CountModelOptions: OptionGroup {
  var model: ModelChoice = .sgd
  /// `--k` as given (nil: not given).
  var givenK: Double?
  /// `--discount` as given (nil: not given).
  var givenDiscount: Double?
  var context: Int?

  /// add-k's k: `--k`, else 1.
  var k: Double { givenK ?? defaultK }
  /// Kneser-Ney's discount: `--discount`, else 0.75.
  var discount: Double { givenDiscount ?? defaultDiscount }

  static var arguments: [Argument<Self>] {
    [
      .option(
        "model", \.model,
        help: "Model: sgd (the trained rows), mle, add-k or kneser-ney (fitted from the corpus, as NLTK's nltk.lm)."),
      .option("k", \.givenK, help: "add-k: the k added to every count (Lidstone; 1 = Laplace; default 1)."),
      .option("discount", \.givenDiscount, help: "kneser-ney: the absolute discount D, 0 ≤ D ≤ 1 (default 0.75)."),
      .option(
        "context", \.context,
        help: "Count-based models: context length (order − 1), 0–5 (default: the trained model's, else 2)."),
    ]
  }

  func validate() throws {
    // 'predict --k 0.5' once answered with SGD.
    try validateCountParameters(
      givenK: givenK, givenDiscount: givenDiscount, uses: { $0 == model }, addHint: { "--model \($0)" })
    if let c = context {
      guard ContextLength(c) != nil else {
        throw UsageError("--context must be 0–\(ContextLength.maximum) for a count-based model, got \(c)")
      }
      if model == .sgd {
        throw UsageError(
          "--context picks a count-based model's length; the sgd model reads the context it was trained with (retrain with `train --context N`)"
        )
      }
    }
  }

  /// The estimator for `--model`, nil for `sgd`.
  var estimator: CountEstimator? {
    model.estimator(k: k, discount: discount)
  }
}

/// A count-based model fitted on DIR's corpus — the one the trained artifacts were trained on when
/// they exist and the corpus is unchanged, else the single file in DIR/corpus — with the context
/// length `--context`, else the trained model's, else 2.
struct FittedCountModel {
  let model: CountModel
  let corpus: Corpus
  /// The artifacts, when DIR has them.
  let loaded: LoadedArtifacts?

  init(directory: String, estimator: CountEstimator, context: Int?) throws {
    var loaded: LoadedArtifacts?
    do {
      loaded = try ArtifactStore.load(directory: directory)
    } catch NgramError.artifactsMissing {
      loaded = nil
    }
    let corpus: Corpus
    if let c = loaded?.trainingCorpus(directory: directory) {
      corpus = c
    } else {
      corpus = try Corpus.load(path: try Corpus.locate(directory: directory, corpusOverride: nil))
    }
    let n = context ?? loaded?.model.contextLength.value ?? 2
    self.model = try CountModel(corpus: corpus, contextLength: ContextLength(n)!, estimator: estimator)
    self.corpus = corpus
    self.loaded = loaded
  }
}

/// The message shown where MLE has no distribution.
let mleUndefinedMessage =
  "MLE is undefined after this context: it is never followed by anything in the corpus (0/0); NLTK scores every word 0 here — add-k and kneser-ney answer it"

/// Words that a count-based model read as `<UNK>`, as a note (empty when none).
func unknownNote(_ words: [String]) -> String {
  words.isEmpty
    ? ""
    : "not in the corpus, read as <UNK>: \(words.map { "'\(TerminalText.escape($0))'" }.joined(separator: ", "))"
}
