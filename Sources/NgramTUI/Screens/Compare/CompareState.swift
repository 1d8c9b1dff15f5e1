import NgramEngine

/// One context length's column on the Compare screen, for the typed text.
enum CompareColumn: Sendable {
  /// The model of this context length answered (as `ngram-tui compare`).
  case answer(ContextComparison)
  /// The model waits for other trainings to make room on the cores.
  case queued
  /// The model is still training (since `since`, in run-loop seconds).
  case training(since: Double)
  /// Fewer tokens were typed than this context length reads.
  case needsTokens(typed: Int)
  /// Some of the last n typed tokens are not in the vocabulary.
  case unknown([String])
  /// Training this context length failed (the engine's message).
  case failed(String)
}

/// A context length's model for Compare: training, trained, or failed.
enum ModelSlot: Sendable {
  /// Asked for at `since` (run-loop seconds); its trainings have not started yet.
  case queued(since: Double)
  /// Training in the background since `since` (run-loop seconds).
  case training(since: Double)
  /// Trained.
  case ready(TrainedContextModel)
  /// Training failed.
  case failed(String)
}

/// The Compare screen: context lengths 1, 2 and 3 side by side for the typed text.
///
/// The text is the Explore prompt's (the two screens share the prompt and its history). Each
/// context length is trained once, in the background, the first time Compare is shown after
/// the explorer's own training (the engine's `TrainedContextModel`, what `ContextComparison.run`
/// trains); from then on every text is answered at once.
struct CompareState: Sendable {
  /// The context lengths compared, left to right.
  static let contextLengths = [1, 2, 3]

  /// The typed words being compared (nil before the first text).
  var words: [String]?
  /// The models, by context length (absent: not asked for yet).
  var models: [Int: ModelSlot] = [:]
  /// Whether training waits for the explorer's own training to finish first (so the two do not
  /// compete for the cores).
  var waitingForTraining = false
  /// The run loop's clock (seconds), for how long training has taken.
  var now = 0.0
  /// Whether the screen shows the models view (`=`): SGD beside MLE, add-k and Kneser–Ney at the
  /// explorer's context length, as `ngram-tui compare --models`, instead of context lengths 1–3.
  var showModels = false
  /// The count-based models of the models view, by estimator name (absent: not asked for).
  var countModels: [String: CountSlot] = [:]
  /// The ready models' answers for the current words (the top `AppState.maxK`), by context length.
  private(set) var answers: [Int: ContextComparison] = [:]
  /// ARPA models added to the models view (`ngram-tui --compare-arpa FILE`), after the count
  /// models, in the order given.
  private(set) var arpaModels: [ComparedARPA] = []

  /// Sets the words and answers them with the models that are ready.
  mutating func setWords(_ w: [String]?, vocabulary: Vocabulary) {
    words = w
    refreshAnswers(vocabulary: vocabulary)
  }

  /// Adds ARPA models to the models view (their held-out scores are asked for with the count
  /// models').
  mutating func addARPAModels(_ models: [ARPAModel]) {
    arpaModels += models.map { ComparedARPA(model: $0) }
    refreshARPAAnswers()
  }

  /// Installs the held-out score of ARPA model `index` (or why there is none).
  mutating func installARPAHeldOut(_ index: Int, _ slot: ARPAHeldOutSlot) {
    guard arpaModels.indices.contains(index) else { return }
    arpaModels[index].heldOut = slot
  }

  /// Marks ARPA model `index`'s held-out score as being computed.
  mutating func markARPAScoring(_ index: Int) { installARPAHeldOut(index, .scoring) }

  /// Answers the current words with each ARPA model (as `compare --models …,arpa:FILE`: its
  /// last order − 1 words, unknown ones read as `<unk>`).
  private mutating func refreshARPAAnswers() {
    for i in arpaModels.indices {
      arpaModels[i].answer = words.flatMap { w in
        try? ARPAComparison(model: arpaModels[i].model, tokens: w, topK: AppState.maxK, corpus: nil, holdout: 0)
      }
    }
  }

