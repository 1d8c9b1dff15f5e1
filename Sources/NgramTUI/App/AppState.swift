import NgramEngine

/// The explorer's screens, in Tab order (Help is reached with `?` / F1).
enum Screen: Int, Sendable, CaseIterable {
  case train, explore, generate, compare, help

  /// The screens Tab cycles through, in order (Compare comes last, so Train → Explore →
  /// Generate stays two Tabs).
  static let tabOrder: [Screen] = [.train, .explore, .generate, .compare]

  /// The tab label.
  var title: String {
    switch self {
    case .train: return "Train"
    case .explore: return "Explore"
    case .generate: return "Generate"
    case .compare: return "Compare"
    case .help: return "Help"
    }
  }
}

/// Side effects the state machine asks the run loop for.
enum Command: Equatable, Sendable {
  /// Pause the trainer at the next epoch boundary.
  case pauseTraining
  /// Resume the trainer.
  case resumeTraining
  /// Let a paused trainer run one more epoch.
  case stepEpoch
  /// Leave the explorer.
  case quit
}

/// Everything the explorer shows, and how keys change it. Pure: no terminal, no threads.
struct AppState: Sendable {
  /// Facts about the corpus and run.
  let info: SessionInfo
  /// The corpus trained on (for what-followed counts and per-context learning curves).
  let corpus: Corpus
  /// The vocabulary (for completion and lookups before the model exists).
  var vocabulary: Vocabulary { corpus.vocabulary }
  /// The corpus as token ids.
  var tokenIDs: [Int32] { corpus.tokenIDs }
  /// Bars and charts glyphs.
  var glyphs: Glyphs
  /// The screen on top.
  var screen: Screen = .train
  /// Where Help returns to.
  var beforeHelp: Screen = .train
  /// The Train screen.
  var train: TrainDisplay
  /// The trained model, once training has finished.
  private(set) var model: NgramModel?
  /// How many next tokens Explore and Generate list.
  var topK: Int
  /// The Explore screen.
  var explore = ExploreState()
  /// The Generate screen.
  var generate = GenerateState()
  /// The latest successfully queried Explore context.
  var lastContext: [Int]?
  /// Bumped on each successful Explore query.
  var contextVersion = 0
  /// Whether the terminal is below the minimum size (only the notice is shown; `q` quits).
  var tooSmall = false
  /// The Compare screen.
  var compare = CompareState()
  /// The words of the latest submitted text (Explore and Compare share it).
  var lastWords: [String]?
  /// Replayed histories by context ids, so going back to a context scrubs at once.
  var historyCache: [[Int]: [Distribution]] = [:]
  /// Listed probabilities held by `historyCache`.
  var historyCacheSize = 0
  /// Slow work asked for and not yet handed to the run loop (which runs it off the UI thread).
  var jobs: [Job] = []

  /// The largest k.
  static let maxK = 50
  /// The most column updates (epochs × occurrences × distinct successors) replayed on the UI
  /// thread for one context's history: about 30 ms at the ~500 million a second measured for
  /// 'of the' in the fortunes corpus (release build). Costlier contexts replay in the background.
  static let learningCurveBudget = 15_000_000.0
  /// The most column updates replayed in the background (about 10 s); beyond, no history.
  static let backgroundHistoryBudget = 5_000_000_000.0
  /// The most listed probabilities (epochs × distinct successors, 16 bytes each) the history
  /// cache holds before it starts over: about 64 MB.
  static let historyCacheLimit = 4_000_000

  /// Creates the state for a run.
  init(info: SessionInfo, corpus: Corpus, glyphs: Glyphs, topK: Int, pace: Double) {
    self.info = info
    self.corpus = corpus
    self.glyphs = glyphs
    self.topK = min(max(topK, 1), Self.maxK)
    self.train = TrainDisplay(totalEpochs: info.epochs, pace: pace)
  }

  /// Whether keys are going to the prompt (Explore's, which Compare shares).
  var isTyping: Bool { (screen == .explore || screen == .compare) && explore.focused }

  /// The holdout Compare scores with: the run's, else the CLI `compare` default (0.1).
  var compareHoldout: Double { info.holdout > 0 ? info.holdout : 0.1 }

  /// The corpus's first n tokens (the meta's `start_tokens`).
  var metaStart: [Int] { tokenIDs.prefix(info.contextLength).map(Int.init) }

  // MARK: - Events from the run loop

  /// Installs the trained model and runs a query that was waiting for it.
  mutating func setModel(_ m: NgramModel) {
    model = m
    if case .waiting(let ctx)? = explore.result { runQuery(ctx) }
    if screen == .generate { prepareGenerate() }
    if compare.waitingForTraining { requestComparison() }
  }

