import Dispatch
import FoundationEssentials
import Glibc
import Synchronization

/// How the model weights are written.
public enum WeightsFormat: String, Sendable, CaseIterable {
  /// The reference's `02_model_weights.csv`: V^n rows of V numbers.
  case dense
  /// Our lossless `02_model_weights.sparse.tsv`: trained rows only, full precision.
  case compact
  /// Dense when it has at most `WeightsFormat.defaultDenseCellLimit` numbers, else compact.
  case auto

  /// The largest dense weights table written by `auto`, in numbers (V^n × V).
  public static let defaultDenseCellLimit = 200_000_000

  /// V^n × V, saturating.
  public static func denseCellCount(vocabSize v: Int, contextLength n: Int) -> Int {
    var cells = v
    for _ in 0..<n {
      let (r, o) = cells.multipliedReportingOverflow(by: v)
      if o { return Int.max }
      cells = r
    }
    return cells
  }

  /// The weights file name of a concrete format (`auto` has none).
  public var fileName: String? {
    switch self {
    case .dense: DenseWeightsCSV.fileName
    case .compact: CompactWeightsTSV.fileName
    case .auto: nil
    }
  }
}

/// What `ArtifactStore.write` produced.
public struct WrittenArtifacts: Sendable {
  /// The weights format used.
  public let format: WeightsFormat
  /// Files written under `artifacts/`, by name.
  public let files: [String]
}

/// A model loaded from `DIR/artifacts`, with the facts of its meta.
public struct LoadedArtifacts: Sendable {
  /// The model.
  public let model: NgramModel
  /// `start_tokens` from the meta (the first n corpus tokens), if present.
  public var startTokens: [String] { meta.startTokens ?? [] }
  /// The weights format that was read.
  public var format: WeightsFormat { meta.weightsFormat }
  /// The meta.
  public let meta: ArtifactMeta
}

/// A whole artifact set — `DIR/artifacts/*` and `DIR/outputs/*` — written and loaded together.
/// Each file's format lives in its own type (`ArtifactMeta`, `VocabularyCSV`, `DenseWeightsCSV`,
/// `CompactWeightsTSV`, `EmbeddingsCSV`, `TrainLogCSV`, `EvalLogCSV`).
public enum ArtifactStore {
  /// Writes `artifacts/*` and `outputs/train_log.csv` (and `outputs/eval_log.csv` with a holdout)
  /// under `directory`. Every file is written complete in a temporary directory first.
  ///
  /// - Parameter isCancelled: polled while writing; when it turns true the temporary files are
  ///   removed, nothing is renamed, and `NgramError.cancelled` is thrown.
  public static func write(
    directory: String, corpus: Corpus, config: TrainingConfig, model: NgramModel, log: [EpochStats],
    format requested: WeightsFormat, denseCellLimit: Int = WeightsFormat.defaultDenseCellLimit,
    validation: [ValidationStats] = [], isCancelled: @Sendable () -> Bool = { false }
  ) throws -> WrittenArtifacts {
    let v = model.vocabulary.count
    let cells = WeightsFormat.denseCellCount(vocabSize: v, contextLength: config.contextLength)
    let format: WeightsFormat
    switch requested {
    case .auto: format = cells <= denseCellLimit ? .dense : .compact
    case .dense:
      guard cells <= denseCellLimit else {
        throw NgramError.invalidOption(
          "dense weights would hold \(cells == Int.max ? "over 9e18" : String(cells)) numbers (limit \(denseCellLimit)): use --weights compact, or raise --dense-limit"
        )
      }
      format = .dense
    case .compact: format = .compact
    }
    let fm = FileManager.default
    let tmp = Paths.join(directory, ".ngram-tui-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
      try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    } catch {
      throw NgramError.io("cannot create a temporary directory in \(directory): \(NgramError.reason(for: error))")
    }
    var committed = false
    defer { if !committed { try? fm.removeItem(atPath: tmp) } }
    func check() throws { if isCancelled() { throw NgramError.cancelled } }

    let weightsName = format.fileName!
    let files = [ArtifactMeta.fileName, VocabularyCSV.fileName, weightsName, EmbeddingsCSV.fileName]
    try TrainLogCSV.write(log, to: Paths.join(tmp, TrainLogCSV.fileName))
    if !validation.isEmpty {
      try EvalLogCSV.write(validation, to: Paths.join(tmp, EvalLogCSV.fileName))
    }
    try VocabularyCSV.write(model.vocabulary, to: Paths.join(tmp, VocabularyCSV.fileName), isCancelled: isCancelled)
    try check()
    // The weights and the embeddings are the two large files: write them on two threads.
    let failures = Mutex<[Error]>([])
    let trained = ReferenceRows.trained(model)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      do {
        if i == 0 {
          let path = Paths.join(tmp, weightsName)
          if format == .dense {
            try DenseWeightsCSV.write(model, trained: trained, to: path, isCancelled: isCancelled)
          } else {
            try CompactWeightsTSV.write(model, trained: trained, to: path, isCancelled: isCancelled)
          }
        } else {
          try EmbeddingsCSV.write(
            model, trained: trained, dense: format == .dense, to: Paths.join(tmp, EmbeddingsCSV.fileName),
            isCancelled: isCancelled)
        }
      } catch {
        failures.withLock { $0.append(error) }
      }
    }
    if let first = failures.withLock({ $0.first }) { throw first }
    try check()
    let meta = ArtifactMeta(
      directory: directory, corpus: corpus, config: config, format: format, files: files, model: model)
    try meta.write(to: Paths.join(tmp, ArtifactMeta.fileName))
    try check()

