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
  /// Start tokens of the wrong number: `needed` exactly, or at most `needed` where the model
  /// reads shorter contexts (`fewerAllowed`).
  case startTokenCount(needed: Int, given: Int, fewerAllowed: Bool)
  /// No start tokens were given and the model has no start of its own.
  case startTokensMissing(needed: Int)
  /// A setting that cannot be used, for which no typed case exists; the message names it.
  case invalidOption(String)
  /// A context length other than 0–3 (`TrainingConfig.contextLength`).
  case unsupportedContextLength(Int)
  /// A learning rate that is negative or not finite (`TrainingConfig.learningRate`).
  case invalidLearningRate(Double)
  /// A negative number of epochs (`TrainingConfig.epochs`).
  case invalidEpochs(Int)
  /// A held-out fraction outside `[0, 1)`, or outside `(0, 1)` where a held-out part is
  /// required (`zeroAllowed` false).
  case invalidHoldout(Double, zeroAllowed: Bool)
  /// A held-out fraction that holds out no token of a corpus of `tokens` tokens.
  case holdoutTooSmall(holdout: Double, tokens: Int)
  /// A sampling temperature that is negative or not finite (`SamplingOptions.temperature`).
  case invalidTemperature(Double)
  /// A top-k cut below 1 (`SamplingOptions.topK`).
  case invalidTopK(Int)
  /// A top-p (nucleus) mass outside `(0, 1]` (`SamplingOptions.topP`).
  case invalidTopP(Double)
  /// A training step's epoch outside `1...epochs`.
  case stepEpochOutOfRange(epoch: Int, epochs: Int)
  /// A training step's pair outside `1...pairs`.
  case stepPairOutOfRange(pair: Int, pairs: Int)
  /// An add-k constant that is not a positive finite number.
  case invalidAddK(Double)
  /// A Kneser-Ney discount outside `[0, 1]`.
  case invalidDiscount(Double)
  /// Kneser-Ney asked for a model of order 1 (context length 0).
  case kneserNeyNeedsContext
  /// Dense weights of `cells` numbers asked for, over the dense limit `limit`.
  case denseTooLarge(cells: Int, limit: Int)
  /// The named corpus file does not exist.
  case corpusFileMissing(file: String)
  /// A file in the corpus directory whose name is not valid UTF-8 (spelt with its bad bytes escaped).
  case corpusFileNameNotUTF8(file: String)
  /// A training output (`what`: "training log", "embeddings file") is missing.
  case outputMissing(file: String, what: String)
  /// An artifact whose contents no longer match the set's manifest.
  case artifactChanged(file: String, reason: String)
  /// The meta file of a set cannot be parsed at `line`.
  case metaMalformed(file: String, line: Int, reason: String)
  /// The work was cancelled (Ctrl-C or a caller's request).
  case cancelled
  /// A file system operation failed.
  case io(String)

  /// The one-line message in the engine's words (its parameter names, never a front end's
  /// options or commands): what went wrong, where, and what to do. Front ends render the cases
  /// in their own words and fall back to this.
  public var description: String {
    switch self {
    case .corpusDirectoryMissing(let d):
      return
        "corpus directory not found: \(d) (create it and put exactly one text file in it, or name the corpus file)"
    case .corpusDirectoryEmpty(let d):
      return "no file in corpus directory \(d): put exactly one text file in it, or name the corpus file"
    case .corpusDirectoryAmbiguous(let d, let files):
      return
        "expected exactly one file in corpus directory \(d), found \(files.count) (\(files.joined(separator: ", "))): keep one, or name the corpus file"
    case .unreadable(let f, let why):
      return "cannot read \(f): \(why)"
    case .invalidUTF8(let f, let off):
      return "\(f) is not valid UTF-8: invalid byte at offset \(off) (convert the file to UTF-8, e.g. with iconv)"
    case .tooFewTokens(let f, let need, let found):
      return "\(f) has \(found) token\(found == 1 ? "" : "s"); this context length needs at least \(need) tokens"
    case .artifactsMissing(let d, let f):
      return "no trained model in \(d): \(f) is missing (train a model there first)"
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
    case .startTokenCount(let need, let given, let fewerAllowed):
      return
        "this model starts generating from \(fewerAllowed ? "at most " : "")\(Self.tokens(need)), got \(given)"
    case .startTokensMissing(let need):
      return "no start tokens given, and this model has none of its own: it starts generating from \(Self.tokens(need))"
    case .invalidOption(let why):
      return why
    case .unsupportedContextLength(let n):
      return "unsupported context length \(n): use 0 (unigram), 1 (bigram), 2 (context-2) or 3 (context-3)"
    case .invalidLearningRate(let x):
      return "invalid learningRate \(x): use a finite number >= 0, e.g. 0.1"
    case .invalidEpochs(let n):
      return "invalid epochs \(n): use a whole number >= 0, e.g. 50"
    case .invalidHoldout(let x, let zeroAllowed):
      return "invalid holdout \(x): use a fraction in \(zeroAllowed ? "[0, 1)" : "(0, 1)"), e.g. 0.1"
    case .holdoutTooSmall(let x, let tokens):
      return "holdout \(x) of \(tokens) tokens holds out no token: use a larger holdout or a longer corpus"
    case .invalidTemperature(let t):
      return "invalid temperature \(t): use a number >= 0 (0 = greedy)"
    case .invalidTopK(let k):
      return "invalid topK \(k): use a whole number >= 1"
    case .invalidTopP(let p):
      return "invalid topP \(p): use a number in (0, 1]"
    case .stepEpochOutOfRange(let epoch, let epochs):
      return "invalid epoch \(epoch): use 1 to \(epochs) (the epochs this model was trained for)"
    case .stepPairOutOfRange(let pair, let pairs):
      return "invalid pair \(pair): use 1 to \(pairs) (the training pairs, in corpus order)"
    case .invalidAddK(let k):
      return "add-k's k must be a positive number (got \(k)); add-k adds k to every count"
    case .invalidDiscount(let d):
      return
        "the Kneser-Ney discount must be between 0 and 1 (got \(d)), as NLTK requires for probabilities to sum to 1"
    case .kneserNeyNeedsContext:
      return
        "kneser-ney needs a context of at least 1 token (context length 1 or more): \(Self.kneserNeyReason)"
    case .denseTooLarge(let cells, let limit):
      return
        "dense weights would hold \(Self.cellText(cells)) numbers (dense limit \(limit)): use the compact weights format, or raise the dense limit"
    case .corpusFileMissing(let f):
      return "cannot read \(f): no such file (check the corpus path)"
    case .corpusFileNameNotUTF8(let f):
      return
        "cannot read \(f): the file name is not valid UTF-8 (rename it, e.g. with convmv -f latin1 -t utf8, or name another corpus file)"
    case .outputMissing(let f, let what):
      return "cannot read \(f): no \(what) (train a model there first)"
    case .artifactChanged(let f, let why):
      return "\(f) does not belong to this set of artifacts (\(why)); it was changed after it was written: train again"
    case .metaMalformed(let f, let line, let why):
      return "\(f):\(line): \(why) (train again to rewrite it)"
    case .cancelled:
      return "cancelled; previous artifacts left unchanged"
    case .io(let why):
      return why
    }
  }
}

