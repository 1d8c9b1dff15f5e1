import NgramEngine

/// Engine errors in the words of `ngram-tui`: the engine names its parameters (`learningRate`,
/// "dense limit", "train a model first"); the command line and the explorer it starts say the
/// option or command that sets them (`--lr`, `--dense-limit`, "run `ngram-tui train` first").
/// The one place where an engine error becomes user-visible text in both front ends.
public enum CommandLineWords {
  /// The one-line message for any error, in the command line's words: an `NgramError` case
  /// that names a setting is rendered here, every other error as `NgramError.message(for:)`
  /// renders it. Control characters are escaped, so the message stays one line.
  public static func message(for error: any Error) -> String {
    if let e = error as? NgramError, let text = text(for: e) { return TerminalText.escape(text) }
    return NgramError.message(for: error)
  }

  /// The command line's text for `e`, or nil where the engine's description names no setting.
  static func text(for e: NgramError) -> String? {
    switch e {
    case .corpusDirectoryMissing(let d):
      return "corpus directory not found: \(d) (create it and put exactly one text file in it, or pass --corpus FILE)"
    case .corpusDirectoryEmpty(let d):
      return "no file in corpus directory \(d): put exactly one text file in it, or pass --corpus FILE"
    case .corpusDirectoryAmbiguous(let d, let files):
      return
        "expected exactly one file in corpus directory \(d), found \(files.count) (\(files.joined(separator: ", "))): keep one, or pass --corpus FILE"
    case .corpusFileMissing(let f):
      return "cannot read \(f): no such file (check the --corpus path)"
    case .corpusFileNameNotUTF8(let f):
      return
        "cannot read \(f): the file name is not valid UTF-8 (rename it, e.g. with convmv -f latin1 -t utf8, or pass --corpus)"
    case .artifactsMissing(let d, let f):
      return "no trained model in \(d): \(f) is missing (run `ngram-tui train` first)"
    case .outputMissing(let f, let what):
      return "cannot read \(f): no \(what) (run `ngram-tui train` first)"
    case .artifactChanged(let f, let why):
      return
        "\(f) does not belong to this set of artifacts (\(why)); it was changed after ngram-tui wrote it: run `ngram-tui train` again"
    case .metaMalformed(let f, let line, let why):
      return "\(f):\(line): \(why) (re-run `ngram-tui train` to rewrite it)"
    case .invalidLearningRate(let x):
      return "invalid learning rate \(x): use a finite number >= 0, e.g. --lr 0.1"
    case .invalidEpochs(let n):
      return "invalid epochs \(n): use a whole number >= 0, e.g. --epochs 50"
    case .invalidHoldout(let x, let zeroAllowed):
      return "invalid holdout \(x): use a fraction in \(zeroAllowed ? "[0, 1)" : "(0, 1)"), e.g. --holdout 0.1"
    case .holdoutTooSmall(let x, let tokens):
      return "holdout \(x) of \(tokens) tokens holds out no token: use a larger --holdout or a longer corpus"
    case .invalidTemperature(let t):
      return "invalid --temperature \(t): use a number >= 0 (0 = greedy)"
    case .invalidTopK(let k):
      return "invalid --top-k \(k): use a whole number >= 1"
    case .invalidTopP(let p):
      return "invalid --top-p \(p): use a number in (0, 1]"
    case .stepEpochOutOfRange(let epoch, let epochs):
      return "invalid --epoch \(epoch): use 1 to \(epochs) (the epochs this model was trained for)"
    case .stepPairOutOfRange(let pair, let pairs):
      return "invalid --pair \(pair): use 1 to \(pairs) (the training pairs, in corpus order)"
    case .invalidAddK(let k):
      return "--k must be a positive number (got \(k)); add-k adds k to every count"
    case .invalidDiscount(let d):
      return "--discount must be between 0 and 1 (got \(d)), as NLTK requires for probabilities to sum to 1"
    case .kneserNeyNeedsContext:
      return "kneser-ney needs a context of at least 1 token (--context 1 or more): \(NgramError.kneserNeyReason)"
    case .denseTooLarge(let cells, let limit):
      return
        "dense weights would hold \(NgramError.cellText(cells)) numbers (limit \(limit)): use --weights compact, or raise --dense-limit"
    case .startTokenCount(let need, let given, let fewerAllowed):
      return
        "--start-tokens takes \(fewerAllowed ? "at most" : "exactly") \(need) token\(need == 1 ? "" : "s") for this model (order \(need + 1)), got \(given)"
    case .startTokensMissing(let need):
      return
        "no start tokens for this model (order \(need + 1)): pass --start-tokens with \(need) token\(need == 1 ? "" : "s")"
    case .unsupportedContextLength, .unreadable, .invalidUTF8, .tooFewTokens, .malformed, .unknownTokens,
      .contextTooShort, .invalidOption,
      .cancelled, .io:
      return nil
    }
  }
}
