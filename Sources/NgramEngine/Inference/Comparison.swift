import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One context length's answer for the same typed text, for `compare`.
public struct ContextComparison: Sendable {
  /// The context length.
  public let contextLength: Int
  /// The context used (the last n typed tokens).
  public let context: [String]
  /// Top-k next tokens of the model trained on the whole corpus (as `train --context n`).
  public let topK: [Prediction]
  /// Whether that context occurred in training.
  public let contextSeen: Bool
  /// Final-epoch training loss (as the last line of that run's train_log.csv).
  public let trainingLoss: Double
  /// Distinct contexts the model has trained rows for.
  public let contexts: Int
  /// Held-out perplexity after the last epoch of a `--holdout` run (nil if holdout is 0).
  public let heldOutPerplexity: Double?
  /// Share of held-out pairs whose context never occurred in training.
  public let heldOutUnseen: Double?

  /// Trains each context length on `corpus` (and, with `holdout` > 0, once more holding out the
  /// last fraction) and answers for `tokens`. The trainings run side by side on the cores
  /// (`ComparisonTraining.train`); the numbers are those of training one after another.
  public static func run(
    corpus: Corpus, tokens: [String], contextLengths: [Int] = [1, 2, 3], learningRate: Double = 0.1,
    epochs: Int = 50, topK k: Int = 5, holdout: Double = 0.1,
    onEvent: (@Sendable (ComparisonTraining.Event) -> Void)? = nil
  ) throws -> [ContextComparison] {
    for n in contextLengths where tokens.count < n {
      throw NgramError.invalidOption(
        "context length \(n) needs \(n) typed token\(n == 1 ? "" : "s"), got \(tokens.count)")
    }
    let trained = ComparisonTraining.train(
      corpus: corpus, contextLengths: contextLengths, learningRate: learningRate, epochs: epochs, holdout: holdout,
      onEvent: onEvent)
    return try trained.map { try $0.get().answer(tokens, topK: k) }
  }
}

/// One context length trained for comparison: the full-corpus model (as `train --context n`)
/// and, with a holdout, the held-out scores of a second run that kept the tail out.
public struct TrainedContextModel: Sendable {
  /// The context length.
  public let contextLength: Int
  /// The model trained on the whole corpus.
  public let model: NgramModel
  /// Its final-epoch training loss.
  public let trainingLoss: Double
  /// Distinct contexts it has rows for.
  public let contexts: Int
  /// Held-out perplexity after the last epoch (nil without holdout).
  public let heldOutPerplexity: Double?
  /// Share of held-out pairs with a context never seen in training (nil without holdout).
  public let heldOutUnseen: Double?

  /// Trains context length `n` on `corpus` (twice when `holdout` > 0).
  ///
  /// A run already made on the same corpus with the same context length, learning rate and
  /// epochs (the explorer's own training) can stand in for one of the two: pass it as `run`,
  /// with the holdout it was trained with as `runHoldout`. With `runHoldout` 0 it is the
  /// full-corpus model; with `runHoldout` equal to `holdout` its held-out scores are the ones
  /// wanted. The numbers are those of training afresh; any other `run` is ignored.
  public init(
    corpus: Corpus, contextLength n: Int, learningRate: Double, epochs: Int, holdout: Double,
    reusing run: TrainingOutcome? = nil, runHoldout: Double = 0
  ) throws {
    self = try ComparisonTraining.train(
      corpus: corpus, contextLengths: [n], learningRate: learningRate, epochs: epochs, holdout: holdout,
      reusing: run, runHoldout: runHoldout)[0].get()
  }

  /// Length `n`'s numbers from its whole-corpus run and the last held-out scores of its head run.
  init(contextLength n: Int, whole: TrainingOutcome, heldOut: ValidationStats?) {
    contextLength = n
    model = whole.model
    trainingLoss = whole.log.last?.avgLoss ?? .nan
    contexts = whole.model.trainedRowCount
    heldOutPerplexity = heldOut?.valPerplexity
    heldOutUnseen = heldOut?.unseenContexts
  }

  /// The answer for typed `tokens` (the last n are used).
  public func answer(_ tokens: [String], topK k: Int) throws -> ContextComparison {
    let ctx = Array(tokens.suffix(contextLength))
    let ids = try model.ids(for: ctx)
    return ContextComparison(
      contextLength: contextLength, context: ctx, topK: model.topK(context: ids, k: k),
      contextSeen: model.isTrained(context: ids), trainingLoss: trainingLoss, contexts: contexts,
      heldOutPerplexity: heldOutPerplexity, heldOutUnseen: heldOutUnseen)
  }
}
