import Foundation

/// A model loaded from `DIR/artifacts`, with the facts of its meta.
public struct LoadedArtifacts: Sendable {
  /// The model.
  public let model: NgramModel
  /// `start_tokens` from the meta (the first n corpus tokens), if present.
  public let startTokens: [String]
  /// The weights format that was read.
  public let format: WeightsFormat
  /// The parsed `00_meta.json`.
  public let meta: JSONValue
}

/// Reads artifacts written by ngram-tui or by the Python reference, validating every line.
public enum ArtifactLoader {
  /// Loads `DIR/artifacts`.
  public static func load(directory: String) throws -> LoadedArtifacts {
    let dir = (directory as NSString).appendingPathComponent("artifacts")
    let metaPath = (dir as NSString).appendingPathComponent("00_meta.json")
    guard FileManager.default.fileExists(atPath: metaPath) else {
      throw NgramError.artifactsMissing(directory: dir, file: "00_meta.json")
    }
    let meta = try readMeta(metaPath)
    let contextLength: Int
    switch meta["model_kind"] {
    case .string("unigram")?: contextLength = 0
    case .string("bigram")?: contextLength = 1
    case .string("context2")?: contextLength = 2
    case .string("context3")?: contextLength = 3
    case let other?:
      throw NgramError.malformed(
        file: metaPath, line: 1,
        reason: "unsupported model_kind \(other.rendered(indent: nil)) (expected unigram, bigram, context2 or context3)"
      )
    case nil:
      throw NgramError.malformed(file: metaPath, line: 1, reason: "missing \"model_kind\"")
    }
    let vocabPath = (dir as NSString).appendingPathComponent("01_vocabulary.csv")
    let vocab = try readVocabulary(vocabPath)
    if case .int(let v)? = meta["vocab_size"], v != vocab.count {
      throw NgramError.malformed(
        file: vocabPath, line: vocab.count + 1, reason: "\(vocab.count) tokens but 00_meta.json says vocab_size \(v)")
    }
    var format: WeightsFormat = .dense
    if case .string(let f)? = meta["weights"]?["format"], f == "compact" { format = .compact }
    let weightsName = format == .dense ? ArtifactWriter.denseWeightsFile : ArtifactWriter.compactWeightsFile
    let weightsPath = (dir as NSString).appendingPathComponent(weightsName)
    guard FileManager.default.fileExists(atPath: weightsPath) else {
      throw NgramError.artifactsMissing(directory: dir, file: weightsName)
    }
    let model =
      format == .dense
      ? try readDense(weightsPath, vocabulary: vocab, contextLength: contextLength)
      : try readCompact(weightsPath, vocabulary: vocab, contextLength: contextLength)
    var start: [String] = []
    if case .array(let items)? = meta["start_tokens"] {
      for item in items { if case .string(let s) = item { start.append(s) } }
    }
    return LoadedArtifacts(model: model, startTokens: start, format: format, meta: meta)
  }

  static func readBytes(_ path: String) throws -> Data {
    do {
      return try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
      throw NgramError.unreadable(file: path, reason: "cannot open the file")
    }
  }

  static func readMeta(_ path: String) throws -> JSONValue {
    let data = try readBytes(path)
    let value: JSONValue
    do {
      value = try JSONParser.parse([UInt8](data))
    } catch {
      throw NgramError.malformed(
        file: path, line: error.line, reason: "\(error.reason) (re-run `ngram-tui train` to rewrite it)")
    }
    guard case .object = value else {
      throw NgramError.malformed(file: path, line: 1, reason: "expected a JSON object")
    }
    return value
  }

