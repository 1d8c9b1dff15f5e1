/// `02_model_weights.sparse.tsv`, ngram-tui's lossless layout: `#` header lines, then one line per
/// trained row: context ids, the weight shared by every column not listed, then `column:weight` pairs
/// (shortest round-trip decimals).
enum CompactWeightsTSV {
  /// The file name under `artifacts/`.
  static let fileName = "02_model_weights.sparse.tsv"

  /// Compact format: a header of `#` lines, then one line per trained row:
  /// `context ids (space-separated) TAB shared weight TAB id:weight id:weight …` (shortest round-trip decimals).
  @discardableResult
  static func write(
    _ model: NgramModel, trained: [(ref: Int, row: Int)], to path: String, isCancelled: () -> Bool
  ) throws -> FileDigest {
    return try ByteWriter.write(path) { w in
      w.append("# ngram-tui sparse weights: one line per trained context row; rows not listed are all zero\n")
      w.append("# fields: context token ids<TAB>weight of every column not listed<TAB>column:weight ...\n")
      w.append("#format ngram-tui-sparse-weights 1\n")
      w.append("#vocab_size \(model.vocabulary.count)\n")
      w.append("#context_length \(model.contextLength.value)\n")
      w.append("#rows \(model.trainedRowCount)\n")
      let n = model.contextLength.value
      let width = DecimalCache.width
      let cache = w.shortest
      try model.rowContexts.withUnsafeBufferPointer { ctx in
        try model.colOffsets.withUnsafeBufferPointer { off in
          try model.rowExplicitCount.withUnsafeBufferPointer { rowK in
            try model.cols.withUnsafeBufferPointer { cols in
              try model.weights.withUnsafeBufferPointer { weights in
                try model.rowDefault.withUnsafeBufferPointer { w0 in
                  for (i, (_, r)) in trained.enumerated() {
                    if i & 15 == 0 && isCancelled() { throw NgramError.cancelled }
                    let start = off[r]
                    let k = Int(rowK[r])
                    var c = try w.reserve(n * 12 + 3 + width + k * (13 + width))
                    for j in 0..<n {
                      if j > 0 { c.put(0x20) }
                      c.put(int: Int(ctx[r * n + j]))
                    }
                    c.put(0x09)
                    c.put(shortest: w0[r], cache)
                    c.put(0x09)
                    for q in start..<(start + k) {
                      if q > start { c.put(0x20) }
                      c.put(int: Int(cols[q]))
                      c.put(0x3A)
                      c.put(shortest: weights[q], cache)
                    }
                    c.put(0x0A)
                    w.commit(c)
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// The longest line a compact file of this vocabulary can have: n ids, the shared weight and
  /// every column once with a weight of at most 32 characters.
  static func maxLineLength(vocabSize v: Int, contextLength n: Int) -> Int {
    64 + n * 12 + v * 46
  }

  static func read(_ path: String, vocabulary: Vocabulary, contextLength n: Int) throws -> NgramModel {
    let v = vocabulary.count
    var rowContexts: [Int32] = []
    var rowDefault: [Double] = []
    var rowK: [Int32] = []
    var colOffsets = [0]
    var cols: [Int32] = []
    var weights: [Double] = []
    var declaredRows: Int?
    var sawFormat = false
    // At most V^n rows, each context once, each column once per row.
    let possibleRows = ReferenceRows.count(vocabSize: v, contextLength: n)
    // A context's reference row index when V^n fits in an Int (always, in practice), else its ids.
    let indexFits = WeightsFormat.denseCellCount(vocabSize: v, contextLength: n) < Int.max
    var lineOfIndex: [Int: Int] = [:]
    var lineOfContext: [[Int32]: Int] = [:]
    var columnSeenInRow = [Int](repeating: -1, count: v)
    try LineReading.forEachLine(path: path, maxLineLength: maxLineLength(vocabSize: v, contextLength: n)) {
      line, no in
      if line.first == 0x23 {  // "#"
        let text = String(decoding: line, as: UTF8.self)
        let parts = text.dropFirst().split(separator: " ")
        if parts.first == "format" {
          guard parts.count == 3, parts[1] == "ngram-tui-sparse-weights", parts[2] == "1" else {
            throw NgramError.malformed(file: path, line: no, reason: "unsupported format line '\(text)'")
          }
          sawFormat = true
        } else if parts.first == "vocab_size", parts.count == 2 {
          guard Int(parts[1]) == v else {
            throw NgramError.malformed(
              file: path, line: no, reason: "vocab_size \(parts[1]) but the vocabulary has \(v) tokens")
          }
        } else if parts.first == "context_length", parts.count == 2 {
          guard Int(parts[1]) == n else {
            throw NgramError.malformed(
              file: path, line: no, reason: "context_length \(parts[1]) but the meta says \(n)")
          }
        } else if parts.first == "rows", parts.count == 2 {
          declaredRows = Int(parts[1])
        }
        return
      }
      guard sawFormat else {
        throw NgramError.malformed(file: path, line: no, reason: "missing '#format ngram-tui-sparse-weights 1' header")
      }
      var scanner = LineScanner(line: line)
      func bad(_ why: String) -> NgramError {
        NgramError.malformed(file: path, line: no, reason: why)
      }
      let row = rowDefault.count
      guard row < min(declaredRows ?? possibleRows, possibleRows) else {
        throw bad(
          declaredRows.map { "more rows than the \($0) its '#rows' line declares" }
            ?? "more than \(possibleRows) rows (V^\(n) for V = \(v))")
      }
      for j in 0..<n {
        guard let id = scanner.int(), id >= 0, id < v else { throw bad("context is not \(n) token ids below \(v)") }
        rowContexts.append(Int32(id))
        if j < n - 1 { guard scanner.take(0x20) else { throw bad("context is not \(n) space-separated token ids") } }
      }
      let context = rowContexts[(rowContexts.count - n)...]
      let earlier =
        indexFits
        ? lineOfIndex.updateValue(no, forKey: context.reduce(0) { $0 * v + Int($1) })
        : lineOfContext.updateValue(no, forKey: Array(context))
      if let earlier {
        throw bad(
          "context \(context.map(String.init).joined(separator: " ")) is listed twice (also on line \(earlier)): one row per context"
        )
      }
      guard scanner.take(0x09) else { throw bad("expected 3 tab-separated fields (context, shared weight, columns)") }
      guard let w0 = scanner.double(), w0.isFinite else { throw bad("shared weight is not a number") }
      rowDefault.append(w0)
      guard scanner.take(0x09) else { throw bad("expected 3 tab-separated fields (context, shared weight, columns)") }
      var k: Int32 = 0
      while !scanner.atEnd {
        if k > 0 { guard scanner.take(0x20) else { throw bad("columns must be separated by single spaces") } }
        guard let c = scanner.int(), c >= 0, c < v, scanner.take(0x3A), let w = scanner.double(), w.isFinite else {
          throw bad("column \(k + 1) is not column:weight with a column below \(v)")
        }
        guard columnSeenInRow[c] != row else {
          throw bad("column \(c) is named twice in this row: each column at most once")
        }
        columnSeenInRow[c] = row
        cols.append(Int32(c))
        weights.append(w)
        k += 1
      }
      rowK.append(k)
      colOffsets.append(cols.count)
    }
    guard sawFormat else {
      throw NgramError.malformed(
        file: path, line: 1, reason: "missing '#format ngram-tui-sparse-weights 1' header (empty or truncated file?)")
    }
    if let d = declaredRows, d != rowDefault.count {
      throw NgramError.malformed(
        file: path, line: rowDefault.count + 7,
        reason: "found \(rowDefault.count) rows, header says \(d); the file looks truncated")
    }
    return NgramModel(
      vocabulary: vocabulary, contextLength: n, rowContexts: rowContexts, rowDefault: rowDefault,
      rowExplicitCount: rowK, colOffsets: colOffsets, cols: cols, weights: weights)
  }
}
