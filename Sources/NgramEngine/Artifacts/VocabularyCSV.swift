/// `01_vocabulary.csv`: `token_id,token,frequency`, one line per token in id order (CRLF, minimal quoting).
enum VocabularyCSV {
  /// The file name under `artifacts/`.
  static let fileName = "01_vocabulary.csv"

  @discardableResult
  static func write(_ vocab: Vocabulary, to path: String, isCancelled: () -> Bool = { false }) throws -> FileDigest {
    return try ByteWriter.write(path) { w in
      w.append("token_id,token,frequency\r\n")
      for (i, t) in vocab.tokens.enumerated() {
        w.append("\(i),")
        w.appendField(t)
        w.append(",\(vocab.frequencies[i])\r\n")
        if i & 1023 == 0 {
          try w.flushIfLarge()
          if isCancelled() { throw NgramError.cancelled }
        }
      }
    }
  }

  /// The longest vocabulary line a corpus of `numChars` characters can produce: a token of
  /// them all, each 4 UTF-8 bytes and doubled by CSV quoting, plus the id and the frequency.
  static func maxLineLength(numChars: Int?) -> Int {
    guard let c = numChars, c >= 0, c < LineReading.maxLineBytes / 8 else { return LineReading.maxLineBytes }
    return 8 * c + 64
  }

  /// Reads and checks `path`: the header, ids in order, whole frequencies, distinct tokens.
  ///
  /// - Parameters:
  ///   - expectedCount: the meta's `vocab_size`: a token beyond it is an error at once.
  ///   - maxLineLength: the longest line accepted (see `maxLineLength(numChars:)`).
  static func read(
    _ path: String, expectedCount: Int? = nil, maxLineLength: Int = LineReading.maxLineBytes
  ) throws -> Vocabulary {
    guard LineReading.exists(path) else {
      throw NgramError.artifactsMissing(directory: Paths.parent(path), file: fileName)
    }
    var tokens: [String] = []
    var freqs: [Int] = []
    var lines = 0
    var lineOf: [[UInt8]: Int] = [:]
    try LineReading.forEachLine(path: path, maxLineLength: maxLineLength) { line, no in
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
      if let expectedCount, tokens.count >= expectedCount {
        throw NgramError.malformed(
          file: path, line: no, reason: "more than the \(expectedCount) tokens 00_meta.json declares (vocab_size)")
      }
      if let earlier = lineOf.updateValue(no, forKey: Array(f[1].utf8)) {
        throw NgramError.malformed(
          file: path, line: no,
          reason: "token '\(f[1])' appears twice (also on line \(earlier)): tokens must be distinct")
      }
      tokens.append(f[1])
      freqs.append(fr)
    }
    if tokens.isEmpty {
      throw NgramError.malformed(file: path, line: 1, reason: lines == 0 ? "empty file (truncated?)" : "no tokens")
    }
    return Vocabulary(tokens: tokens, frequencies: freqs)
  }
}
