import NgramEngine

/// What the Explore screen shows below the prompt.
enum ExploreResult: Sendable {
  /// The model's distribution after a context, with what followed it in the corpus.
  case prediction(ExplorePrediction)
  /// Some typed tokens are not in the vocabulary: each with near suggestions.
  case unknown([(token: String, suggestions: [String])])
  /// Fewer tokens typed than the model's context length.
  case needMore(needed: Int, got: Int)
  /// The model is still training; the query runs as soon as it is ready.
  case waiting(context: [String])
}

/// A context's prediction: the model's side and the corpus's side.
struct ExplorePrediction: Sendable {
  /// The context tokens (the last n typed).
  let context: [String]
  /// Their ids.
  let ids: [Int]
  /// The model's next-token distribution.
  let distribution: Distribution
  /// Whether the model has a trained row for the context.
  let trained: Bool
  /// What followed the context in the corpus.
  let followers: SuccessorCounts
  /// The context's distribution after each epoch 0…E (replayed exactly from its own targets);
  /// empty while a frequent context is replayed in the background.
  private(set) var history: [Distribution]
  /// Whether the history is being replayed in the background.
  var historyPending = false
  /// How many of the context's last words the model used (`LanguageModel.usedContextLength`:
  /// for a back-off model the longest suffix it lists as an n-gram).
  var contextUsed = 0
  /// Context words outside the vocabulary that the model read as its unknown word.
  var unknownWords: [String] = []
  /// The trained model's top tokens (up to 3) and their probability after each epoch, for the
  /// chart (computed once: a lookup in a distribution is a scan of its listed columns).
  private(set) var curves: [(id: Int, values: [Double])] = []

  /// Creates a prediction; `history` may be empty (none, or pending).
  init(
    context: [String], ids: [Int], distribution: Distribution, trained: Bool, followers: SuccessorCounts,
    history: [Distribution], historyPending: Bool = false
  ) {
    self.context = context
    self.ids = ids
    self.distribution = distribution
    self.trained = trained
    self.followers = followers
    self.history = []
    self.historyPending = historyPending
    setHistory(history)
  }

  /// Installs the replayed history (and the chart's curves).
  mutating func setHistory(_ h: [Distribution]) {
    history = h
    curves =
      h.count > 1 && followers.occurrences > 0
      ? distribution.top(3).map { t in (t.id, h.map { $0.probability(of: t.id) }) } : []
  }

  /// The last epoch (E).
  var finalEpoch: Int { max(history.count - 1, 0) }

  /// The distribution after `epoch` (nil: the trained model, exactly as the CLI answers).
  func distribution(atEpoch epoch: Int?) -> Distribution {
    guard let epoch, epoch < history.count - 1 else { return distribution }
    return history[max(epoch, 0)]
  }
}

/// Entropy, KL and the top tokens of the distribution on screen, computed when the prediction
/// or the shown epoch changes (the KL looks up every observed successor and the top tokens sort
/// the distribution: too slow to redo on every frame).
struct ShownStats: Sendable, Equatable {
  /// The epoch they are for (nil: the trained model).
  let epoch: Int?
  /// The context ids they are for.
  let ids: [Int]
  /// Entropy in bits.
  let entropyBits: Double
  /// KL(corpus ‖ model) in bits (nil for a context never seen).
  let klBits: Double?
  /// The most probable tokens (as many as any k shows), best first.
  let top: [Distribution.Entry]
  /// How often each of `top` followed the context in the corpus (absent: never).
  let observed: [Int: Int]

  /// The figures for `p` at `epoch`.
  init(_ p: ExplorePrediction, epoch: Int?) {
    self.epoch = epoch
    ids = p.ids
    let d = p.distribution(atEpoch: epoch)
    entropyBits = d.entropyBits
    klBits = p.followers.occurrences > 0 ? p.followers.klDivergenceBits(from: d) : nil
    top = d.top(AppState.maxK)
    let shown = Set(top.map(\.id))
    var observed: [Int: Int] = [:]
    for c in p.followers.counts where shown.contains(c.id) { observed[c.id] = c.count }
    self.observed = observed
  }
}

/// The Explore screen: a prompt with history and completion, and the latest result.
struct ExploreState: Sendable {
  /// The text typed so far.
  var input: [Character] = []
  /// The cursor position in `input`.
  var cursor = 0
  /// Whether keys go to the prompt.
  var focused = true
  /// Submitted inputs, oldest first.
  var history: [String] = []
  /// The history entry being shown (nil: the draft).
  var historyIndex: Int?
  /// The unsent input saved while browsing history.
  var draft: [Character] = []
  /// A one-line note under the prompt (completions, hints).
  var note: String?
  /// The word being typed after `r` (nil: not asking).
  var rankQuery: String?
  /// The latest result.
  var result: ExploreResult? {
    didSet { refreshStats() }
  }
  /// The epoch the bars show (time travel); nil: the trained model (the last epoch).
  var epoch: Int? {
    didSet { refreshStats() }
  }
  /// Entropy and KL of what is on screen.
  private(set) var stats: ShownStats?

