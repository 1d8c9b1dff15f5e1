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
  var history: [Distribution]
  /// Whether the history is being replayed in the background.
  var historyPending = false

  /// The last epoch (E).
  var finalEpoch: Int { max(history.count - 1, 0) }

  /// The distribution after `epoch` (nil: the trained model, exactly as the CLI answers).
  func distribution(atEpoch epoch: Int?) -> Distribution {
    guard let epoch, epoch < history.count - 1 else { return distribution }
    return history[max(epoch, 0)]
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
  /// The latest result.
  var result: ExploreResult?
  /// The epoch the bars show (time travel); nil: the trained model (the last epoch).
  var epoch: Int?

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
