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
  /// The map's points (or why they cannot be drawn).
  case embeddings(Result<MapData, JobFailure>)
}
