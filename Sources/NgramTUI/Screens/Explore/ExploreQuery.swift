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
    if let arpa {
      // Any number of words: the last order − 1 count, unknown ones are <unk>, none = 1-grams.
      explore.setText("")
      runARPAQuery(arpa, Array(words.suffix(arpa.order - 1)))
      return
    }
    let n = info.contextLength
    if words.isEmpty && n > 0 {
      explore.note = "type \(n) context token\(n == 1 ? "" : "s"), then Enter"
      return
    }
    explore.setText("")
    if words.count < n {
      explore.result = .needMore(needed: n, got: words.count)
      return
    }
    runQuery(Array(words.suffix(n)))
  }

  mutating func runQuery(_ ctx: [String]) {
    let unknown = ctx.filter { vocabulary.id(of: $0) == nil }
    if !unknown.isEmpty {
      var seen = Set<[UInt8]>()
      let uniq = unknown.filter { seen.insert(Array($0.utf8)).inserted }
      explore.result = .unknown(uniq.map { ($0, vocabulary.suggestions(for: $0)) })
      return
    }
    let ids = ctx.map { vocabulary.id(of: $0)! }
    guard let model else {
      explore.result = .waiting(context: ctx)
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

  /// An ARPA model's answer after `ctx` (at most order − 1 words), as KenLM scores it.
  mutating func runARPAQuery(_ arpa: ARPAModel, _ ctx: [String]) {
    let context = TokenContext(ids: ctx.map { arpa.vocabulary.id(of: $0) ?? arpa.unknownID })
    let used = arpa.usedContextLength(context)
    var p = ExplorePrediction(
      context: ctx, ids: context.ids, distribution: arpa.distribution(after: context), trained: used == ctx.count,
      followers: .none, history: [])
    p.ngramContextUsed = used
    explore.epoch = nil
    explore.result = .prediction(p)
    lastContext = context.ids
    contextVersion += 1
  }
}
