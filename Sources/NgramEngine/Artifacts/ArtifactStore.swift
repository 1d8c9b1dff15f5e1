import Dispatch
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

  /// The concrete format this request writes for a vocabulary of `v` words at context length
  /// `n`: `auto` is dense up to `denseCellLimit` numbers, else compact; `dense` over the limit
  /// throws `NgramError.denseTooLarge`.
  func resolved(vocabSize v: Int, contextLength n: Int, denseCellLimit: Int) throws -> WeightsFormat {
    let cells = Self.denseCellCount(vocabSize: v, contextLength: n)
    switch self {
    case .auto: return cells <= denseCellLimit ? .dense : .compact
    case .dense:
      guard cells <= denseCellLimit else { throw NgramError.denseTooLarge(cells: cells, limit: denseCellLimit) }
      return .dense
    case .compact: return .compact
    }
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
/// `CompactWeightsTSV`, `EmbeddingsCSV`, `TrainLogCSV`, `EvalLogCSV`); the layout that commits a
/// set in one step is `SetDirectory`'s.
public enum ArtifactStore {
  /// Takes the folder's writer lock: a second writer on the same folder gets an error naming the
  /// pid that holds it. The kernel releases it when the process ends, however it ends.
  /// Also refuses at once an `artifacts` or `outputs` that is not a directory or ngram-tui's link.
  public static func lock(directory: String) throws -> ArtifactLock {
    let store = SetDirectory(directory: directory)
    try store.checkLinks()
    return try store.lock()
  }

  /// Artifact writes in progress in this process, and whether the process is ending.
  static let writeGate = Mutex<(writes: Int, ending: Bool)>((0, false))

  /// Runs `body` — which ends the process, e.g. on Ctrl-C — at once when no set is being
  /// written in this process, and keeps any write from starting before it; returns false without
  /// running it while a write is in progress (that write polls its `isCancelled` and removes
  /// its files itself). Reading, indexing and training leave no files behind, so a program can
  /// end in those phases without waiting for them to notice a cancel.
  public static func endIfNotWriting(_ body: () -> Never) -> Bool {
    writeGate.withLock { gate in
      guard gate.writes == 0 else { return false }
      gate.ending = true
      body()
    }
  }

  /// Writes a complete new set — `artifacts/*`, `outputs/train_log.csv` (and `outputs/eval_log.csv`
  /// with a holdout) — under `directory` and commits it in one atomic step: after a crash or a
  /// failure at any point, readers see either the whole previous set or the whole new one.
  ///
  /// - Parameters:
  ///   - directory: the run folder (`artifacts/` and `outputs/` go under it).
  ///   - corpus: the corpus the model was trained on (its file, hash and counts go in the meta).
  ///   - config: the training settings.
  ///   - model: the trained model.
  ///   - log: one line per epoch, as `outputs/train_log.csv`.
  ///   - requested: the weights format (`auto` picks dense below `denseCellLimit` cells).
  ///   - denseCellLimit: the most cells `auto` writes as dense `02_model_weights.csv`.
  ///   - validation: the held-out scores per epoch (`outputs/eval_log.csv`), empty without a holdout.
  ///   - lock: the folder's lock, if the caller took it before training; taken here otherwise.
  ///   - isCancelled: polled while writing; when it turns true the new set is removed, the
  ///     previous one stays current, and `NgramError.cancelled` is thrown.
  public static func write(
    directory: String, corpus: Corpus, config: TrainingConfig, model: NgramModel, log: [EpochStats],
    format requested: WeightsFormat, denseCellLimit: Int = WeightsFormat.defaultDenseCellLimit,
    validation: [ValidationStats] = [], lock: ArtifactLock? = nil, isCancelled: @Sendable () -> Bool = { false }
  ) throws -> WrittenArtifacts {
    let v = model.vocabulary.count
    let format = try requested.resolved(
      vocabSize: v, contextLength: config.contextLength, denseCellLimit: denseCellLimit)
    func check() throws { if isCancelled() { throw NgramError.cancelled } }
    // Sorting millions of rows takes a moment: do it before any file exists, where a cancel
    // can end the process at once.
    let trained = ReferenceRows.trained(model)
    try check()
    try writeGate.withLock { gate in
      if gate.ending { throw NgramError.cancelled }
      gate.writes += 1
    }
    // Declared first, so it runs last: after the new set is removed on a failure.
    defer { writeGate.withLock { $0.writes -= 1 } }
    let store = SetDirectory(directory: directory)
    let held = try lock ?? Self.lock(directory: directory)
    defer { withExtendedLifetime(held) {} }
    try store.checkLinks()
    try store.recover()
    try check()

    let set = try store.newSet()
    // Whatever fails, a set that did not become current is removed (and one that did is kept).
    defer { if store.currentSet.map(Paths.lastComponent) != Paths.lastComponent(set) { store.removeSet(set) } }
    try Fault.point("set-created")
    let artifacts = Paths.join(set, "artifacts")
    let outputs = Paths.join(set, "outputs")
    var manifest: [ArtifactMeta.ManifestEntry] = []
    func record(_ path: String, _ d: FileDigest) {
      manifest.append(ArtifactMeta.ManifestEntry(path: path, bytes: d.bytes, sha256: d.sha256))
    }

    let weightsName = format.fileName!
    let files = [ArtifactMeta.fileName, VocabularyCSV.fileName, weightsName, EmbeddingsCSV.fileName]
    record("outputs/" + TrainLogCSV.fileName, try TrainLogCSV.write(log, to: Paths.join(outputs, TrainLogCSV.fileName)))
    if !validation.isEmpty {
      record(
        "outputs/" + EvalLogCSV.fileName, try EvalLogCSV.write(validation, to: Paths.join(outputs, EvalLogCSV.fileName))
      )
    }
    try Fault.point("wrote-" + TrainLogCSV.fileName)
    record(
      "artifacts/" + VocabularyCSV.fileName,
      try VocabularyCSV.write(
        model.vocabulary, to: Paths.join(artifacts, VocabularyCSV.fileName), isCancelled: isCancelled))
    try Fault.point("wrote-" + VocabularyCSV.fileName)
    try check()
    // The weights and the embeddings are the two large files: write them on two threads.
    let results = Mutex<[Int: Result<FileDigest, Error>]>([:])
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      let r = Result<FileDigest, Error> {
        if i == 0 {
          let path = Paths.join(artifacts, weightsName)
          return format == .dense
            ? try DenseWeightsCSV.write(model, trained: trained, to: path, isCancelled: isCancelled)
            : try CompactWeightsTSV.write(model, trained: trained, to: path, isCancelled: isCancelled)
        }
        return try EmbeddingsCSV.write(
          model, trained: trained, dense: format == .dense, to: Paths.join(artifacts, EmbeddingsCSV.fileName),
          isCancelled: isCancelled)
      }
      results.withLock { $0[i] = r }
    }
    let done = results.withLock { $0 }
    record("artifacts/" + weightsName, try done[0]!.get())
    record("artifacts/" + EmbeddingsCSV.fileName, try done[1]!.get())
    try Fault.point("wrote-weights")
    try check()
    let meta = ArtifactMeta(
      directory: directory, corpus: corpus, config: config, format: format, files: files, model: model,
      manifest: manifest)
    try meta.write(to: Paths.join(artifacts, ArtifactMeta.fileName))
    try Fault.point("wrote-" + ArtifactMeta.fileName)
    try check()
    for dir in [artifacts, outputs, set, store.sets] { try store.syncDirectory(dir) }
    try Fault.point("synced")

    // Commit: the links exist (they point into `current`), then `current` moves in one rename.
    try store.makeLinks()
    try check()
    let previous = store.currentSet
    try store.switchCurrent(to: set)
    if let previous, previous != set { store.removeSet(previous) }
    try Fault.point("cleaned")
    return WrittenArtifacts(format: format, files: files)
  }

  /// Where the newest complete set of `directory` is: its `artifacts` and `outputs` folders,
  /// resolved once (read both from here, not through `DIR/artifacts` and `DIR/outputs` one
  /// after the other, so that a run committing in between cannot give a mix).
  public static func locate(directory: String) -> (artifacts: String, outputs: String) {
    let r = SetDirectory(directory: directory).resolve()
    return (r.artifacts, r.outputs)
  }

  /// Loads the newest complete set of `directory` (written by ngram-tui, or by the Python
  /// reference: real `artifacts/` and `outputs/` folders), validating every line and, when the
  /// meta has a manifest, that every file is the one written with it (size and SHA-256).
  public static func load(directory: String) throws -> LoadedArtifacts {
    let store = SetDirectory(directory: directory)
    var attempt = 0
    while true {
      let where_ = store.resolve()
      do {
        return try load(set: where_)
      } catch {
        // A writer may have committed a newer set (and removed this one) while it was read.
        attempt += 1
        if attempt >= 3 || store.resolve() == where_ { throw error }
      }
    }
  }

  static func load(set: SetDirectory.Resolved) throws -> LoadedArtifacts {
    let dir = set.artifacts
    let meta = try ArtifactMeta.read(Paths.join(dir, ArtifactMeta.fileName))
    let vocabPath = Paths.join(dir, VocabularyCSV.fileName)
    let format = meta.weightsFormat
    let weightsName = format.fileName!
    let weightsPath = Paths.join(dir, weightsName)
    // Check the manifest (sizes first, then hashes on a second thread while the model is read).
    if let manifest = meta.manifest {
      for e in manifest {
        let path = manifestPath(e.path, set)
        var st = stat()
        guard stat(path, &st) == 0 else {
          throw NgramError.artifactsMissing(directory: Paths.parent(path), file: Paths.lastComponent(path))
        }
        guard Int(st.st_size) == e.bytes else {
          throw mismatch(path, "\(st.st_size) bytes, the meta's manifest says \(e.bytes)")
        }
      }
    }
    let hashCheck = Mutex<Error?>(nil)
    let loaded = Mutex<Result<NgramModel, Error>?>(nil)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      if i == 1 {
        for e in meta.manifest ?? [] {
          let path = manifestPath(e.path, set)
          do {
            let sha = try sha256(of: path)
            if sha != e.sha256 {
              hashCheck.withLock { $0 = mismatch(path, "its SHA-256 differs from the meta's manifest") }
              return
            }
          } catch {
            hashCheck.withLock { $0 = error }
            return
          }
        }
        return
      }
      let r = Result<NgramModel, Error> {
        // Bounded by what the meta declares: no more tokens than vocab_size, none longer than the corpus.
        let vocab = try VocabularyCSV.read(
          vocabPath, expectedCount: meta.vocabSize,
          maxLineLength: VocabularyCSV.maxLineLength(numChars: meta.corpus.numChars))
        if let v = meta.vocabSize, v != vocab.count {
          throw NgramError.malformed(
            file: vocabPath, line: vocab.count + 1,
            reason: "\(vocab.count) tokens but 00_meta.json says vocab_size \(v)")
        }
        guard LineReading.exists(weightsPath) else {
          throw NgramError.artifactsMissing(directory: dir, file: weightsName)
        }
        let n = meta.contextLength.value
        return format == .dense
          ? try DenseWeightsCSV.read(weightsPath, vocabulary: vocab, contextLength: n)
          : try CompactWeightsTSV.read(weightsPath, vocabulary: vocab, contextLength: n)
      }
      loaded.withLock { $0 = r }
    }
    // A file that does not belong to the meta explains any parse error it causes.
    if let e = hashCheck.withLock({ $0 }) { throw e }
    let model = try loaded.withLock { $0 }!.get()
    return LoadedArtifacts(model: model, meta: meta)
  }

  static func manifestPath(_ relative: String, _ set: SetDirectory.Resolved) -> String {
    if relative.hasPrefix("outputs/") { return Paths.join(set.outputs, String(relative.dropFirst(8))) }
    if relative.hasPrefix("artifacts/") { return Paths.join(set.artifacts, String(relative.dropFirst(10))) }
    return Paths.join(set.artifacts, relative)
  }

  static func mismatch(_ path: String, _ why: String) -> NgramError {
    NgramError.artifactChanged(file: path, reason: why)
  }

  static func sha256(of path: String) throws -> String {
    guard let f = fopen(path, "rb") else { throw NgramError.unreadable(file: path, reason: "cannot open the file") }
    defer { fclose(f) }
    var hasher = SHA256()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, f) }
      if n == 0 { break }
      chunk.withUnsafeBufferPointer { hasher.update(UnsafeBufferPointer(rebasing: $0[0..<n])) }
    }
    return hasher.hexDigest()
  }
}
