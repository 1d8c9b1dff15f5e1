import FoundationEssentials
#if canImport(Glibc)
  import Glibc
#endif

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

extension NgramError {
  /// The one-line message for any error the programs report: an `NgramError`'s description;
  /// for a file system error the operating system's reason in words (`no space left on
  /// device`, `permission denied`) and the file, never a raw error-domain dump. Control
  /// characters and newlines (from file names) are escaped, so the message stays one line.
  public static func message(for error: any Error) -> String {
    TerminalText.escape(rawMessage(for: error))
  }

  static func rawMessage(for error: any Error) -> String {
    if let e = error as? NgramError { return e.description }
    if let e = error as? CocoaError, let path = e.filePath ?? e.url?.path {
      return "cannot access \(path): \(reason(for: e))"
    }
    return reason(for: error)
  }

  /// Why a file system operation failed, in the system's words (`file exists`, `no space left
  /// on device`), without the file; for other errors the first line of their description.
  public static func reason(for error: any Error) -> String {
    if let e = error as? NgramError { return e.description }
    if let e = error as? POSIXError { return reason(errno: e.code.rawValue) }
    if let e = error as? CocoaError {
      let code = errnoCode(e) ?? cocoaErrno[e.code.rawValue]
      return code.map { reason(errno: $0) } ?? "input/output error (code \(e.code.rawValue))"
    }
    let text = "\(error)"
    return text.split(separator: "\n").first.map(String.init) ?? text
  }

  /// `strerror(code)` starting with a lower-case letter: `no space left on device`.
  public static func reason(errno code: Int32) -> String {
    var s = String(cString: strerror(code))
    if let first = s.first, first.isUppercase, s.dropFirst().first?.isLowercase ?? true {
      s = first.lowercased() + s.dropFirst()
    }
    return s
  }

  private static func errnoCode(_ e: CocoaError) -> Int32? {
    if let p = e.userInfo["NSUnderlyingError"] as? POSIXError { return p.code.rawValue }
    return nil
  }

  /// The errno behind the file system error codes of `CocoaError` that carry no underlying error.
  private static let cocoaErrno: [Int: Int32] = [
    CocoaError.fileWriteOutOfSpace.rawValue: ENOSPC,
    CocoaError.fileWriteNoPermission.rawValue: EACCES,
    CocoaError.fileReadNoPermission.rawValue: EACCES,
    CocoaError.fileNoSuchFile.rawValue: ENOENT,
    CocoaError.fileReadNoSuchFile.rawValue: ENOENT,
    CocoaError.fileWriteVolumeReadOnly.rawValue: EROFS,
    CocoaError.fileWriteFileExists.rawValue: EEXIST,
    CocoaError.fileReadTooLarge.rawValue: EFBIG,
    CocoaError.fileWriteInvalidFileName.rawValue: EINVAL,
  ]
}