  /// Takes the jobs asked for since the last call (the run loop runs them in the background).
  mutating func takeJobs() -> [Job] {
    defer { jobs = [] }
    return jobs
  }

  /// Installs a finished job's result.
  mutating func receive(_ result: JobResult) {
    switch result {
    case .comparison(let n, let result):
      switch result {
      case .success(let m): compare.install(n, .ready(m), vocabulary: vocabulary)
      case .failure(let f): compare.install(n, .failed(f.message), vocabulary: vocabulary)
      }
    case .history(let ctx, let history):
      remember(history, for: ctx)
      if case .prediction(var p)? = explore.result, p.ids == ctx, p.historyPending {
        p.setHistory(history)
        p.historyPending = false
        explore.result = .prediction(p)
      }
    }
  }

  private mutating func remember(_ history: [Distribution], for ctx: [Int]) {
    let size = history.reduce(0) { $0 + $1.explicit.count + 1 }
    if historyCacheSize + size > Self.historyCacheLimit {
      historyCache.removeAll()
      historyCacheSize = 0
    }
    historyCache[ctx] = history
    historyCacheSize += size
  }

  /// Applies a new training status.
  mutating func update(status: TrainStatus) { train.status = status }

  // MARK: - Keys

  /// Applies one key; returns the side effects for the run loop.
  mutating func handle(_ key: Key) -> [Command] {
    if key == .ctrlC { return [.quit] }
    if key == .resize { return [] }
    if tooSmall {
      // Only the size notice is on screen: q quits even while the prompt has focus.
      return key == .char("q") || key == .char("Q") ? [.quit] : []
    }
    if key == .f1 {
      toggleHelp()
      return []
    }
    if isTyping { return handleTyping(key) }
    switch key {
    case .char("q"): return [.quit]
    case .char("?"):
      toggleHelp()
      return []
    case .tab:
      cycle(+1)
      return []
    case .backTab:
      cycle(-1)
      return []
    default: break
    }
    switch screen {
    case .train: return handleTrain(key)
    case .explore, .compare: handleExploreUnfocused(key)
    case .generate: handleGenerate(key)
    case .help:
      if key == .escape || key == .enter { screen = beforeHelp }
    }
    return []
  }

  private mutating func toggleHelp() {
    if screen == .help {
      screen = beforeHelp
    } else {
      beforeHelp = screen
      screen = .help
    }
  }

  /// Moves to the next (+1) or previous (-1) of Train, Explore, Generate, Compare.
  mutating func cycle(_ direction: Int) {
    let from = screen == .help ? beforeHelp : screen
    let order = Screen.tabOrder
    let i = order.firstIndex(of: from) ?? 0
    show(order[(i + direction + order.count) % order.count])
  }

  /// Brings `s` to the top.
  mutating func show(_ s: Screen) {
    screen = s
    if s == .explore || s == .compare { explore.focused = true }
    if s == .generate { prepareGenerate() }
    if s == .compare { prepareCompare() }
  }

  private mutating func adjustK(_ delta: Int) {
    topK = min(max(topK + delta, 1), Self.maxK)
  }

  // MARK: Train

  private mutating func handleTrain(_ key: Key) -> [Command] {
    switch key {
    case .char(" "):
      // Nothing left to pause once every epoch is on screen and training is over.
      if train.complete && !train.paused { return [] }
      train.paused.toggle()
      return [train.paused ? .pauseTraining : .resumeTraining]
    case .char("n"):
      guard train.paused else { return [] }
      if train.replaying {
        train.revealed = Double(train.shown + 1)
        return []
      }
      train.revealed = max(train.revealed, Double(train.status.epochsDone + 1))
      return train.status.phase == .training ? [.stepEpoch] : []
    case .char("s"):
      train.skipped = true
      return []
    default:
      return []
    }
  }

  // MARK: Explore

  private mutating func handleTyping(_ key: Key) -> [Command] {
    // With an empty prompt the editing keys have nothing to edit: they travel through epochs.
    if explore.input.isEmpty || key == .pageUp || key == .pageDown, scrub(key) { return [] }
    switch key {
    case .char(let c):
      if (c == "+" || c == "-") && explore.input.isEmpty {
        adjustK(c == "+" ? 1 : -1)
      } else {
        explore.insert(c)
      }
    case .enter: submit()
    case .backspace:
      if explore.cursor > 0 {
        explore.input.remove(at: explore.cursor - 1)
        explore.cursor -= 1
        explore.note = nil
      }
    case .delete:
      if explore.cursor < explore.input.count { explore.input.remove(at: explore.cursor) }
    case .left: explore.cursor = max(0, explore.cursor - 1)
    case .right: explore.cursor = min(explore.input.count, explore.cursor + 1)
    case .home: explore.cursor = 0
    case .end: explore.cursor = explore.input.count
    case .ctrlU:
      explore.setText("")
      explore.note = nil
    case .up: explore.browse(-1)
    case .down: explore.browse(+1)
    case .escape:
      explore.focused = false
      explore.note = nil
    case .tab:
      if explore.partialWord != nil { explore.complete(from: vocabulary) } else { cycle(+1) }
    case .backTab: cycle(-1)
    default: break
    }
    return []
  }

