import NgramEngine

/// The points of `artifacts/03_token_embeddings.csv` ready to draw: one per context row of the
/// weights (x = its weight for token id 0, y = for token id 1), with each context's tokens and
/// how often it occurs in the corpus (what picks the labels).
struct MapData: Sendable, Equatable {
  /// The file read.
  let path: String
  /// The points, in file order.
  let points: [EmbeddingPoint]
  /// Each point's label as shown: the file's label with control characters escaped.
  let labels: [String]
  /// Each point's context as token ids (decoded from its row number).
  let contexts: [[Int]]
  /// How many times each point's context occurs in the corpus (as the context of a pair).
  let frequencies: [Int]
  /// Point indices, most frequent context first (ties: file order).
  let byFrequency: [Int]
  /// Each point's place in `byFrequency`.
  let byFrequencyRank: [Int]
  /// Tokens of context.
  let contextLength: Int
  /// Points whose context never occurs in the corpus (rows of a dense file left at 0).
  let neverSeen: Int

  /// The points of `points` (read from `path`) for a run on `corpus` with `contextLength`
  /// tokens of context. Throws a message naming the file when there is nothing to draw, a
  /// coordinate is not finite, or a row number is outside the V^n rows of this vocabulary.
  init(points: [EmbeddingPoint], path: String, corpus: Corpus, contextLength n: Int) throws(JobFailure) {
    let file = TerminalText.escape(path)
    guard !points.isEmpty else {
      throw JobFailure(message: "\(file) has no points (only its header): nothing to draw")
    }
    if let bad = ScatterMap.firstNonFinite(xs: points.map(\.x), ys: points.map(\.y)) {
      throw JobFailure(
        message:
          "\(file): the point of row \(points[bad].row) is not finite: training diverged? retrain with a smaller --lr")
    }
    let v = corpus.vocabulary.count
    var rowsTotal = 1
    for _ in 0..<n { rowsTotal = rowsTotal.multipliedReportingOverflow(by: v).overflow ? Int.max : rowsTotal * v }
    var contexts: [[Int]] = []
    contexts.reserveCapacity(points.count)
    for p in points {
      guard p.row >= 0, p.row < rowsTotal else {
        throw JobFailure(
          message:
            "\(file): row \(p.row) is not one of the \(rowsTotal) context rows of this vocabulary (a file from another run? train again)"
        )
      }
      var ids = [Int](repeating: 0, count: n)
      var x = p.row
      for j in stride(from: n - 1, through: 0, by: -1) {
        ids[j] = x % v
        x /= v
      }
      contexts.append(ids)
    }
    // Occurrences of each context as the context of a training pair, keyed by row number.
    var counts: [Int: Int] = [:]
    let t = corpus.tokenIDs
    if t.count > n {
      for i in 0..<(t.count - n) {
        var key = 0
        for j in 0..<n { key = key * v + Int(t[i + j]) }
        counts[key, default: 0] += 1
      }
    }
    let freq = points.map { counts[$0.row] ?? 0 }
    self.path = path
    self.points = points
    labels = points.map { TerminalText.escape($0.label) }
    self.contexts = contexts
    frequencies = freq
    byFrequency = points.indices.sorted { freq[$0] != freq[$1] ? freq[$0] > freq[$1] : $0 < $1 }
    var rank = [Int](repeating: 0, count: points.count)
    for (r, i) in byFrequency.enumerated() { rank[i] = r }
    byFrequencyRank = rank
    contextLength = n
    neverSeen = freq.filter { $0 == 0 }.count
  }

  /// Reads `DIR/artifacts/03_token_embeddings.csv` for a run on `corpus`.
  static func load(directory: String, corpus: Corpus, contextLength: Int) -> Result<MapData, JobFailure> {
    let path = Paths.join(Paths.join(directory, "artifacts"), "03_token_embeddings.csv")
    do {
      let points = try TrainingLogs.embeddings(directory: directory)
      return .success(try MapData(points: points, path: path, corpus: corpus, contextLength: contextLength))
    } catch let f as JobFailure {
      return .failure(f)
    } catch {
      return .failure(JobFailure(message: NgramError.message(for: error)))
    }
  }

  /// The points whose context holds `words`: all n words in order (the whole context), or,
  /// for one word, every context with that token in it. Seen contexts only when any match.
  func matches(_ words: [String], vocabulary: Vocabulary) -> [Int] {
    let ids = words.compactMap { vocabulary.id(of: $0) }
    guard ids.count == words.count, !ids.isEmpty else { return [] }
    let hits: [Int]
    if ids.count == contextLength {
      hits = points.indices.filter { contexts[$0] == ids }
    } else if ids.count == 1 {
      hits = points.indices.filter { contexts[$0].contains(ids[0]) }
    } else {
      return []
    }
    let seen = hits.filter { frequencies[$0] > 0 }
    return seen.isEmpty ? hits : seen
  }
}
