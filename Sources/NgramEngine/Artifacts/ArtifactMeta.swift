/// `00_meta.json`: the facts of a run, as a typed value. Reads the reference's meta and ours; writes ours
/// the way Python's `json.dumps(indent=2, sort_keys=True)` would.
public struct ArtifactMeta: Sendable, Equatable {
  /// The file name under `artifacts/`.
  public static let fileName = "00_meta.json"

  /// How training ran (`training`).
  public struct Training: Sendable, Equatable {
    /// `learning_rate`.
    public var learningRate: Double?
    /// `epochs`.
    public var epochs: Int?
    /// `holdout` (ngram-tui only).
    public var holdout: Double?
  }

  /// The corpus trained on (`corpus`).
  public struct CorpusFacts: Sendable, Equatable {
    /// `path`: relative to the run's directory when inside it, else absolute.
    public var path: String?
    /// `filename`.
    public var filename: String?
    /// `sha256` of the file's bytes.
    public var sha256: String?
    /// `num_lines`.
    public var numLines: Int?
    /// `num_chars`.
    public var numChars: Int?
    /// `num_tokens` (ngram-tui only).
    public var numTokens: Int?
  }

  /// How the weights are stored (`weights`, ngram-tui only; the reference always writes dense).
  public struct Weights: Sendable, Equatable {
    /// `format`: dense or compact.
    public var format: WeightsFormat
    /// `trained_rows`.
    public var trainedRows: Int?
    /// `explicit_weights`.
    public var explicitWeights: Int?
    /// `file`: the weights file name.
    public var file: String { format == .compact ? CompactWeightsTSV.fileName : DenseWeightsCSV.fileName }
  }

  /// One file of the set in `manifest`: its path relative to the set (`artifacts/01_vocabulary.csv`,
  /// `outputs/train_log.csv`), size and SHA-256, so a reader can check that the files it loads
  /// were written together with this meta.
  public struct ManifestEntry: Sendable, Equatable {
    /// The path relative to the set's folder.
    public var path: String
    /// The size in bytes.
    public var bytes: Int
    /// The lowercase hex SHA-256.
    public var sha256: String
  }

  /// `repo_name`: the last component of the run's directory.
  public var repoName: String?
  /// `model_kind` as a context length (unigram 0, bigram 1, context2 2, context3 3).
  public var contextLength: ContextLength
  /// `vocab_size`.
  public var vocabSize: Int?
  /// `training`.
  public var training: Training
  /// `corpus`.
  public var corpus: CorpusFacts
  /// `artifacts`: the file names of the set.
  public var artifacts: [String]
  /// `weights`; nil in a reference meta (dense).
  public var weights: Weights?
  /// `start_tokens`: the corpus's first n tokens.
  public var startTokens: [String]?
  /// `manifest` (ngram-tui only): every other file of the set; nil in a reference meta.
  public var manifest: [ManifestEntry]?

  /// `model_kind`.
  public var modelKind: String { Self.kinds[contextLength.value] }
  /// The weights format (dense when the meta does not say).
  public var weightsFormat: WeightsFormat { weights?.format ?? .dense }

  static let kinds = ["unigram", "bigram", "context2", "context3"]

  /// The meta of a run that trained `model` on `corpus` in `directory`.
  init(
    directory: String, corpus: Corpus, config: TrainingConfig, format: WeightsFormat, files: [String],
    model: NgramModel,
    manifest: [ManifestEntry]? = nil
  ) {
    self.manifest = manifest
    let base = Paths.resolved(directory)
    let corpusAbs = Paths.resolved(corpus.path)
    repoName = Paths.lastComponent(base)
    contextLength = ContextLength(unchecked: config.contextLength)
    vocabSize = model.vocabulary.count
    training = Training(learningRate: config.learningRate, epochs: config.epochs, holdout: config.holdout)
    self.corpus = CorpusFacts(
      path: corpusAbs.hasPrefix(base + "/") ? String(corpusAbs.dropFirst(base.count + 1)) : corpusAbs,
      filename: Paths.lastComponent(corpus.path), sha256: corpus.sha256, numLines: corpus.numLines,
      numChars: corpus.numChars, numTokens: corpus.tokenCount)
    artifacts = files
    weights = Weights(format: format, trainedRows: model.trainedRowCount, explicitWeights: model.explicitWeightCount)
    startTokens = config.contextLength >= 1 ? corpus.firstTokens(config.contextLength) : nil
  }

