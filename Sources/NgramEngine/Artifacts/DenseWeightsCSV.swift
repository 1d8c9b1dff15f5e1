/// `02_model_weights.csv`, the reference's layout: a header `input_token,<token>…`, then V^n rows
/// (every possible context in reference order), each its label and V weights (`0` or `%.4f`;
/// `%.8f` for context 3).
enum DenseWeightsCSV {
  /// The file name under `artifacts/`.
  static let fileName = "02_model_weights.csv"

  @discardableResult
  static func write(
    _ model: NgramModel, trained: [(ref: Int, row: Int)], to path: String, isCancelled: () -> Bool
  ) throws -> FileDigest {
    let v = model.vocabulary.count
    let rows = ReferenceRows.count(vocabSize: v, contextLength: model.contextLength.value)
    return try ByteWriter.write(path) { w in
      w.appendField("input_token")
      for t in model.vocabulary.tokens {
        w.append(byte: 0x2C)
        w.appendField(t)
      }
      w.append("\r\n")
      let style = CSV.WeightStyle.forContextLength(model.contextLength.value)
      var zero: [UInt8] = []
      CSV.appendWeight(0, style: style, to: &zero)
      var zeros = [UInt8]()
      zeros.reserveCapacity((zero.count + 1) * v + 2)
      for _ in 0..<v {
        zeros.append(0x2C)
        zeros.append(contentsOf: zero)
      }
      zeros.append(0x0D)
      zeros.append(0x0A)
      var ti = 0
      var stamp = [Int32](repeating: -1, count: v)
      var values = [Double](repeating: 0, count: v)
      for idx in 0..<rows {
        w.appendField(ReferenceRows.label(referenceRow: idx, model: model))
        if ti < trained.count && trained[ti].ref == idx {
          let r = trained[ti].row
          ti += 1
          let start = model.colOffsets[r]
          for q in 0..<Int(model.rowExplicitCount[r]) {
            let c = Int(model.cols[start + q])
            stamp[c] = Int32(r)
            values[c] = model.weights[start + q]
          }
          var defaultText: [UInt8] = []
          CSV.appendWeight(model.rowDefault[r], style: style, to: &defaultText)
          var line: [UInt8] = []
          line.reserveCapacity(8 * v)
          for c in 0..<v {
            line.append(0x2C)
            if stamp[c] == Int32(r) {
              CSV.appendWeight(values[c], style: style, to: &line)
            } else {
              line.append(contentsOf: defaultText)
            }
          }
          line.append(0x0D)
          line.append(0x0A)
          w.append(bytes: line)
        } else {
          w.append(bytes: zeros)
        }
        if idx & 1023 == 0 {
          try w.flushIfLarge()
          if isCancelled() { throw NgramError.cancelled }
        }
      }
    }
  }

  /// The longest line a dense file of this vocabulary can have: the header (every token,
  /// quoted, doubled quotes) or a row (its label and V numbers of at most 315 characters each:
  /// `%.4f` of the largest finite double is a sign, 309 digits and `.0000`, which a large
  /// `--lr` really writes; with 32, train wrote files that predict then refused).
  static func maxLineLength(_ tokens: [[UInt8]], contextLength n: Int) -> Int {
    let header = tokens.reduce(16) { $0 + 2 * $1.count + 3 }
    let longest = tokens.map(\.count).max() ?? 0
    let row = 16 + max(n, 1) * (2 * longest + 3) + tokens.count * 316
    return max(header, row)
  }

