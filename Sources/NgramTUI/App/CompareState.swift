import NgramEngine

/// The Compare screen: context lengths 1, 2 and 3 side by side for the typed text.
///
/// The text is the Explore prompt's (the two screens share the prompt and its history). Each
/// column is `ContextComparison.run` for one context length, trained off the UI thread and
/// cached by (context length, last n tokens), so going back to a text answers at once.
struct CompareState: Sendable {
  /// The context lengths compared, left to right.
  static let contextLengths = [1, 2, 3]

  /// The typed words being compared (nil before the first text).
  var words: [String]?
  /// Finished columns, by what they answer.
  var cache: [ComparisonKey: CompareColumn] = [:]
  /// Keys handed to the background and not back yet.
  var inFlight: Set<ComparisonKey> = []
  /// Whether the comparison waits for the explorer's own training to finish first (so the two
  /// do not compete for the cores).
  var waitingForTraining = false

  /// The key of context length `n` for `words`, or the column that needs no training.
  static func key(_ n: Int, words: [String], vocabulary: Vocabulary) -> Result<ComparisonKey, ColumnProblem> {
    guard words.count >= n else { return .failure(ColumnProblem(column: .needsTokens(contextLength: n, typed: words.count))) }
    let ctx = Array(words.suffix(n))
    let unknown = ctx.filter { vocabulary.id(of: $0) == nil }
    if !unknown.isEmpty { return .failure(ColumnProblem(column: .unknown(contextLength: n, tokens: unknown))) }
    return .success(ComparisonKey(contextLength: n, context: ctx))
  }

  /// A column that is known without training (too few or unknown tokens).
  struct ColumnProblem: Error {
    /// The column to show.
    let column: CompareColumn
  }

  /// Each column for the current words: the answer, a problem, or nil while it trains.
  func columns(vocabulary: Vocabulary) -> [(contextLength: Int, column: CompareColumn?)] {
    guard let words else { return [] }
    return Self.contextLengths.map { n in
      switch Self.key(n, words: words, vocabulary: vocabulary) {
      case .failure(let p): return (n, p.column)
      case .success(let k): return (n, cache[k])
      }
    }
  }

  /// The keys of the current words that still need training (not cached, not in flight).
  func missingKeys(vocabulary: Vocabulary) -> [ComparisonKey] {
    guard let words else { return [] }
    return Self.contextLengths.compactMap { n in
      guard case .success(let k) = Self.key(n, words: words, vocabulary: vocabulary) else { return nil }
      return cache[k] == nil && !inFlight.contains(k) ? k : nil
    }
  }

  /// Whether some column of the current words is still training.
  func isRunning(vocabulary: Vocabulary) -> Bool {
    columns(vocabulary: vocabulary).contains { $0.column == nil }
  }
}