  // MARK: Writing

  /// The document, with ngram-tui's prose beside the facts.
  var json: JSONValue {
    var members: [(String, JSONValue)] = [("model_kind", .string(modelKind))]
    if let repoName { members.append(("repo_name", .string(repoName))) }
    if let vocabSize { members.append(("vocab_size", .int(vocabSize))) }
    if weights != nil { members.append(("context_length", .int(contextLength.value))) }
    var t: [(String, JSONValue)] = [
      (
        "epoch_definition",
        .string("One epoch is a complete pass through all training pairs. Each pair contributes one gradient update.")
      )
    ]
    if let x = training.learningRate { t.append(("learning_rate", .double(x))) }
    if let x = training.epochs { t.append(("epochs", .int(x))) }
    if let x = training.holdout {
      t.append(("holdout", .double(x)))
      t.append(
        (
          "trainer",
          .string("ngram-tui exact sparse trainer (same arithmetic as the reference, rows trained in parallel)")
        )
      )
    }
    members.append(("training", .object(t)))
    var c: [(String, JSONValue)] = [
      (
        "description",
        .string(
          "The corpus is tokenized sequential text. Training pairs are derived by sliding a fixed-size context window over the token stream."
        )
      )
    ]
    if let x = corpus.path { c.append(("path", .string(x))) }
    if let x = corpus.filename { c.append(("filename", .string(x))) }
    if let x = corpus.sha256 { c.append(("sha256", .string(x))) }
    if let x = corpus.numLines { c.append(("num_lines", .int(x))) }
    if let x = corpus.numChars { c.append(("num_chars", .int(x))) }
    if let x = corpus.numTokens { c.append(("num_tokens", .int(x))) }
    members.append(("corpus", .object(c)))
    members.append(("artifacts", .object(artifacts.map { ($0, .string($0)) })))
    if let weights {
      var w: [(String, JSONValue)] = [("format", .string(weights.format.rawValue)), ("file", .string(weights.file))]
      if let x = weights.trainedRows { w.append(("trained_rows", .int(x))) }
      if let x = weights.explicitWeights { w.append(("explicit_weights", .int(x))) }
      w.append(
        (
          "description",
          .string(
            weights.format == .dense
              ? "Reference layout: one row per possible context (V^n rows), V weights each, 4 decimals."
              : "Sparse layout: one line per trained context row: context token ids, the weight shared by every column not listed, then column:weight pairs; full precision; rows not listed are all zero."
          )
        ))
      members.append(("weights", .object(w)))
    }
    members.append(
      (
        "concepts",
        .object([
          ("token", .string("An atomic symbol produced by the tokenizer (e.g., a word).")),
          ("vocabulary", .string("The set of all unique tokens observed in the corpus, mapped to integer IDs.")),
          ("context", .string("The fixed number of preceding tokens used as input to predict the next token.")),
          ("softmax", .string("A function that converts raw scores into probabilities that sum to 1.0.")),
          (
            "cross_entropy_loss",
            .string("A measure of how well the predicted probability distribution matches the correct next token.")
          ),
          (
            "gradient_descent",
            .string("An optimization process that incrementally adjusts weights to reduce prediction error.")
          ),
        ])
      ))
    members.append(
      (
        "notes",
        .array([
          .string("This is an intentionally inspectable training pipeline."),
          .string("Models are trained using softmax regression with cross-entropy loss."),
          .string("Weights are updated incrementally via gradient descent."),
          .string("Written by ngram-tui, a Swift re-implementation of toy-gpt train-300 context-2."),
        ])
      ))
    if let startTokens { members.append(("start_tokens", .array(startTokens.map { .string($0) }))) }
    if let manifest {
      members.append(
        (
          "manifest",
          .object(manifest.map { ($0.path, .object([("bytes", .int($0.bytes)), ("sha256", .string($0.sha256))])) })
        ))
    }
    return .object(members)
  }

  /// The file's text: indented by two, keys sorted, ASCII only, with a final newline.
  func rendered() -> String { json.rendered() + "\n" }

  @discardableResult
  func write(to path: String) throws -> FileDigest {
    return try ByteWriter.write(path) { $0.append(rendered()) }
  }

