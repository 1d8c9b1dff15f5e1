import NgramEngine
import Synchronization

/// Work too slow for the UI thread (training the context lengths of Compare, replaying a very
/// frequent context's epochs): the state asks for it, the run loop runs it on a background
/// queue and hands the result back; tests run it inline.
enum Job: Sendable {
  /// Train context lengths for Compare (once: the models then answer every text), side by side
  /// (the engine's `ComparisonTraining.train`, as `ngram-tui compare`). `reusing` is the
  /// explorer's own run (trained with `runHoldout`), which stands in for one of the two
  /// trainings of its context length. Each length's result is handed back when it is ready.
  case comparison(
    contextLengths: [Int], corpus: Corpus, learningRate: Double, epochs: Int, holdout: Double,
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

  /// Does the work (on whatever thread calls it) and returns every result, in the order made.
  func perform(control: TrainingControl = TrainingControl()) -> [JobResult] {
    let results = Collected()
    perform(control: control) { results.append($0) }
    return results.all
  }

  /// Does the work (on whatever thread calls it), handing each result to `deliver` as soon as it
  /// is made (from any thread); `control` cancels a training.
  func perform(control: TrainingControl, deliver: @escaping @Sendable (JobResult) -> Void) {
    switch self {
    case .comparison(let lengths, let corpus, let lr, let epochs, let holdout, let run, let runHoldout):
      _ = ComparisonTraining.train(
        corpus: corpus, contextLengths: lengths, learningRate: lr, epochs: epochs, holdout: holdout, reusing: run,
        runHoldout: runHoldout, control: control
      ) { event in
        switch event {
        case .started(let job):
          deliver(.comparisonStarted(contextLength: job.contextLength))
        case .finished:
          break
        case .ready(let n, let result):
          deliver(
            .comparison(
              contextLength: n,
              result.mapError(JobFailure.init)))
        }
      }
    case .history(let ctx, let corpus, let lr, let epochs):
      deliver(
        .history(context: ctx, TimeTravel.history(corpus: corpus, context: ctx, learningRate: lr, epochs: epochs)))
    case .countModel(let estimator, let corpus, let n, let holdout):
      let fitted = Result<FittedCount, any Error> {
        guard let length = ContextLength(n) else { throw NgramError.unsupportedContextLength(n) }
        let model = try CountModel(corpus: corpus, contextLength: length, estimator: estimator)
        let score =
          holdout > 0
          ? try CountModel.heldOut(corpus: corpus, contextLength: length, estimator: estimator, holdout: holdout).score
          : nil
        return FittedCount(model: model, heldOut: score)
      }
      deliver(.countModel(estimator.name, fitted.mapError(JobFailure.init)))
    case .arpaHeldOut(let index, let model, let corpus, let holdout):
      let score = Result<HeldOutScore, any Error> { try model.heldOut(corpus: corpus, holdout: holdout) }
      deliver(.arpaHeldOut(index, score.mapError(JobFailure.init)))
    case .embeddings(let directory, let corpus, let n):
      deliver(.embeddings(MapData.load(directory: directory, corpus: corpus, contextLength: n)))
    }
  }
}

/// Why a job failed, for the screen.
struct JobFailure: Error, Sendable, Equatable {
  /// The engine's message.
  let message: String
}

extension JobFailure {
  /// The failure `error` is, in the words the command line uses.
  init(_ error: any Error) { message = CommandLineWords.message(for: error) }
}

/// A finished job, or one step of a job.
enum JobResult: Sendable {
  /// A training of a context length for Compare started (it was queued behind others until now).
  case comparisonStarted(contextLength: Int)
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

/// Results collected from any thread, for running a job inline.
private final class Collected: Sendable {
  private let results = Mutex<[JobResult]>([])

  func append(_ r: JobResult) { results.withLock { $0.append(r) } }
  var all: [JobResult] { results.withLock { $0 } }
}
