/// `03_token_embeddings.csv`: `row,label,x,y`, where x and y are columns 0 and 1 of each row
/// (every row when the weights are dense, the trained rows when compact).
enum EmbeddingsCSV {
  /// The file name under `artifacts/`.
  static let fileName = "03_token_embeddings.csv"

  /// `row,label,x,y`: x and y are columns 0 and 1 of each row (all rows when dense, trained rows when compact).
  @discardableResult
  static func write(
    _ model: NgramModel, trained: [(ref: Int, row: Int)], dense: Bool, to path: String,
    isCancelled: () -> Bool
  ) throws -> FileDigest {
    return try ByteWriter.write(path) { w in
      w.append("row,label,x,y\r\n")
      let v = model.vocabulary.count
      let style = CSV.WeightStyle.forContextLength(model.contextLength.value)
      let n = model.contextLength.value
      let cache = DecimalCache()
      // The tokens' UTF-8 bytes, one buffer with offsets: labels are built from them in place.
      // A label needs quotes when one of its tokens does (`|` never does).
      var text: [UInt8] = []
      var textOffsets = [0]
      var quoted = [Bool](repeating: false, count: v)
      textOffsets.reserveCapacity(v + 1)
      for (id, t) in model.vocabulary.tokens.enumerated() {
        var t = t
        t.withUTF8 { u in
          text.append(contentsOf: u)
          quoted[id] = u.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0D || $0 == 0x0A }
        }
        textOffsets.append(text.count)
      }
      var label: [UInt8] = []
      var ids = [Int](repeating: 0, count: n)
      // Columns 0 and 1 of a trained row (its shared weight unless explicit).
      func xy(_ r: Int) -> (Double, Double) {
        var x = model.rowDefault[r]
        var y = x
        let start = model.colOffsets[r]
        for q in start..<(start + Int(model.rowExplicitCount[r])) {
          let col = model.cols[q]
          if col == 0 { x = model.weights[q] } else if col == 1 { y = model.weights[q] }
        }
        return (x, v >= 2 ? y : 0)
      }
      // `,x,y` and the line end after the label, then the line is committed.
      @inline(__always) func finishLine(_ c: inout ByteCursor, _ x: Double, _ y: Double) {
        c.put(0x2C)
        c.put(weight: x, style: style, cache)
        c.put(0x2C)
        c.put(weight: y, style: style, cache)
        c.put(0x0D)
        c.put(0x0A)
        w.commit(c)
      }
      // The common line: a trained row whose label needs no quotes, written straight through.
      func emitPlain(_ idx: Int, _ r: Int) throws -> Bool {
        var length = n
        for j in 0..<n {
          let id = Int(model.rowContexts[r * n + j])
          if quoted[id] { return false }
          length += textOffsets[id + 1] - textOffsets[id]
        }
        let (x, y) = xy(r)
        var c = try w.reserve(24 + length + 2 + 2 * 330)
        c.put(int: idx)
        c.put(0x2C)
        text.withUnsafeBufferPointer { t in
          for j in 0..<n {
            if j > 0 { c.put(0x7C) }
            let id = Int(model.rowContexts[r * n + j])
            c.put(t.baseAddress! + textOffsets[id], count: textOffsets[id + 1] - textOffsets[id])
          }
        }
        finishLine(&c, x, y)
        return true
      }
      func emit(_ idx: Int, _ row: Int?) throws {
        if n > 0, let row, try emitPlain(idx, row) { return }
        // The label of `ReferenceRows.label`: the context's tokens joined by `|`.
        label.removeAll(keepingCapacity: true)
        if n == 0 {
          label.append(contentsOf: "(no context)".utf8)
        } else {
          if let row {
            for j in 0..<n { ids[j] = Int(model.rowContexts[row * n + j]) }
          } else {
            var x = idx
            for j in stride(from: n - 1, through: 0, by: -1) {
              ids[j] = x % v
              x /= v
            }
          }
          for j in 0..<n {
            if j > 0 { label.append(0x7C) }
            label.append(contentsOf: text[textOffsets[ids[j]]..<textOffsets[ids[j] + 1]])
          }
        }
        let (x, y) = row.map(xy) ?? (0, 0)
        // A number of `style` is at most 20 bytes below 1e9 and 330 above (`%.8f` of 1e300).
        var c = try w.reserve(24 + 2 * label.count + 2 + 2 * 330)
        c.put(int: idx)
        c.put(0x2C)
        label.withUnsafeBufferPointer { c.put(field: $0) }
        finishLine(&c, x, y)
      }
      if dense {
        let rows = ReferenceRows.count(vocabSize: v, contextLength: model.contextLength.value)
        var ti = 0
        for idx in 0..<rows {
          if ti < trained.count && trained[ti].ref == idx {
            try emit(idx, trained[ti].row)
            ti += 1
          } else {
            try emit(idx, nil)
          }
          if idx & 1023 == 0 && isCancelled() { throw NgramError.cancelled }
        }
      } else {
        for (i, (ref, r)) in trained.enumerated() {
          try emit(ref, r)
          if i & 1023 == 0 && isCancelled() { throw NgramError.cancelled }
        }
      }
    }
  }

  /// The file's lines, one point each.
  static func read(_ path: String) throws -> [EmbeddingPoint] {
    var rows: [EmbeddingPoint] = []
    try LineReading.forEachLine(path: path) { line, no in
      guard let f = CSV.fields(line) else {
        throw NgramError.malformed(file: path, line: no, reason: "unterminated quoted field")
      }
      if no == 1 {
        guard f == ["row", "label", "x", "y"] else {
          throw NgramError.malformed(file: path, line: 1, reason: "header must be exactly row,label,x,y")
        }
        return
      }
      guard f.count == 4, let row = Int(f[0]), let x = Double(f[2]), let y = Double(f[3]) else {
        throw NgramError.malformed(file: path, line: no, reason: "expected row,label,x,y with numbers")
      }
      guard x.isFinite, y.isFinite else {
        throw NgramError.malformed(
          file: path, line: no,
          reason:
            "x and y must be finite numbers, found \(f[2]),\(f[3]) (training diverged? train again with a smaller learning rate)"
        )
      }
      rows.append(EmbeddingPoint(row: row, label: f[1], x: x, y: y))
    }
    return rows
  }
}