  // MARK: Reading

  /// Reads and checks `path` (written by ngram-tui or by the reference).
  static func read(_ path: String) throws -> ArtifactMeta {
    guard LineReading.exists(path) else {
      throw NgramError.artifactsMissing(directory: Paths.parent(path), file: fileName)
    }
    let bytes = try LineReading.readAll(path)
    let value: JSONValue
    do {
      value = try JSONParser.parse(bytes)
    } catch {
      throw NgramError.metaMalformed(file: path, line: error.line, reason: error.reason)
    }
    return try ArtifactMeta(json: value, path: path)
  }

  /// The typed meta of a parsed document; `path` names the file in errors.
  init(json value: JSONValue, path: String) throws {
    func bad(_ why: String) -> NgramError { NgramError.malformed(file: path, line: 1, reason: why) }
    guard case .object = value else { throw bad("expected a JSON object") }
    func string(_ v: JSONValue?, _ name: String) throws -> String? {
      switch v {
      case nil, .null?: return nil
      case .string(let s)?: return s
      default: throw bad("\"\(name)\" must be a string")
      }
    }
    func int(_ v: JSONValue?, _ name: String) throws -> Int? {
      switch v {
      case nil, .null?: return nil
      case .int(let i)?: return i
      default: throw bad("\"\(name)\" must be a whole number")
      }
    }
    func double(_ v: JSONValue?, _ name: String) throws -> Double? {
      switch v {
      case nil, .null?: return nil
      case .int(let i)?: return Double(i)
      case .double(let d)?: return d
      default: throw bad("\"\(name)\" must be a number")
      }
    }
    switch value["model_kind"] {
    case .string(let kind)? where Self.kinds.contains(kind):
      contextLength = ContextLength(unchecked: Self.kinds.firstIndex(of: kind)!)
    case let other?:
      throw bad(
        "unsupported model_kind \(other.rendered(indent: nil)) (expected unigram, bigram, context2 or context3)")
    case nil:
      throw bad("missing \"model_kind\"")
    }
    repoName = try string(value["repo_name"], "repo_name")
    vocabSize = try int(value["vocab_size"], "vocab_size")
    let t = value["training"]
    training = Training(
      learningRate: try double(t?["learning_rate"], "training.learning_rate"),
      epochs: try int(t?["epochs"], "training.epochs"), holdout: try double(t?["holdout"], "training.holdout"))
    let c = value["corpus"]
    corpus = CorpusFacts(
      path: try string(c?["path"], "corpus.path"), filename: try string(c?["filename"], "corpus.filename"),
      sha256: try string(c?["sha256"], "corpus.sha256"), numLines: try int(c?["num_lines"], "corpus.num_lines"),
      numChars: try int(c?["num_chars"], "corpus.num_chars"), numTokens: try int(c?["num_tokens"], "corpus.num_tokens"))
    if case .object(let files)? = value["artifacts"] {
      artifacts = files.map(\.0)
    } else {
      artifacts = []
    }
    if let w = value["weights"] {
      let format: WeightsFormat
      switch w["format"] {
      case .string("dense")?, nil: format = .dense
      case .string("compact")?: format = .compact
      case let other?:
        throw bad("unsupported weights.format \(other.rendered(indent: nil)) (expected dense or compact)")
      }
      weights = Weights(
        format: format, trainedRows: try int(w["trained_rows"], "weights.trained_rows"),
        explicitWeights: try int(w["explicit_weights"], "weights.explicit_weights"))
    } else {
      weights = nil
    }
    if case .array(let items)? = value["start_tokens"] {
      startTokens = try items.map { try string($0, "start_tokens") ?? "" }
    } else {
      startTokens = nil
    }
    switch value["manifest"] {
    case nil, .null?: manifest = nil
    case .object(let entries)?:
      manifest = try entries.map { path, v in
        guard let bytes = try int(v["bytes"], "manifest.bytes"), bytes >= 0,
          let sha = try string(v["sha256"], "manifest.sha256")
        else { throw bad("manifest entry \"\(path)\" needs bytes and sha256") }
        return ManifestEntry(path: path, bytes: bytes, sha256: sha)
      }
    default: throw bad("\"manifest\" must be an object")
    }
  }
}
