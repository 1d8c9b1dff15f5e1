import NgramEngine

// The Explore screen's work on the shared state: the prompt's text becomes a query of the model
// and the corpus (or, on Compare, the text the models compare).
extension AppState {
  /// Runs the typed text and records it in history: Explore predicts from its last n tokens,
  /// Compare compares context lengths 1–3 on it.
  mutating func submit() {
    let text = explore.text
    if !text.unicodeScalars.allSatisfy(Tokens.isSeparator), explore.history.last != text {
      explore.history.append(text)
    }
    explore.historyIndex = nil
    explore.note = nil
    let words = Tokens.split(text)
    if screen == .compare {
      compare(words)
      return
    }
    if !words.isEmpty { lastWords = words }
    // Any model's rule: the last n words; fewer only where the model reads shorter contexts
    // (an ARPA file backs off; none = its 1-grams).
    let n = info.contextLength
    let shorter = languageModel?.acceptsShorterContexts ?? false
    if words.isEmpty && n > 0 && !shorter {
      explore.note = "type \(n) context token\(n == 1 ? "" : "s"), then Enter"
      return
    }
    explore.setText("")
    if words.count < n && !shorter {
      explore.result = .needMore(needed: n, got: words.count)
      return
    }
    runQuery(Array(words.suffix(n)))
  }

  /// Answers `ctx` with the model through `LanguageModel`: words it cannot read are listed with
  /// suggestions; with a corpus, what followed the context and its learning curves beside it.
  mutating func runQuery(_ ctx: [String]) {
    guard let languageModel else {
      // Still training: check the words now, answer when the model is ready.
      let unknown = ctx.filter { vocabulary.id(of: $0) == nil }
      if !unknown.isEmpty { return showUnknown(unknown) }
      explore.result = .waiting(context: ctx)
      return
    }
    let context: TokenContext
    do {
      context = try languageModel.context(for: ctx)
    } catch NgramError.unknownTokens(let unknown, _) {
      return showUnknown(unknown)
    } catch {
      explore.note = CommandLineWords.message(for: error)
      return
    }
    let ids = context.ids
    guard profile.trainsOnCorpus, let model else {
      let used = languageModel.usedContextLength(context)
      var p = ExplorePrediction(
        context: ctx, ids: ids, distribution: languageModel.distribution(after: context), trained: used == ctx.count,
        followers: .none, history: [])
      p.contextUsed = used
      p.unknownWords = ctx.filter { vocabulary.id(of: $0) == nil }
      explore.epoch = nil
      explore.result = .prediction(p)
      lastContext = ids
      contextVersion += 1
      return
    }
    let followers = corpus.successors(of: ids)
    // Replaying the row costs about epochs × occurrences × distinct successors steps: contexts
    // so frequent that it would stall the screen are replayed in the background, and the most
    // frequent ones (a unigram on a book) not at all.
    let cost = Double(info.epochs) * Double(followers.occurrences) * Double(max(followers.counts.count, 1))
    var history = historyCache[ids] ?? []
    var pending = false
    if history.isEmpty {
      if cost <= Self.learningCurveBudget {
        history = TimeTravel.history(
          corpus: corpus, context: ids, learningRate: info.learningRate, epochs: info.epochs)
        remember(history, for: ids)
      } else if cost <= Self.backgroundHistoryBudget {
        pending = true
        jobs.append(.history(context: ids, corpus: corpus, learningRate: info.learningRate, epochs: info.epochs))
      }
    }
    explore.epoch = nil
    explore.result = .prediction(
      ExplorePrediction(
        context: ctx, ids: ids, distribution: model.distribution(context: ids), trained: model.isTrained(context: ids),
        followers: followers, history: history, historyPending: pending))
    lastContext = ids
    contextVersion += 1
  }

  /// Lists the words the model cannot read, each once, with near vocabulary entries.
  private mutating func showUnknown(_ unknown: [String]) {
    var seen = Set<[UInt8]>()
    let uniq = unknown.filter { seen.insert(Array($0.utf8)).inserted }
    explore.result = .unknown(uniq.map { ($0, vocabulary.suggestions(for: $0)) })
  }
}
