import NgramEngine

// The Compare screen's work on the shared state: the text to compare, and the jobs that train
// its context lengths.
extension AppState {
  /// Compares the context lengths on the prompt's words (Enter on Compare).
  mutating func compare(_ words: [String]) {
    if words.isEmpty {
      explore.note = "type some text: its last 1, 2 and 3 tokens are the three models' contexts"
      return
    }
    explore.setText("")
    lastWords = words
    compare.setWords(words, vocabulary: vocabulary)
  }

  /// On showing Compare: takes the latest submitted text and starts training the context
  /// lengths (once).
  mutating func prepareCompare() {
    if let w = lastWords, compare.words != w { compare.setWords(w, vocabulary: vocabulary) }
    requestComparison()
    if compare.showModels { requestCountModels() }
  }

  /// Asks the background to train the context lengths not trained yet (one job: the trainings
  /// run side by side, sparsest lengths first — 3, 2, then 1, the slowest on a large vocabulary —
  /// so columns fill in as soon as possible); waits for the explorer's own training to finish
  /// first. The explorer's own run is reused for its context length (as its full-corpus model,
  /// or for its held-out scores when it held out the same fraction), so that length trains once
  /// at most.
  mutating func requestComparison() {
    guard model != nil else {
      compare.waitingForTraining = true
      return
    }
    compare.waitingForTraining = false
    let lengths = compare.missing
    guard !lengths.isEmpty else { return }
    for n in lengths { compare.models[n] = .queued(since: compare.now) }
    jobs.append(
      .comparison(
        contextLengths: lengths, corpus: corpus, learningRate: info.learningRate, epochs: info.epochs,
        holdout: compareHoldout, reusing: mainRun, runHoldout: info.holdout))
  }

  /// Asks the background to fit the models view's count-based models not fitted yet (fast: a
  /// pass of counting, twice with the holdout), at the explorer's context length, and to score
  /// its ARPA models on the held-out tail.
  mutating func requestCountModels() {
    for (i, a) in compare.arpaModels.enumerated() {
      guard case .notAsked = a.heldOut else { continue }
      compare.markARPAScoring(i)
      jobs.append(.arpaHeldOut(index: i, model: a.model, corpus: corpus, holdout: compareHoldout))
    }
    for e in CompareState.countEstimators where compare.countModels[e.name] == nil {
      compare.countModels[e.name] = .fitting
      jobs.append(
        .countModel(estimator: e, corpus: corpus, contextLength: info.contextLength, holdout: compareHoldout))
    }
  }
}