  static func read(_ path: String, vocabulary: Vocabulary, contextLength n: Int) throws -> NgramModel {
    let v = vocabulary.count
    let expectedRows = ReferenceRows.count(vocabSize: v, contextLength: n)
    var rowContexts: [Int32] = []
    var rowDefault: [Double] = []
    var rowK: [Int32] = []
    var colOffsets = [0]
    var cols: [Int32] = []
    var weights: [Double] = []
    var values = [Double](repeating: 0, count: v)
    var rowNumber = 0
    var headerSeen = false
    // Row labels are checked against their position: `a|b` must be the row of context (a, b).
    let tokenBytes = vocabulary.tokens.map { Array($0.utf8) }
    var label: [UInt8] = []
    var expected: [UInt8] = []
    var ctx = [Int32](repeating: 0, count: n)
    // Streamed in chunks, so memory stays proportional to the trained rows, not to the file;
    // no line can be longer than the header or a row of this vocabulary.
    try ChunkedLines.forEach(path: path, maxLineLength: maxLineLength(tokenBytes, contextLength: n)) {
      bytes, start, stop, lineNo in
      if !headerSeen {
        guard let f = CSV.fields(Array(bytes[start..<stop])[...]), f.first == "input_token" else {
          throw NgramError.malformed(file: path, line: lineNo, reason: "header must start with input_token")
        }
        guard f.count == v + 1 else {
          throw NgramError.malformed(
            file: path, line: lineNo, reason: "header has \(f.count - 1) token columns, vocabulary has \(v)")
        }
        for c in 0..<v where !f[c + 1].utf8.elementsEqual(tokenBytes[c]) {
          throw NgramError.malformed(
            file: path, line: lineNo,
            reason:
              "column \(c + 2) is headed '\(f[c + 1])' but token \(c) of the vocabulary is '\(vocabulary.tokens[c])'")
        }
        headerSeen = true
        return
      }
      if stop == start { return }
      guard rowNumber < expectedRows else {
        throw NgramError.malformed(
          file: path, line: lineNo, reason: "more than \(expectedRows) rows (V^\(n) for V = \(v))")
      }
      // The label (possibly quoted), unquoted into `label`.
      label.removeAll(keepingCapacity: true)
      var i = start
      if i < stop && bytes[i] == 0x22 {
        i += 1
        while i < stop {
          if bytes[i] == 0x22 {
            if i + 1 < stop && bytes[i + 1] == 0x22 {
              label.append(0x22)
              i += 2
              continue
            }
            break
          }
          label.append(bytes[i])
          i += 1
        }
        i += 1
      } else {
        while i < stop && bytes[i] != 0x2C {
          label.append(bytes[i])
          i += 1
        }
      }
      var idx = rowNumber
      for j in stride(from: n - 1, through: 0, by: -1) {
        ctx[j] = Int32(idx % v)
        idx /= v
      }
      expected.removeAll(keepingCapacity: true)
      if n == 0 {
        expected.append(contentsOf: "(no context)".utf8)
      } else {
        for j in 0..<n {
          if j > 0 { expected.append(0x7C) }
          expected.append(contentsOf: tokenBytes[Int(ctx[j])])
        }
      }
      guard label == expected else {
        throw NgramError.malformed(
          file: path, line: lineNo,
          reason:
            "row \(rowNumber + 1) is labelled '\(String(decoding: label, as: UTF8.self))' but its position is that of '\(String(decoding: expected, as: UTF8.self))' (rows are in the reference's order; moved or swapped rows would move their weights)"
        )
      }
      var col = 0
      var allZero = true
      while i < stop {
        guard bytes[i] == 0x2C else {
          throw NgramError.malformed(file: path, line: lineNo, reason: "malformed label field")
        }
        i += 1
        var j = i
        while j < stop && bytes[j] != 0x2C { j += 1 }
        guard col < v else {
          throw NgramError.malformed(file: path, line: lineNo, reason: "more than \(v + 1) fields")
        }
        if j - i == 1 && bytes[i] == 0x30 {
          values[col] = 0
        } else {
          guard let x = LineReading.parseNumber(bytes.baseAddress! + i, j - i), x.isFinite else {
            let text = String(decoding: UnsafeBufferPointer(start: bytes.baseAddress! + i, count: j - i), as: UTF8.self)
            throw NgramError.malformed(
              file: path, line: lineNo,
              reason: text.isEmpty
                ? "column \(col + 2) is empty (the file looks truncated or malformed)"
                : "'\(text)' in column \(col + 2) is not a number")
          }
          values[col] = x
          if x != 0 { allZero = false }
        }
        col += 1
        i = j
      }
      guard col == v else {
        throw NgramError.malformed(
          file: path, line: lineNo, reason: "expected \(v + 1) fields, found \(col + 1) (truncated?)")
      }
      if !allZero {
        // Majority value (Boyer–Moore) becomes the shared weight; the rest are explicit.
        var cand = values[0]
        var count = 0
        for x in values {
          if count == 0 { cand = x; count = 1 } else if x == cand { count += 1 } else { count -= 1 }
        }
        rowContexts.append(contentsOf: ctx)
        rowDefault.append(cand)
        var k: Int32 = 0
        for c in 0..<v where values[c] != cand {
          cols.append(Int32(c))
          weights.append(values[c])
          k += 1
        }
        rowK.append(k)
        colOffsets.append(cols.count)
      }
      rowNumber += 1
    }
    guard headerSeen else { throw NgramError.malformed(file: path, line: 1, reason: "empty file (truncated?)") }
    guard rowNumber == expectedRows else {
      throw NgramError.malformed(
        file: path, line: rowNumber + 2,
        reason: "found \(rowNumber) rows, expected \(expectedRows) (V^\(n) for V = \(v)); the file looks truncated")
    }
    return NgramModel(
      vocabulary: vocabulary, contextLength: n, rowContexts: rowContexts, rowDefault: rowDefault,
      rowExplicitCount: rowK, colOffsets: colOffsets, cols: cols, weights: weights)
  }
}
