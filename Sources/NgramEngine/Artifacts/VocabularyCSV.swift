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

  static func read(_ path: String) throws -> Vocabulary {
    guard LineReading.exists(path) else {
      throw NgramError.artifactsMissing(directory: Paths.parent(path), file: fileName)
    }
    var tokens: [String] = []
    var freqs: [Int] = []
    var lines = 0
    try LineReading.forEachLine(path: path) { line, no in
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
}
