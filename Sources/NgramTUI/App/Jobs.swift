import NgramEngine

/// Work too slow for the UI thread (training the context lengths of Compare, replaying a very
/// frequent context's epochs): the state asks for it, the run loop runs it on a background
/// queue and hands the result back; tests run it inline.
enum Job: Sendable {
  /// Train one context length for Compare (once: the model then answers every text). `reusing`
  /// is the explorer's own run (trained with `runHoldout`), which stands in for one of the two
  /// trainings when its context length is this one.
  case comparison(
    contextLength: Int, corpus: Corpus, learningRate: Double, epochs: Int, holdout: Double,
    reusing: TrainingOutcome? = nil, runHoldout: Double = 0)
  /// Replay one context's epochs (time travel).
  case history(context: [Int], corpus: Corpus, learningRate: Double, epochs: Int)
  /// Fit a count-based model for Compare's models view on the whole corpus and, with a holdout,
  /// once more on the head to score the held-out tail (as `ngram-tui compare --models`).
  case countModel(estimator: CountEstimator, corpus: Corpus, contextLength: Int, holdout: Double)
  /// Score an ARPA model of the models view on the corpus's held-out tail (as `ngram-tui compare
  /// --models …,arpa:FILE`); `index` is its place in `CompareState.arpaModels`.
  case arpaHeldOut(index: Int, model: ARPAModel, corpus: Corpus, holdout: Double)
  /// Read the map's points (`artifacts/03_token_embeddings.csv`) and count their contexts.
  case embeddings(directory: String, corpus: Corpus, contextLength: Int)

  /// Does the work (on whatever thread calls it).
  func perform() -> JobResult {
    switch self {
    case .comparison(let n, let corpus, let lr, let epochs, let holdout, let run, let runHoldout):
      do {
        return .comparison(
          contextLength: n,
          .success(
            try TrainedContextModel(
              corpus: corpus, contextLength: n, learningRate: lr, epochs: epochs, holdout: holdout, reusing: run,
              runHoldout: runHoldout)))
      } catch {
        return .comparison(
          contextLength: n, .failure(JobFailure(message: CommandLineWords.message(for: error))))
      }
    case .history(let ctx, let corpus, let lr, let epochs):
      return .history(
        context: ctx, TimeTravel.history(corpus: corpus, context: ctx, learningRate: lr, epochs: epochs))
    case .countModel(let estimator, let corpus, let n, let holdout):
      do {
        guard let length = ContextLength(n) else { throw NgramError.unsupportedContextLength(n) }
        let model = try CountModel(corpus: corpus, contextLength: length, estimator: estimator)
        let score =
          holdout > 0
          ? try CountModel.heldOut(corpus: corpus, contextLength: length, estimator: estimator, holdout: holdout).score
          : nil
        return .countModel(estimator.name, .success(FittedCount(model: model, heldOut: score)))
      } catch {
        return .countModel(estimator.name, .failure(JobFailure(message: CommandLineWords.message(for: error))))
      }
    case .arpaHeldOut(let index, let model, let corpus, let holdout):
      do {
        return .arpaHeldOut(index, .success(try model.heldOut(corpus: corpus, holdout: holdout)))
      } catch {
        return .arpaHeldOut(index, .failure(JobFailure(message: CommandLineWords.message(for: error))))
      }
    case .embeddings(let directory, let corpus, let n):
      return .embeddings(MapData.load(directory: directory, corpus: corpus, contextLength: n))
    }
  }
}

/// Why a job failed, for the screen.
struct JobFailure: Error, Sendable, Equatable {
  /// The engine's message.
  let message: String
}

/// A finished job.
enum JobResult: Sendable {
  /// A context length trained for Compare (or why it could not be).
  case comparison(contextLength: Int, Result<TrainedContextModel, JobFailure>)
  /// A context's distributions after epochs 0…N.
  case history(context: [Int], [Distribution])
  /// A count-based model fitted for Compare (by estimator name), or why it could not be.
  case countModel(String, Result<FittedCount, JobFailure>)
  /// An ARPA model's held-out score for Compare (by its index), or why there is none.
  case arpaHeldOut(Int, Result<HeldOutScore, JobFailure>)
  /// The map's points (or why they cannot be drawn).
  case embeddings(Result<MapData, JobFailure>)
}

/// A count-based model fitted on the whole corpus, with its held-out score.
struct FittedCount: Sendable {
  /// The model fitted on the whole corpus (answers the typed text).
  let model: CountModel
  /// The score of a second fit on the head, on the held-out tail (nil without holdout).
  let heldOut: HeldOutScore?
}