  /// Installs a trained model (or its failure) and answers the current words with it.
  mutating func install(_ n: Int, _ slot: ModelSlot, vocabulary: Vocabulary) {
    models[n] = slot
    refreshAnswers(vocabulary: vocabulary)
  }

  /// Recomputes the answers (looking up and ranking a row once, not on every frame).
  private mutating func refreshAnswers(vocabulary: Vocabulary) {
    refreshARPAAnswers()
    answers = [:]
    guard let words else { return }
    for n in Self.contextLengths where words.count >= n {
      guard case .ready(let m)? = models[n] else { continue }
      let ctx = Array(words.suffix(n))
      guard ctx.allSatisfy({ vocabulary.id(of: $0) != nil }) else { continue }
      answers[n] = try? m.answer(ctx, topK: AppState.maxK)
    }
  }

  /// Each context length's column for the current words.
  func columns(vocabulary: Vocabulary) -> [(contextLength: Int, column: CompareColumn?)] {
    guard let words else { return [] }
    return Self.contextLengths.map { n in
      guard words.count >= n else { return (n, .needsTokens(typed: words.count)) }
      let ctx = Array(words.suffix(n))
      let unknown = ctx.filter { vocabulary.id(of: $0) == nil }
      if !unknown.isEmpty {
        var seen = Set<[UInt8]>()
        return (n, .unknown(unknown.filter { seen.insert(Array($0.utf8)).inserted }))
      }
      switch models[n] {
      case nil: return (n, nil)
      case .queued?: return (n, .queued)
      case .training(let since)?: return (n, .training(since: since))
      case .failed(let m)?: return (n, .failed(m))
      case .ready?:
        guard let a = answers[n] else { return (n, .failed("no answer")) }
        return (n, .answer(a))
      }
    }
  }

  /// Context lengths still training or queued to.
  var training: [Int] {
    Self.contextLengths.filter { n in
      switch models[n] {
      case .training?, .queued?: return true
      default: return false
      }
    }
  }

  /// Context lengths not asked for yet.
  var missing: [Int] { Self.contextLengths.filter { models[$0] == nil } }

  /// The earliest request among the models still training or queued.
  var trainingSince: Double? {
    models.values.compactMap { slot -> Double? in
      switch slot {
      case .training(let s), .queued(let s): return s
      default: return nil
      }
    }.min()
  }
}

/// A count-based model for Compare's models view: fitting, fitted, or failed.
enum CountSlot: Sendable {
  /// Fitting in the background.
  case fitting
  /// Fitted (on the whole corpus, and on the head for the held-out score).
  case ready(FittedCount)
  /// Fitting failed (the engine's message, e.g. Kneser–Ney of a unigram session).
  case failed(String)
}

extension CompareState {
  /// The count-based models of the models view, left to right after SGD (`compare --models`'s
  /// defaults: k = 1, D = 0.75).
  static let countEstimators: [CountEstimator] = [.mle, .addK(1), .kneserNey(discount: 0.75)]
}

/// An ARPA model in Compare's models view: its answer for the current words and its held-out
/// score on the corpus's tail (`ARPAModel.heldOut`, what `compare --models …,arpa:FILE` reports).
struct ComparedARPA: Sendable {
  /// The model.
  let model: ARPAModel
  /// Its answer for the current words (nil before the first text).
  var answer: ARPAComparison?
  /// Its held-out score.
  var heldOut: ARPAHeldOutSlot = .notAsked
}

/// An ARPA model's held-out score in the models view: not asked for, being computed, computed,
/// or why it cannot be (e.g. a corpus too short for the holdout).
enum ARPAHeldOutSlot: Sendable {
  case notAsked
  case scoring
  case ready(HeldOutScore)
  case failed(String)
}