  /// Calls `body` with each line of the file (without `\r\n` or `\n`) and its 1-based number,
  /// streamed through `ChunkedLines` with one reused line buffer.
  static func forEachLine(path: String, _ body: (ArraySlice<UInt8>, Int) throws -> Void) throws {
    var line: [UInt8] = []
    try ChunkedLines.forEach(path: path) { p, start, stop, number in
      line.removeAll(keepingCapacity: true)
      line.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<stop]))
      try body(line[...], number)
    }
  }

  static func readVocabulary(_ path: String) throws -> Vocabulary {
    guard FileManager.default.fileExists(atPath: path) else {
      throw NgramError.artifactsMissing(
        directory: (path as NSString).deletingLastPathComponent, file: "01_vocabulary.csv")
    }
    var tokens: [String] = []
    var freqs: [Int] = []
    var lines = 0
    try forEachLine(path: path) { line, no in
      lines = no
      guard let f = CSV.fields(line) else {
        throw NgramError.malformed(file: path, line: no, reason: "unterminated quoted field")
      }
      if no == 1 {
        guard f == ["token_id", "token", "frequency"] else {
          throw NgramError.malformed(file: path, line: 1, reason: "header must be exactly token_id,token,frequency")
        }
        return
      }
      guard f.count == 3 else {
        throw NgramError.malformed(file: path, line: no, reason: "expected 3 fields, found \(f.count)")
      }
      guard let id = Int(f[0]), id == tokens.count else {
        throw NgramError.malformed(file: path, line: no, reason: "token_id '\(f[0])' should be \(tokens.count)")
      }
      guard let fr = Int(f[2]), fr >= 0 else {
        throw NgramError.malformed(file: path, line: no, reason: "frequency '\(f[2])' is not a whole number")
      }
      tokens.append(f[1])
      freqs.append(fr)
    }
    if tokens.isEmpty {
      throw NgramError.malformed(file: path, line: 1, reason: lines == 0 ? "empty file (truncated?)" : "no tokens")
    }
    return Vocabulary(tokens: tokens, frequencies: freqs)
  }

  /// Parses a decimal number; the fixed `%.4f` form on a fast path that rounds exactly like `float()`.
  @inline(__always)
  static func parseNumber(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    var i = 0
    var neg = false
    if count > 0 && p[0] == 0x2D { neg = true; i = 1 }
    var mant: UInt64 = 0
    var digits = 0
    var fracDigits = 0
    var seenDot = false
    var simple = i < count
    while i < count {
      let b = p[i]
      if b >= 0x30 && b <= 0x39 {
        mant = mant &* 10 &+ UInt64(b - 0x30)
        digits += 1
        if seenDot { fracDigits += 1 }
      } else if b == 0x2E && !seenDot {
        seenDot = true
      } else {
        simple = false
        break
      }
      i += 1
    }
    if simple && digits > 0 && digits <= 15 && fracDigits <= 15 {
      let scale = pow10[fracDigits]
      let v = Double(mant) / scale
      return neg ? -v : v
    }
    let s = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    return Double(s)
  }

  static let pow10: [Double] = (0...15).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }

  static func readDense(_ path: String, vocabulary: Vocabulary, contextLength n: Int) throws -> NgramModel {
    let v = vocabulary.count
    let expectedRows = ArtifactWriter.denseCellCount(vocabSize: v, contextLength: n) / v
    var rowContexts: [Int32] = []
    var rowDefault: [Double] = []
    var rowK: [Int32] = []
    var colOffsets = [0]
    var cols: [Int32] = []
    var weights: [Double] = []
    var values = [Double](repeating: 0, count: v)
    var rowNumber = 0
    var headerSeen = false
    // Streamed in chunks, so memory stays proportional to the trained rows, not to the file.
    try ChunkedLines.forEach(path: path) { bytes, start, stop, lineNo in
      if !headerSeen {
        guard let f = CSV.fields(Array(bytes[start..<stop])[...]), f.first == "input_token" else {
          throw NgramError.malformed(file: path, line: lineNo, reason: "header must start with input_token")
        }
        guard f.count == v + 1 else {
          throw NgramError.malformed(
            file: path, line: lineNo, reason: "header has \(f.count - 1) token columns, vocabulary has \(v)")
        }
        headerSeen = true
        return
      }
      if stop == start { return }
      guard rowNumber < expectedRows else {
        throw NgramError.malformed(
          file: path, line: lineNo, reason: "more than \(expectedRows) rows (V^\(n) for V = \(v))")
      }
      // Skip the label (possibly quoted).
      var i = start
      if i < stop && bytes[i] == 0x22 {
        i += 1
        while i < stop {
          if bytes[i] == 0x22 {
            if i + 1 < stop && bytes[i + 1] == 0x22 { i += 2; continue }
            break
          }
          i += 1
        }
        i += 1
      } else {
        while i < stop && bytes[i] != 0x2C { i += 1 }
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
          guard let x = parseNumber(bytes.baseAddress! + i, j - i), x.isFinite else {
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
        var idx = rowNumber
        var ctx = [Int32](repeating: 0, count: n)
        for j in stride(from: n - 1, through: 0, by: -1) {
          ctx[j] = Int32(idx % v)
          idx /= v
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

  static func readCompact(_ path: String, vocabulary: Vocabulary, contextLength n: Int) throws -> NgramModel {
    let v = vocabulary.count
    var rowContexts: [Int32] = []
    var rowDefault: [Double] = []
    var rowK: [Int32] = []
    var colOffsets = [0]
    var cols: [Int32] = []
    var weights: [Double] = []
    var declaredRows: Int?
    var sawFormat = false
    try forEachLine(path: path) { line, no in
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
      for j in 0..<n {
        guard let id = scanner.int(), id >= 0, id < v else { throw bad("context is not \(n) token ids below \(v)") }
        rowContexts.append(Int32(id))
        if j < n - 1 { guard scanner.take(0x20) else { throw bad("context is not \(n) space-separated token ids") } }
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

/// Reads integers and doubles from one line without building strings.
struct LineScanner {
  let line: ArraySlice<UInt8>
  var i: Int

  init(line: ArraySlice<UInt8>) {
    self.line = line
    i = line.startIndex
  }

  var atEnd: Bool { i >= line.endIndex }

  mutating func take(_ b: UInt8) -> Bool {
    guard i < line.endIndex, line[i] == b else { return false }
    i += 1
    return true
  }

  mutating func int() -> Int? {
    var v = 0
    let s = i
    while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, i - s < 18 {
      v = v * 10 + Int(line[i] - 0x30)
      i += 1
    }
    return i > s ? v : nil
  }

  /// A number as Swift's `description` writes it (round-trips exactly).
  mutating func double() -> Double? {
    let s = i
    while i < line.endIndex, line[i] != 0x20, line[i] != 0x09 { i += 1 }
    guard i > s else { return nil }
    return line[s..<i].withUnsafeBufferPointer { p in
      ArtifactLoader.parseNumber(p.baseAddress!, p.count) ?? wholeFieldStrtod(p)
    }
  }
}

/// Reads a file in large chunks and hands out its lines (without `\r\n`/`\n`) in place.
enum ChunkedLines {
  /// Calls `body(buffer, start, stop, lineNumber)` for each line; `buffer[start..<stop]` is the line.
  static func forEach(
    path: String, chunkSize: Int = 8 << 20,
    _ body: (UnsafeBufferPointer<UInt8>, Int, Int, Int) throws -> Void
  ) throws {
    guard let f = fopen(path, "rb") else {
      throw NgramError.unreadable(file: path, reason: "cannot open the file")
    }
    defer { fclose(f) }
    var buf = [UInt8](repeating: 0, count: chunkSize)
    var filled = 0
    var lineNo = 1
    var eof = false
    while true {
      if !eof && filled < buf.count {
        let n = buf.withUnsafeMutableBytes { fread($0.baseAddress! + filled, 1, $0.count - filled, f) }
        if n == 0 { eof = true }
        filled += n
      }
      if filled == 0 { return }
      var consumed = 0
      try buf.withUnsafeBufferPointer { p in
        var start = 0
        while start < filled {
          guard let q = memchr(p.baseAddress! + start, 0x0A, filled - start) else { break }
          let end = p.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self))
          var stop = end
          if stop > start && p[stop - 1] == 0x0D { stop -= 1 }
          try body(p, start, stop, lineNo)
          lineNo += 1
          start = end + 1
        }
        consumed = start
        if eof && consumed < filled {
          // The last line has no newline.
          var stop = filled
          if stop > consumed && p[stop - 1] == 0x0D { stop -= 1 }
          try body(p, consumed, stop, lineNo)
          lineNo += 1
          consumed = filled
        }
      }
      if consumed == 0 && !eof {
        // A line longer than the buffer: grow it.
        buf.append(contentsOf: [UInt8](repeating: 0, count: buf.count))
        continue
      }
      if consumed > 0 {
        buf.withUnsafeMutableBufferPointer { p in
          _ = memmove(p.baseAddress!, p.baseAddress! + consumed, filled - consumed)
        }
        filled -= consumed
      }
      if eof && filled == 0 { return }
    }
  }
}

/// `strtod` over the whole field, or nil when it is not entirely a number.
func wholeFieldStrtod(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
  var buf = [CChar](repeating: 0, count: p.count + 1)
  for j in 0..<p.count { buf[j] = CChar(bitPattern: p[j]) }
  return buf.withUnsafeMutableBufferPointer { b -> Double? in
    var end: UnsafeMutablePointer<CChar>?
    let d = Foundation.strtod(b.baseAddress!, &end)
    guard let end, b.baseAddress!.distance(to: end) == p.count else { return nil }
    return d
  }
}
