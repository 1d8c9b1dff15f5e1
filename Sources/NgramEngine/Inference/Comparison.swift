import Foundation

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
  /// last fraction) and answers for `tokens`.
  public static func run(
    corpus: Corpus, tokens: [String], contextLengths: [Int] = [1, 2, 3], learningRate: Double = 0.1,
    epochs: Int = 50, topK k: Int = 5, holdout: Double = 0.1
  ) throws -> [ContextComparison] {
    var out: [ContextComparison] = []
    for n in contextLengths {
      guard tokens.count >= n else {
        throw NgramError.invalidOption("context length \(n) needs \(n) typed token\(n == 1 ? "" : "s"), got \(tokens.count)")
      }
      let full = try Trainer(corpus: corpus, config: TrainingConfig(contextLength: n, learningRate: learningRate, epochs: epochs))
      let outcome = try full.run()
      let ctx = Array(tokens.suffix(n))
      let ids = try outcome.model.ids(for: ctx)
      var perplexity: Double?
      var unseen: Double?
      if holdout > 0 {
        let held = try Trainer(
          corpus: corpus,
          config: TrainingConfig(contextLength: n, learningRate: learningRate, epochs: epochs, holdout: holdout))
        if let last = try held.run().validation.last {
          perplexity = last.valPerplexity
          unseen = last.unseenContexts
        }
      }
      out.append(
        ContextComparison(
          contextLength: n, context: ctx, topK: outcome.model.topK(context: ids, k: k),
          contextSeen: outcome.model.isTrained(context: ids), trainingLoss: outcome.log.last?.avgLoss ?? .nan,
          contexts: full.rowCount, heldOutPerplexity: perplexity, heldOutUnseen: unseen))
    }
    return out
  }
}
