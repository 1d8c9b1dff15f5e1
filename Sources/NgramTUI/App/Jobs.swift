import NgramEngine

/// One context length trained for Compare, as `ngram-tui compare` trains it: on the whole
/// corpus, plus (with a holdout) a second run that scores the held-out tail.
///
/// This is the arithmetic of `ContextComparison.run` (tests pin the two together), split so a
/// context length is trained once and then answers any typed text at once; the engine's call
/// retrains for every text, which takes minutes for context 1 on a large vocabulary.
struct ComparisonModel: Sendable {
  /// The context length.
  let contextLength: Int
  /// The model trained on the whole corpus.
  let model: NgramModel
  /// Final-epoch training loss (the last line of that run's train_log.csv).
  let trainingLoss: Double
  /// Distinct contexts with trained rows.
  let contexts: Int
  /// Held-out perplexity after the last epoch of the holdout run (nil without a holdout).
  let heldOutPerplexity: Double?
  /// Share of held-out pairs whose context never occurred in training.
  let heldOutUnseen: Double?

  /// Trains context length `n` (and its holdout run).
  static func train(
    contextLength n: Int, corpus: Corpus, learningRate: Double, epochs: Int, holdout: Double
  ) throws -> ComparisonModel {
    let full = try Trainer(
      corpus: corpus, config: TrainingConfig(contextLength: n, learningRate: learningRate, epochs: epochs))
    let outcome = try full.run()
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
    return ComparisonModel(
      contextLength: n, model: outcome.model, trainingLoss: outcome.log.last?.avgLoss ?? .nan,
      contexts: full.rowCount, heldOutPerplexity: perplexity, heldOutUnseen: unseen)
  }

  /// The answer for `context` (n known tokens): its top `k` and whether it was seen in training.
  func answer(context: [String], k: Int) -> CompareAnswer? {
    guard let ids = try? model.ids(for: context) else { return nil }
    return CompareAnswer(
      context: context, topK: model.topK(context: ids, k: k), contextSeen: model.isTrained(context: ids))
  }
}

/// A context length's answer for the typed text.
struct CompareAnswer: Sendable {
  /// The last n typed tokens.
  let context: [String]
  /// The most probable next tokens.
  let topK: [Prediction]
  /// Whether the context occurred in training.
  let contextSeen: Bool
}

/// Work too slow for the UI thread (training the context lengths of Compare, replaying a very
/// frequent context's epochs): the state asks for it, the run loop runs it on a background
/// queue and hands the result back; tests run it inline.
enum Job: Sendable {
  /// Train one context length for Compare.
  case comparison(contextLength: Int, corpus: Corpus, learningRate: Double, epochs: Int, holdout: Double)
  /// Replay one context's epochs (time travel).
  case history(context: [Int], corpus: Corpus, learningRate: Double, epochs: Int)

  /// Does the work (on whatever thread calls it).
  func perform() -> JobResult {
    switch self {
    case .comparison(let n, let corpus, let lr, let epochs, let holdout):
      do {
        return .comparison(
          contextLength: n,
          .success(
            try ComparisonModel.train(
              contextLength: n, corpus: corpus, learningRate: lr, epochs: epochs, holdout: holdout)))
      } catch {
        return .comparison(contextLength: n, .failure(JobFailure(message: (error as? NgramError)?.description ?? "\(error)")))
      }
    case .history(let ctx, let corpus, let lr, let epochs):
      return .history(
        context: ctx, TimeTravel.history(corpus: corpus, context: ctx, learningRate: lr, epochs: epochs))
    }
  }
}

/// Why a job failed, for the screen.
struct JobFailure: Error, Sendable {
  /// The engine's message.
  let message: String
}

/// A finished job.
enum JobResult: Sendable {
  /// A context length trained for Compare (or why it could not be).
  case comparison(contextLength: Int, Result<ComparisonModel, JobFailure>)
  /// A context's distributions after epochs 0…N.
  case history(context: [Int], [Distribution])
}
