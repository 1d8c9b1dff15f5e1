import NgramEngine

/// The explorer's screens, in Tab order (Help is reached with `?` / F1).
enum Screen: Int, Sendable, CaseIterable {
  case train, explore, generate, compare, map, step, help

  /// The screens Tab cycles through, in order (Train → Explore → Generate stays two Tabs; the
  /// Step screen comes last, one Shift-Tab from Train).
  static let tabOrder: [Screen] = [.train, .explore, .generate, .compare, .map, .step]

  /// The tab label.
  var title: String {
    switch self {
    case .train: return "Train"
    case .explore: return "Explore"
    case .generate: return "Generate"
    case .compare: return "Compare"
    case .step: return "Step"
    case .map: return "Map"
    case .help: return "Help"
    }
  }
}

/// Side effects the state machine asks the run loop for (the effects of the key map's actions).
enum Command: Equatable, Sendable {
  /// Pause the trainer at the next epoch boundary.
  case pauseTraining
  /// Resume the trainer.
  case resumeTraining
  /// Let a paused trainer run one more epoch.
  case stepEpoch
  /// Leave the explorer.
  case quit
  /// Write a file under `DIR/outputs/`: `contents`, or the screen as shown when nil.
  case save(SaveRequest)
}

/// A file the explorer saves: `DIR/outputs/<prefix>-<N>.<ext>` with the first free N.
struct SaveRequest: Equatable, Sendable {
  /// The file name's stem.
  let prefix: String
  /// The extension.
  let ext: String
  /// The text to write (nil: the screen as it is shown, as text).
  let contents: String?
}

/// The explorer's state: what the screens share, each screen's own state (see `Screens/`), and the
/// routing of keys through the key map to the screens' reducers. Pure: no terminal, no threads.
struct AppState: Sendable {
  /// Facts about the corpus and run.
  let info: SessionInfo
  /// The corpus trained on (for what-followed counts and per-context learning curves). For an
  /// ARPA model, a stand-in holding each vocabulary word once: never queried (the corpus's
  /// screens and keys do not apply, see `arpa`).
  let corpus: Corpus
  /// The ARPA model explored instead of a trained one (`ngram-tui --arpa FILE`): no training, no
  /// corpus; Train shows the file's orders and counts, Explore and Generate ask it, and the
  /// screens and keys of training (Compare, Step, time travel, `=`, `r`) do not apply.
  let arpa: ARPAModel?
  /// What the screens say about the model (trained here, or read from a file).
  let profile: ModelProfile
  /// Where Generate starts without an Explore context: the corpus's first n tokens (the meta's
  /// `start_tokens`), or an ARPA file's `<s>` (none if it has no `<s>`).
  let defaultStart: [Int]
  /// The vocabulary (for completion and lookups before the model exists).
  var vocabulary: Vocabulary { arpa?.vocabulary ?? corpus.vocabulary }
  /// The model Explore and Generate ask: the ARPA file's, else the trained one when ready.
  var languageModel: (any LanguageModel)? { arpa ?? model }
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
  /// The explorer's own training run, once finished (Compare reuses it for its context length).
  private(set) var mainRun: TrainingOutcome?
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
  /// Whether the keys arriving are pasted text (between `.pasteBegin` and `.pasteEnd`).
  var pasting = false
  /// Help's first row shown when its rows do not all fit.
  var helpScroll = 0
  /// Help's rows that fit the terminal when they do not all fit (its height less the header,
  /// the footer and the row that says where you are); the run loop sets it from the size.
  var helpRows = Render.minHeight - 3
  /// The Compare screen.
  var compare = CompareState()
  /// Explore's count-based column (off until `=`).
  var counts = ExploreCounts()
  /// The Step screen.
  var step = StepState()
  /// The Map screen.
  var map = MapState()
  /// Replays training to any one step (made when the Step screen is first shown).
  var stepInspector: StepInspector?
  /// The words of the latest submitted text (Explore and Compare share it).
  var lastWords: [String]?
  /// Replayed histories by context ids, so going back to a context scrubs at once.
  var historyCache: [[Int]: [Distribution]] = [:]
  /// Listed probabilities held by `historyCache`.
  var historyCacheSize = 0
  /// Slow work asked for and not yet handed to the run loop (which runs it off the UI thread).
  var jobs: [Job] = []
  /// A one-off message in the footer (e.g. where a file was saved), until the next key.
  var notice: String?
  /// The hints under the prompt, kept from the last event that changed them (not rebuilt on
  /// every frame) with the key they were made for.
  private var cachedHints: (key: KeyMap.HeaderKey, hints: [String])?

  /// The hints under the prompt of Explore and Compare: the kept ones while still current,
  /// else made now (for a state changed other than by an event, as tests do).
  var headerHints: [String] {
    if let c = cachedHints, c.key == KeyMap.headerKey(self) { return c.hints }
    return KeyMap.header(self)
  }