extension NgramError {
  /// Why Kneser-Ney needs a context, for messages that name the setting their own way.
  public static let kneserNeyReason =
    "its lowest order counts the distinct words before each word, which an order-1 model does not have (NLTK divides by zero here)"

  /// "1 token", "2 tokens".
  static func tokens(_ n: Int) -> String { "\(n) token\(n == 1 ? "" : "s")" }

  /// A cell count as messages print it: the number, or "over 9e18" when it overflowed to `Int.max`.
  public static func cellText(_ cells: Int) -> String { cells == Int.max ? "over 9e18" : String(cells) }

  /// The one-line message for any error the programs report: an `NgramError`'s description,
  /// for other errors the first line of their description. Control characters and newlines
  /// (from file names) are escaped, so the message stays one line. (The engine does its file
  /// system work through the C library and reports its failures as `NgramError`s, with the
  /// system's reason in words: `no space left on device`, never an error-domain dump.)
  public static func message(for error: any Error) -> String {
    TerminalText.escape(rawMessage(for: error))
  }

  static func rawMessage(for error: any Error) -> String { reason(for: error) }

  /// Why an operation failed: an `NgramError`'s description; for other errors the first line
  /// of their description.
  public static func reason(for error: any Error) -> String {
    if let e = error as? NgramError { return e.description }
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
}