  private mutating func handleExploreUnfocused(_ key: Key) {
    if scrub(key) { return }
    switch key {
    case .char("+"): adjustK(1)
    case .char("-"): adjustK(-1)
    case .enter, .char("/"): explore.focused = true
    case .up:
      explore.focused = true
      explore.browse(-1)
    case .char(let c) where c != " ":
      explore.focused = true
      explore.insert(c)
    default: break
    }
  }

  /// Moves the Explore bars through the epochs for a scrubbing key; false when `key` is not
  /// one (or there is no prediction with a history to travel through).
  ///
  /// `<` `>` and Left/Right: one epoch; PgUp/PgDn: a tenth of the run; Home/End: epoch 0 / the
  /// trained model.
  mutating func scrub(_ key: Key) -> Bool {
    guard screen == .explore, case .prediction(let p)? = explore.result, p.history.count > 1 else { return false }
    let last = p.finalEpoch
    let current = explore.epoch ?? last
    let stride = max(1, last / 10)
    let target: Int
    switch key {
    case .left, .char("<"): target = current - 1
    case .right, .char(">"): target = current + 1
    case .pageUp: target = current - stride
    case .pageDown: target = current + stride
    case .home: target = 0
    case .end: target = last
    default: return false
    }
    let clamped = min(max(target, 0), last)
    explore.epoch = clamped == last ? nil : clamped
    return true
  }

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
      if words.isEmpty {
        explore.note = "type some text: its last 1, 2 and 3 tokens are the three models' contexts"
        return
      }
      explore.setText("")
      lastWords = words
      compare.setWords(words, vocabulary: vocabulary)
      return
    }
    if !words.isEmpty { lastWords = words }
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

  private mutating func runQuery(_ ctx: [String]) {
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

  // MARK: Compare

  /// On showing Compare: takes the latest submitted text and starts training the context
  /// lengths (once).
  mutating func prepareCompare() {
    if let w = lastWords, compare.words != w { compare.setWords(w, vocabulary: vocabulary) }
    requestComparison()
  }

  /// Asks the background to train the context lengths not trained yet, sparsest first (3, 2,
  /// then 1, the slowest on a large vocabulary), so columns fill in as soon as possible; waits
  /// for the explorer's own training to finish first.
  mutating func requestComparison() {
    guard model != nil else {
      compare.waitingForTraining = true
      return
    }
    compare.waitingForTraining = false
    for n in compare.missing.reversed() {
      compare.models[n] = .training(since: compare.now)
      jobs.append(
        .comparison(
          contextLength: n, corpus: corpus, learningRate: info.learningRate, epochs: info.epochs,
          holdout: compareHoldout))
    }
  }

  // MARK: Generate

  /// Starts a new generation when the Explore context changed since the last one.
  mutating func prepareGenerate() {
    guard model != nil else { return }
    if let ctx = lastContext {
      if generate.version != contextVersion {
        generate.reset(start: ctx, origin: "the last Explore context", version: contextVersion)
      }
    } else if generate.version != -1 {
      generate.reset(start: metaStart, origin: "the corpus's first tokens (meta start_tokens)", version: -1)
    }
  }

  private mutating func handleGenerate(_ key: Key) {
    switch key {
    case .char(" "):
      if let model { generate.step(model: model) }
    case .backspace: generate.undo()
    case .char("c"):
      if let s = generate.start { generate.reset(start: s, origin: generate.origin, version: generate.version) }
    case .char("m"): generate.sampling.toggle()
    case .char("["): generate.temperature = max(0.1, ((generate.temperature - 0.1) * 10).rounded() / 10)
    case .char("]"): generate.temperature = min(5.0, ((generate.temperature + 0.1) * 10).rounded() / 10)
    case .char("r"):
      // A new seed restarts the run, so every step of it comes from one seed.
      generate.seed &+= 1
      if let s = generate.start { generate.reset(start: s, origin: generate.origin, version: generate.version) }
    case .char("+"): adjustK(1)
    case .char("-"): adjustK(-1)
    case .escape: break
    default: break
    }
  }
}
