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
      var label: [UInt8] = []
      var ids = [Int](repeating: 0, count: n)
      // The label of `ReferenceRows.label`, built in place: the context's tokens joined by `|`.
      func appendLabel(_ idx: Int, _ row: Int?) {
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
            var token = model.vocabulary.tokens[ids[j]]
            token.withUTF8 { label.append(contentsOf: $0) }
          }
        }
        w.appendField(bytes: label)
      }
      func emit(_ idx: Int, _ row: Int?) {
        w.appendInt(idx)
        w.append(byte: 0x2C)
        appendLabel(idx, row)
        w.append(byte: 0x2C)
        w.appendWeight(row.map { model.weight(row: $0, column: 0) } ?? 0, style: style)
        w.append(byte: 0x2C)
        w.appendWeight(v >= 2 ? (row.map { model.weight(row: $0, column: 1) } ?? 0) : 0, style: style)
        w.append("\r\n")
      }
      if dense {
        let rows = ReferenceRows.count(vocabSize: v, contextLength: model.contextLength.value)
        var ti = 0
        for idx in 0..<rows {
          if ti < trained.count && trained[ti].ref == idx {
            emit(idx, trained[ti].row)
            ti += 1
          } else {
            emit(idx, nil)
          }
          if idx & 1023 == 0 {
            try w.flushIfLarge()
            if isCancelled() { throw NgramError.cancelled }
          }
        }
      } else {
        for (i, (ref, r)) in trained.enumerated() {
          emit(ref, r)
          if i & 1023 == 0 {
            try w.flushIfLarge()
            if isCancelled() { throw NgramError.cancelled }
          }
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
            "x and y must be finite numbers, found \(f[2]),\(f[3]) (training diverged? train again with a smaller learning rate)")
      }
      rows.append(EmbeddingPoint(row: row, label: f[1], x: x, y: y))
    }
    return rows
  }
}
