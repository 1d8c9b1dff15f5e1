/// Everything that can go wrong in the engine, each case with a one-line, actionable message.
public enum NgramError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The `corpus/` directory does not exist.
  case corpusDirectoryMissing(directory: String)
  /// The `corpus/` directory holds no regular file.
  case corpusDirectoryEmpty(directory: String)
  /// The `corpus/` directory holds more than one regular file.
  case corpusDirectoryAmbiguous(directory: String, files: [String])
  /// A file could not be read.
  case unreadable(file: String, reason: String)
  /// The corpus is not valid UTF-8 at the given byte offset.
  case invalidUTF8(file: String, offset: Int)
  /// The corpus has fewer tokens than one training pair needs.
  case tooFewTokens(file: String, needed: Int, found: Int)
  /// No artifacts were found where they were expected.
  case artifactsMissing(directory: String, file: String)
  /// A CSV or JSON artifact is malformed at the given line.
  case malformed(file: String, line: Int, reason: String)
  /// Tokens that are not in the vocabulary, each with near vocabulary entries.
  case unknownTokens([String], suggestions: [[String]])
  /// A context with fewer tokens than the model reads.
  case contextTooShort(needed: Int, given: Int)
  /// An option value that cannot be used.
  case invalidOption(String)
  /// The work was cancelled (Ctrl-C or a caller's request).
  case cancelled
  /// A file system operation failed.
  case io(String)

  /// The one-line message: what went wrong, where, and what to do.
  public var description: String {
    switch self {
    case .corpusDirectoryMissing(let d):
      return "corpus directory not found: \(d) (create it and put exactly one text file in it, or pass --corpus FILE)"
    case .corpusDirectoryEmpty(let d):
      return "no file in corpus directory \(d): put exactly one text file in it, or pass --corpus FILE"
    case .corpusDirectoryAmbiguous(let d, let files):
      return
        "expected exactly one file in corpus directory \(d), found \(files.count) (\(files.joined(separator: ", "))): keep one, or pass --corpus FILE"
    case .unreadable(let f, let why):
      return "cannot read \(f): \(why)"
    case .invalidUTF8(let f, let off):
      return "\(f) is not valid UTF-8: invalid byte at offset \(off) (convert the file to UTF-8, e.g. with iconv)"
    case .tooFewTokens(let f, let need, let found):
      return "\(f) has \(found) token\(found == 1 ? "" : "s"); this context length needs at least \(need) tokens"
    case .artifactsMissing(let d, let f):
      return "no trained model in \(d): \(f) is missing (run `ngram-tui train` first)"
    case .malformed(let f, let line, let why):
      return "\(f):\(line): \(why)"
    case .unknownTokens(let toks, let sugg):
      var parts: [String] = []
      for (i, t) in toks.enumerated() {
        let s = i < sugg.count ? sugg[i] : []
        parts.append(
          s.isEmpty ? "'\(t)'" : "'\(t)' (did you mean \(s.map { "'\($0)'" }.joined(separator: ", "))?)")
      }
      return "unknown token\(toks.count == 1 ? "" : "s") \(parts.joined(separator: ", ")): not in the vocabulary"
    case .contextTooShort(let need, let given):
      return "this model reads \(need) token\(need == 1 ? "" : "s") of context, got \(given)"
    case .invalidOption(let why):
      return why
    case .cancelled:
      return "cancelled; previous artifacts left unchanged"
    case .io(let why):
      return why
    }
  }
}
