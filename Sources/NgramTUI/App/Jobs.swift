import NgramEngine

/// One context length's column on the Compare screen, for the typed text.
enum CompareColumn: Sendable {
  /// The model of this context length answered (as `ngram-tui compare`).
  case answer(ContextComparison)
  /// Fewer tokens were typed than this context length reads.
  case needsTokens(contextLength: Int, typed: Int)
  /// Some of the last n typed tokens are not in the vocabulary.
  case unknown(contextLength: Int, tokens: [String])
  /// Training this context length failed (the engine's message).
  case failed(contextLength: Int, message: String)

  /// The context length of the column.
  var contextLength: Int {
    switch self {
    case .answer(let c): return c.contextLength
    case .needsTokens(let n, _), .unknown(let n, _), .failed(let n, _): return n
    }
  }
}

/// What `ContextComparison.run` is asked for one context length: the key of the Compare cache.
struct ComparisonKey: Hashable, Sendable {
  /// The context length.
  let contextLength: Int
  /// The last n typed tokens.
  let context: [String]
}

/// Work too slow for the UI thread (training the context lengths of Compare, replaying a very
/// frequent context's epochs): the state asks for it, the run loop runs it on a background
/// queue and hands the result back; tests run it inline.
enum Job: Sendable {
  /// Train context lengths on the corpus and answer for their contexts (`ngram-tui compare`).
  case comparison(keys: [ComparisonKey], corpus: Corpus, learningRate: Double, epochs: Int, topK: Int, holdout: Double)
  /// Replay one context's epochs (time travel).
  case history(context: [Int], corpus: Corpus, learningRate: Double, epochs: Int)

  /// Does the work (on whatever thread calls it).
  func perform() -> JobResult {
    switch self {
    case .comparison(let keys, let corpus, let lr, let epochs, let k, let holdout):
      var out: [(ComparisonKey, CompareColumn)] = []
      for key in keys {
        do {
          let r = try ContextComparison.run(
            corpus: corpus, tokens: key.context, contextLengths: [key.contextLength], learningRate: lr,
            epochs: epochs, topK: k, holdout: holdout)
          out.append((key, r.first.map(CompareColumn.answer) ?? .failed(contextLength: key.contextLength, message: "no result")))
        } catch {
          let text = (error as? NgramError)?.description ?? "\(error)"
          out.append((key, .failed(contextLength: key.contextLength, message: text)))
        }
      }
      return .comparison(out)
    case .history(let ctx, let corpus, let lr, let epochs):
      return .history(
        context: ctx, TimeTravel.history(corpus: corpus, context: ctx, learningRate: lr, epochs: epochs))
    }
  }
}

/// A finished job.
enum JobResult: Sendable {
  /// Compare columns, each with the key it answers.
  case comparison([(ComparisonKey, CompareColumn)])
  /// A context's distributions after epochs 0…N.
  case history(context: [Int], [Distribution])
}