    // Commit: rename each complete file into place.
    let artifacts = Paths.join(directory, "artifacts")
    let outputs = Paths.join(directory, "outputs")
    for folder in [artifacts, outputs] {
      do {
        try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
      } catch {
        var st = stat()
        let why =
          stat(folder, &st) == 0 && (st.st_mode & S_IFMT) != S_IFDIR
          ? "it exists and is not a directory (move it away)" : NgramError.reason(for: error)
        throw NgramError.io("cannot create \(folder): \(why)")
      }
    }
    for name in files {
      try rename(Paths.join(tmp, name), Paths.join(artifacts, name))
    }
    try rename(Paths.join(tmp, TrainLogCSV.fileName), Paths.join(outputs, TrainLogCSV.fileName))
    let evalLog = Paths.join(outputs, EvalLogCSV.fileName)
    if validation.isEmpty {
      try? fm.removeItem(atPath: evalLog)  // from an earlier run with --holdout; it no longer applies
    } else {
      try rename(Paths.join(tmp, EvalLogCSV.fileName), evalLog)
    }
    // The other weights format, left from an earlier run, no longer describes this model.
    let stale = format == .dense ? CompactWeightsTSV.fileName : DenseWeightsCSV.fileName
    try? fm.removeItem(atPath: Paths.join(artifacts, stale))
    committed = true
    try? fm.removeItem(atPath: tmp)
    return WrittenArtifacts(format: format, files: files)
  }

  static func rename(_ from: String, _ to: String) throws {
    if Glibc.rename(from, to) != 0 {
      throw NgramError.io("cannot move \(from) to \(to): \(NgramError.reason(errno: errno))")
    }
  }

  /// Loads `DIR/artifacts` (written by ngram-tui or by the Python reference), validating every line.
  public static func load(directory: String) throws -> LoadedArtifacts {
    let dir = Paths.join(directory, "artifacts")
    let meta = try ArtifactMeta.read(Paths.join(dir, ArtifactMeta.fileName))
    let vocabPath = Paths.join(dir, VocabularyCSV.fileName)
    let vocab = try VocabularyCSV.read(vocabPath)
    if let v = meta.vocabSize, v != vocab.count {
      throw NgramError.malformed(
        file: vocabPath, line: vocab.count + 1, reason: "\(vocab.count) tokens but 00_meta.json says vocab_size \(v)")
    }
    let format = meta.weightsFormat
    let weightsName = format.fileName!
    let weightsPath = Paths.join(dir, weightsName)
    guard LineReading.exists(weightsPath) else {
      throw NgramError.artifactsMissing(directory: dir, file: weightsName)
    }
    let n = meta.contextLength.value
    let model =
      format == .dense
      ? try DenseWeightsCSV.read(weightsPath, vocabulary: vocab, contextLength: n)
      : try CompactWeightsTSV.read(weightsPath, vocabulary: vocab, contextLength: n)
    return LoadedArtifacts(model: model, meta: meta)
  }
}