  /// Recomputes `stats` when the prediction or the epoch changed.
  mutating func refreshStats() {
    guard case .prediction(let p)? = result else {
      stats = nil
      return
    }
    if let s = stats, s.epoch == epoch, s.ids == p.ids { return }
    stats = ShownStats(p, epoch: epoch)
  }

  /// The figures for `p` as shown: cached, or computed now.
  func shownStats(_ p: ExplorePrediction) -> ShownStats {
    if let s = stats, s.epoch == epoch, s.ids == p.ids { return s }
    return ShownStats(p, epoch: epoch)
  }

  /// The prompt's text.
  var text: String { String(input) }

  /// The partial word ending at the cursor, if the cursor ends a word.
  var partialWord: String? {
    guard cursor > 0, cursor == input.count else { return nil }
    var i = cursor
    while i > 0, !input[i - 1].unicodeScalars.allSatisfy(Tokens.isSeparator) { i -= 1 }
    return i < cursor ? String(input[i..<cursor]) : nil
  }

  /// Inserts `ch` at the cursor.
  mutating func insert(_ ch: Character) {
    input.insert(ch, at: cursor)
    cursor += 1
    historyIndex = nil
    note = nil
  }

  /// Replaces the prompt's text.
  mutating func setText(_ s: String) {
    input = Array(s)
    cursor = input.count
  }

  /// Moves through history: -1 older, +1 newer.
  mutating func browse(_ direction: Int) {
    guard !history.isEmpty else { return }
    if historyIndex == nil {
      guard direction < 0 else { return }
      draft = input
      historyIndex = history.count - 1
    } else if let i = historyIndex {
      let j = i + direction
      if j >= history.count {
        historyIndex = nil
        input = draft
        cursor = input.count
        return
      }
      historyIndex = max(0, j)
    }
    setText(history[historyIndex!])
  }

  /// Completes the partial word from `vocabulary`: the unique match plus a space, else the
  /// longest common prefix and a note listing the candidates (most frequent first).
  mutating func complete(from vocabulary: Vocabulary) {
    guard let part = partialWord else { return }
    let partScalars = Array(part.unicodeScalars)
    var matches: [Int] = []
    for (i, t) in vocabulary.tokens.enumerated() where t.unicodeScalars.starts(with: partScalars) {
      matches.append(i)
    }
    if matches.isEmpty {
      note = "no vocabulary entry starts with '\(part)'"
      return
    }
    let words = matches.map { Array(vocabulary.tokens[$0].unicodeScalars) }
    var common = words[0]
    for w in words.dropFirst() {
      var n = 0
      while n < common.count, n < w.count, common[n] == w[n] { n += 1 }
      common = Array(common.prefix(n))
    }
    var addition = String(String.UnicodeScalarView(common.dropFirst(partScalars.count)))
    if matches.count == 1 { addition += " " }
    for ch in addition { insert(ch) }
    if matches.count == 1 {
      note = nil
    } else {
      let ranked = matches.sorted {
        vocabulary.frequencies[$0] != vocabulary.frequencies[$1]
          ? vocabulary.frequencies[$0] > vocabulary.frequencies[$1] : $0 < $1
      }
      let shown = ranked.prefix(12).map { vocabulary.tokens[$0] }.joined(separator: "  ")
      note = "\(matches.count) completions: \(shown)\(matches.count > 12 ? "  ..." : "")"
    }
  }
}

extension ExploreState {
  /// The prompt's reducer (Explore and Compare share the prompt): applies a key-map action
  /// bound to `key`.
  mutating func reduce(_ action: Action, key: Key, vocabulary: Vocabulary) {
    switch action {
    case .focusPrompt: focused = true
    case .focusAndRecall:
      focused = true
      browse(-1)
    case .focusAndInsert, .insert:
      guard case .char(let c) = key else { return }
      focused = true
      insert(c)
    case .browseHistory: browse(key == .up ? -1 : +1)
    case .complete: complete(from: vocabulary)
    case .leavePrompt:
      focused = false
      note = nil
    case .edit: edit(key)
    default: break
    }
  }

  /// Moves the cursor or edits the text for an editing key.
  private mutating func edit(_ key: Key) {
    switch key {
    case .backspace:
      if cursor > 0 {
        input.remove(at: cursor - 1)
        cursor -= 1
        note = nil
      }
    case .delete:
      if cursor < input.count { input.remove(at: cursor) }
    case .left: cursor = max(0, cursor - 1)
    case .right: cursor = min(input.count, cursor + 1)
    case .home: cursor = 0
    case .end: cursor = input.count
    case .ctrlU:
      setText("")
      note = nil
    default: break
    }
  }

  /// Moves the bars through the epochs for a scrubbing key; false when `key` is not one (or
  /// there is no prediction with a history to travel through).
  ///
  /// `<` `>` and Left/Right: one epoch; PgUp/PgDn: a tenth of the run; Home/End: epoch 0 / the
  /// trained model.
  mutating func scrub(_ key: Key) -> Bool {
    guard case .prediction(let p)? = result, p.history.count > 1 else { return false }
    let last = p.finalEpoch
    let current = epoch ?? last
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
    epoch = clamped == last ? nil : clamped
    return true
  }
}