  /// Remakes the kept hints when what they depend on changed (after each event).
  mutating func refreshHeaderHints() {
    let key = KeyMap.headerKey(self)
    if cachedHints?.key != key { cachedHints = (key, KeyMap.header(self)) }
  }

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
    arpa = nil
    profile = .trained
    defaultStart = corpus.tokenIDs.prefix(info.contextLength).map(Int.init)
  }

  /// Creates the state for exploring an ARPA model.
  init(arpa: ARPAModel, glyphs: Glyphs, topK: Int) throws {
    let name = Paths.lastComponent(arpa.path)
    info = SessionInfo(
      corpusName: name, directory: ".", tokens: 0, vocabSize: arpa.vocabulary.count, pairs: 0,
      contexts: arpa.order > 1 ? arpa.ngramCounts[arpa.order - 2] : 0, contextLength: arpa.order - 1,
      learningRate: 0, epochs: 0)
    corpus = try Corpus(bytes: Array(arpa.vocabulary.tokens.joined(separator: " ").utf8), path: arpa.path)
    self.arpa = arpa
    profile = ModelProfile(arpa: arpa)
    defaultStart = arpa.sentenceStartID.map { [$0] } ?? []
    self.glyphs = glyphs
    self.topK = min(max(topK, 1), Self.maxK)
    var display = TrainDisplay(totalEpochs: 0, pace: 0)
    display.status.phase = .saved("ARPA file: nothing to train")
    train = display
    generate.windowLength = arpa.order - 1
  }

  /// The screens Tab cycles through: all of them, or for an ARPA model Train, Explore, Generate.
  var tabs: [Screen] { profile.trainsOnCorpus ? Screen.tabOrder : [.train, .explore, .generate] }
  /// Whether keys are going to the prompt (Explore's, which Compare shares).
  var isTyping: Bool { (screen == .explore || screen == .compare) && explore.focused }
  /// Whether some line of text has the keys: the prompt, a rank query, a map search or a pair number.
  var acceptsText: Bool { isTyping || askingRank || KeyMap.searchingMap(self) || KeyMap.askingPair(self) }

  /// The holdout Compare scores with: the run's, else the CLI `compare` default (0.1).
  var compareHoldout: Double { info.holdout > 0 ? info.holdout : 0.1 }

  // MARK: - Events from the run loop

  /// Installs the trained model and runs a query that was waiting for it; `run` is the whole
  /// run (its log and held-out scores), which Compare reuses.
  mutating func setModel(_ m: NgramModel, run: TrainingOutcome? = nil) {
    defer { refreshHeaderHints() }
    model = m
    mainRun = run
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
    defer { refreshHeaderHints() }
    switch result {
    case .comparisonStarted(let n):
      if case .queued? = compare.models[n] { compare.models[n] = .training(since: compare.now) }
    case .comparison(let n, let result):
      switch result {
      case .success(let m): compare.install(n, .ready(m), vocabulary: vocabulary)
      case .failure(let f): compare.install(n, .failed(f.message), vocabulary: vocabulary)
      }
    case .embeddings(let result):
      map.install(result)
    case .arpaHeldOut(let index, let result):
      switch result {
      case .success(let h): compare.installARPAHeldOut(index, .ready(h))
      case .failure(let f): compare.installARPAHeldOut(index, .failed(f.message))
      }
    case .countModel(let name, let result):
      switch result {
      case .success(let f): compare.countModels[name] = .ready(f)
      case .failure(let f): compare.countModels[name] = .failed(f.message)
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

  mutating func remember(_ history: [Distribution], for ctx: [Int]) {
    let size = history.reduce(0) { $0 + $1.explicit.count + 1 }
    if historyCacheSize + size > Self.historyCacheLimit {
      historyCache.removeAll()
      historyCacheSize = 0
    }
    historyCache[ctx] = history
    historyCacheSize += size
  }

  /// Applies a new training status.
  mutating func update(status: TrainStatus) {
    guard profile.trainsOnCorpus else { return }  // nothing trains
    train.status = status
    if screen == .map { prepareMap() }
  }

  /// Asks for the map's points once training has saved them (the Map screen reads them).
  mutating func prepareMap() {
    guard case .saved = train.status.phase, map.load == .notRequested else { return }
    map.load = .loading
    jobs.append(.embeddings(directory: info.directory, corpus: corpus, contextLength: info.contextLength))
  }

  // MARK: - Keys

  /// Applies one key through the key map (`KeyMap`); returns the side effects for the run loop.
  mutating func handle(_ key: Key) -> [Command] {
    defer { refreshHeaderHints() }
    var key = key
    switch key {
    case .pasteBegin:
      pasting = true
      // A paste on Explore or Compare goes into the prompt, even when it was left.
      if !tooSmall, !isTyping, !askingRank, screen == .explore || screen == .compare {
        _ = perform(.focusPrompt, key: key)
      }
      return []
    case .pasteEnd:
      pasting = false
      return []
    default:
      if pasting {
        // Pasted text is typed where text is being typed and dropped everywhere else: a tab
        // or newline in it is a space, never a screen change or a submit, and no letter of it
        // is a command (a pasted "q" used to quit). Ctrl-C still quits.
        guard key != .ctrlC else { return [.quit] }
        guard !tooSmall, acceptsText else { return [] }
        switch key {
        case .char: break
        case .tab, .enter: key = .char(" ")
        default: return []
        }
      }
    }
    if tooSmall {
      // Only the size notice is on screen: q quits even while the prompt has focus.
      return key == .ctrlC || key == .char("q") || key == .char("Q") ? [.quit] : []
    }
    notice = nil
    guard let binding = KeyMap.binding(for: key, in: self) else { return [] }
    return perform(binding.action, key: key)
  }

  /// Does `action` (bound to `key`): the shared ones here, the rest by the screen that owns them.
  mutating func perform(_ action: Action, key: Key) -> [Command] {
    switch action {
    case .quit: return [.quit]
    case .toggleHelp: toggleHelp()
    case .closeHelp: screen = beforeHelp
    case .scrollHelp:
      let page = max(1, helpRows - 1)
      let by: Int
      switch key {
      case .up: by = -1
      case .down: by = 1
      case .pageUp: by = -page
      case .pageDown: by = page
      case .home: by = -helpScroll
      default: by = helpMaxScroll
      }
      helpScroll = min(max(0, helpScroll + by), helpMaxScroll)
    case .nextScreen: cycle(+1)
    case .previousScreen: cycle(-1)
    case .moreK: adjustK(1)
    case .fewerK: adjustK(-1)
    case .togglePause, .stepEpoch, .skipReplay: return train.reduce(action)
    case .submit: submit()
    case .focusPrompt, .focusAndRecall, .focusAndInsert, .insert, .browseHistory, .complete, .edit, .leavePrompt:
      explore.reduce(action, key: key, vocabulary: vocabulary)
    case .scrub: _ = scrub(key)
    case .toggleCompareModels:
      compare.showModels.toggle()
      if compare.showModels { requestCountModels() }
    case .cycleCounts: counts.advance(corpus: corpus, contextLength: info.contextLength)
    case .step, .undo, .restart, .toggleSampling, .cooler, .warmer, .reseed:
      generate.reduce(action, model: languageModel)
    case .nextPair, .nextOccurrence, .previousEpoch, .nextEpoch, .startGoTo, .goToType, .goToErase, .goToCancel,
      .goToSubmit:
      prepareStep()
      step.reduce(action, key: key, inspector: stepInspector)
    case .askRank, .rankType, .rankErase, .rankCancel, .rankSubmit: reduceRank(action, key: key)
    case .pan, .zoomIn, .zoomOut, .resetMap, .startSearch, .searchType, .searchErase, .searchCancel, .searchSubmit:
      map.reduce(action, key: key, vocabulary: vocabulary)
    case .saveScreen: return [.save(SaveRequest(prefix: "screen", ext: "txt", contents: nil))]
    case .saveTranscript:
      guard !generate.steps.isEmpty else {
        notice = "nothing to save yet: take a step with Space first"
        return []
      }
      return [
        .save(
          SaveRequest(
            prefix: "generate", ext: "md",
            contents: generate.transcript(tokens: vocabulary.tokens, info: info, topK: topK)))
      ]
    }
    return []
  }

  /// Whether Explore is on top with a prediction whose epochs the bars can travel through.
  var canScrub: Bool {
    guard screen == .explore, case .prediction(let p)? = explore.result else { return false }
    return p.history.count > 1
  }

  /// Moves the Explore bars through the epochs for a scrubbing key; false when `key` is not
  /// one (or there is no prediction with a history to travel through).
  mutating func scrub(_ key: Key) -> Bool {
    guard screen == .explore else { return false }
    return explore.scrub(key)
  }

  private mutating func toggleHelp() {
    if screen == .help {
      screen = beforeHelp
    } else {
      beforeHelp = screen
      screen = .help
      helpScroll = 0
    }
  }

  /// The last first row Help can show: 0 when its rows all fit.
  var helpMaxScroll: Int {
    let lines = HelpView.lineCount(KeyMap.helpSections)
    return lines <= helpRows + 1 ? 0 : lines - helpRows
  }

  /// The screen `direction` steps away in Tab order (from the one Help was opened on).
  func neighbour(_ direction: Int) -> Screen {
    let from = screen == .help ? beforeHelp : screen
    let order = tabs
    let i = order.firstIndex(of: from) ?? 0
    return order[(i + direction + order.count) % order.count]
  }

  /// Moves to the next (+1) or previous (-1) of Train, Explore, Generate, Compare.
  mutating func cycle(_ direction: Int) {
    show(neighbour(direction))
  }

  /// Brings `s` to the top.
  mutating func show(_ s: Screen) {
    screen = s
    if s == .explore || s == .compare { explore.focused = true }
    if s == .generate { prepareGenerate() }
    if s == .compare { prepareCompare() }
    if s == .step { prepareStep() }
    if s == .map { prepareMap() }
  }

  private mutating func adjustK(_ delta: Int) {
    topK = min(max(topK + delta, 1), Self.maxK)
  }
}
