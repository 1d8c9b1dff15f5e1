import Foundation
import Synchronization

/// How the model weights are written.
public enum WeightsFormat: String, Sendable, CaseIterable {
  /// The reference's `02_model_weights.csv`: V^n rows of V numbers.
  case dense
  /// Our lossless `02_model_weights.sparse.tsv`: trained rows only, full precision.
  case compact
  /// Dense when it has at most `ArtifactWriter.defaultDenseCellLimit` numbers, else compact.
  case auto
}

/// What `ArtifactWriter.write` produced.
public struct WrittenArtifacts: Sendable {
  /// The weights format used.
  public let format: WeightsFormat
  /// Files written under `artifacts/`, by name.
  public let files: [String]
}

/// Writes the artifacts of a training run atomically: everything goes to a temporary sibling
/// directory first and is renamed into place only once complete.
public enum ArtifactWriter {
  /// The largest dense weights table written by `--weights auto`, in numbers (V^n × V).
  public static let defaultDenseCellLimit = 200_000_000
  /// The compact weights file name.
  public static let compactWeightsFile = "02_model_weights.sparse.tsv"
  /// The dense (reference) weights file name.
  public static let denseWeightsFile = "02_model_weights.csv"

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

  /// Writes `artifacts/*` and `outputs/train_log.csv` under `directory`.
  ///
  /// - Parameter isCancelled: polled while writing; when it turns true the temporary files are
  ///   removed, nothing is renamed, and `NgramError.cancelled` is thrown.
  public static func write(
    directory: String, corpus: Corpus, config: TrainingConfig, model: NgramModel, log: [EpochStats],
    format requested: WeightsFormat, denseCellLimit: Int = defaultDenseCellLimit, validation: [ValidationStats] = [],
    isCancelled: @Sendable () -> Bool = { false }
  ) throws -> WrittenArtifacts {
    let v = model.vocabulary.count
    let cells = denseCellCount(vocabSize: v, contextLength: config.contextLength)
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
    let tmp = (directory as NSString).appendingPathComponent(
      ".ngram-tui-tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
      try fm.createDirectory(atPath: tmp, withIntermediateDirectories: true)
    } catch {
      throw NgramError.io("cannot create a temporary directory in \(directory): \(error.localizedDescription)")
    }
    var committed = false
    defer { if !committed { try? fm.removeItem(atPath: tmp) } }
    func check() throws { if isCancelled() { throw NgramError.cancelled } }

    let weightsName = format == .dense ? denseWeightsFile : compactWeightsFile
    let files = ["00_meta.json", "01_vocabulary.csv", weightsName, "03_token_embeddings.csv"]
    try writeTrainLog(log, to: (tmp as NSString).appendingPathComponent("train_log.csv"))
    if !validation.isEmpty {
      try writeEvalLog(validation, to: (tmp as NSString).appendingPathComponent("eval_log.csv"))
    }
    try writeVocabulary(model.vocabulary, to: (tmp as NSString).appendingPathComponent("01_vocabulary.csv"))
    try check()
    // The weights and the embeddings are the two large files: write them on two threads.
    let failures = Mutex<[Error]>([])
    let tmpDir = tmp
    let trained = rowsByReferenceIndex(model)
    DispatchQueue.concurrentPerform(iterations: 2) { i in
      do {
        if i == 0 {
          if format == .dense {
            try writeDenseWeights(
              model, trained: trained, to: (tmpDir as NSString).appendingPathComponent(weightsName),
              isCancelled: isCancelled)
          } else {
            try writeCompactWeights(
              model, trained: trained, to: (tmpDir as NSString).appendingPathComponent(weightsName))
          }
        } else {
          try writeEmbeddings(
            model, trained: trained, dense: format == .dense,
            to: (tmpDir as NSString).appendingPathComponent("03_token_embeddings.csv"))
        }
      } catch {
        failures.withLock { $0.append(error) }
      }
    }
    if let first = failures.withLock({ $0.first }) { throw first }
    try check()
    let meta = metaJSON(
      directory: directory, corpus: corpus, config: config, format: format, files: files, model: model)
    try Data(meta.rendered().appending("\n").utf8).write(
      to: URL(fileURLWithPath: (tmp as NSString).appendingPathComponent("00_meta.json")))
    try check()

    // Commit: rename each complete file into place.
    let artifacts = (directory as NSString).appendingPathComponent("artifacts")
    let outputs = (directory as NSString).appendingPathComponent("outputs")
    do {
      try fm.createDirectory(atPath: artifacts, withIntermediateDirectories: true)
      try fm.createDirectory(atPath: outputs, withIntermediateDirectories: true)
    } catch {
      throw NgramError.io("cannot create \(artifacts): \(error.localizedDescription)")
    }
    for name in files {
      try rename((tmp as NSString).appendingPathComponent(name), (artifacts as NSString).appendingPathComponent(name))
    }
    try rename(
      (tmp as NSString).appendingPathComponent("train_log.csv"),
      (outputs as NSString).appendingPathComponent("train_log.csv"))
    let evalLog = (outputs as NSString).appendingPathComponent("eval_log.csv")
    if validation.isEmpty {
      try? fm.removeItem(atPath: evalLog)  // from an earlier run with --holdout; it no longer applies
    } else {
      try rename((tmp as NSString).appendingPathComponent("eval_log.csv"), evalLog)
    }
    // The other weights format, left from an earlier run, no longer describes this model.
    let stale = format == .dense ? compactWeightsFile : denseWeightsFile
    try? fm.removeItem(atPath: (artifacts as NSString).appendingPathComponent(stale))
    committed = true
    try? fm.removeItem(atPath: tmp)
    return WrittenArtifacts(format: format, files: files)
  }

  static func rename(_ from: String, _ to: String) throws {
    if Foundation.rename(from, to) != 0 {
      throw NgramError.io("cannot move \(from) to \(to): \(String(cString: strerror(errno)))")
    }
  }

  static func writeTrainLog(_ log: [EpochStats], to path: String) throws {
    let w = try ByteWriter(path: path)
    w.append("epoch,avg_loss,accuracy\r\n")
    for e in log {
      w.append("\(e.epoch),\(CSV.fixed(e.avgLoss, decimals: 8)),\(CSV.fixed(e.accuracy, decimals: 6))\r\n")
    }
    try w.close()
  }

  /// `epoch,val_loss,val_perplexity,unseen_contexts`, one line per epoch (CRLF, like the train log).
  static func writeEvalLog(_ log: [ValidationStats], to path: String) throws {
    let w = try ByteWriter(path: path)
    w.append("epoch,val_loss,val_perplexity,unseen_contexts\r\n")
    for e in log {
      w.append(
        "\(e.epoch),\(CSV.fixed(e.valLoss, decimals: 8)),\(CSV.fixed(e.valPerplexity, decimals: 6)),\(CSV.fixed(e.unseenContexts, decimals: 6))\r\n"
      )
    }
    try w.close()
  }

  static func writeVocabulary(_ vocab: Vocabulary, to path: String) throws {
    let w = try ByteWriter(path: path)
    w.append("token_id,token,frequency\r\n")
    for (i, t) in vocab.tokens.enumerated() {
      w.append("\(i),")
      w.appendField(t)
      w.append(",\(vocab.frequencies[i])\r\n")
      try w.flushIfLarge()
    }
    try w.close()
  }

  /// The label of a reference row index: the context tokens joined by `|`.
  static func label(referenceRow idx: Int, model: NgramModel) -> String {
    let n = model.contextLength.value
    if n == 0 { return "(no context)" }
    let v = model.vocabulary.count
    var ids = [Int](repeating: 0, count: n)
    var x = idx
    for j in stride(from: n - 1, through: 0, by: -1) {
      ids[j] = x % v
      x /= v
    }
    return ids.map { model.vocabulary.tokens[$0] }.joined(separator: "|")
  }

  /// Trained rows by reference row index (the order every weights and embeddings file uses).
  static func rowsByReferenceIndex(_ model: NgramModel) -> [(ref: Int, row: Int)] {
    (0..<model.trainedRowCount).map { (model.referenceRowIndex($0), $0) }.sorted { $0.ref < $1.ref }
  }

  static func writeDenseWeights(
    _ model: NgramModel, trained: [(ref: Int, row: Int)], to path: String, isCancelled: () -> Bool
  ) throws {
    let v = model.vocabulary.count
    let rows = denseCellCount(vocabSize: v, contextLength: model.contextLength.value) / max(v, 1)
    let w = try ByteWriter(path: path)
    w.appendField("input_token")
    for t in model.vocabulary.tokens {
      w.append(byte: 0x2C)
      w.appendField(t)
    }
    w.append("\r\n")
    let style = CSV.WeightStyle.forContextLength(model.contextLength.value)
    var zero: [UInt8] = []
    CSV.appendWeight(0, style: style, to: &zero)
    var zeros = [UInt8]()
    zeros.reserveCapacity((zero.count + 1) * v + 2)
    for _ in 0..<v {
      zeros.append(0x2C)
      zeros.append(contentsOf: zero)
    }
    zeros.append(0x0D)
    zeros.append(0x0A)
    var ti = 0
    var stamp = [Int32](repeating: -1, count: v)
    var values = [Double](repeating: 0, count: v)
    for idx in 0..<rows {
      w.appendField(label(referenceRow: idx, model: model))
      if ti < trained.count && trained[ti].ref == idx {
        let r = trained[ti].row
        ti += 1
        let start = model.colOffsets[r]
        for q in 0..<Int(model.rowExplicitCount[r]) {
          let c = Int(model.cols[start + q])
          stamp[c] = Int32(r)
          values[c] = model.weights[start + q]
        }
        var defaultText: [UInt8] = []
        CSV.appendWeight(model.rowDefault[r], style: style, to: &defaultText)
        var line: [UInt8] = []
        line.reserveCapacity(8 * v)
        for c in 0..<v {
          line.append(0x2C)
          if stamp[c] == Int32(r) {
            CSV.appendWeight(values[c], style: style, to: &line)
          } else {
            line.append(contentsOf: defaultText)
          }
        }
        line.append(0x0D)
        line.append(0x0A)
        w.append(bytes: line)
      } else {
        w.append(bytes: zeros)
      }
      if idx & 1023 == 0 {
        try w.flushIfLarge()
        if isCancelled() {
          try? w.close()
          throw NgramError.cancelled
        }
      }
    }
    try w.close()
  }

  /// Compact format: a header of `#` lines, then one line per trained row:
  /// `context ids (space-separated) TAB shared weight TAB id:weight id:weight …` (shortest round-trip decimals).
  static func writeCompactWeights(_ model: NgramModel, trained: [(ref: Int, row: Int)], to path: String) throws {
    let w = try ByteWriter(path: path)
    w.append("# ngram-tui sparse weights: one line per trained context row; rows not listed are all zero\n")
    w.append("# fields: context token ids<TAB>weight of every column not listed<TAB>column:weight ...\n")
    w.append("#format ngram-tui-sparse-weights 1\n")
    w.append("#vocab_size \(model.vocabulary.count)\n")
    w.append("#context_length \(model.contextLength.value)\n")
    w.append("#rows \(model.trainedRowCount)\n")
    let n = model.contextLength.value
    for (_, r) in trained {
      for j in 0..<n {
        if j > 0 { w.append(byte: 0x20) }
        w.appendInt(Int(model.rowContexts[r * n + j]))
      }
      w.append(byte: 0x09)
      w.append(model.rowDefault[r].description)
      w.append(byte: 0x09)
      let start = model.colOffsets[r]
      for q in 0..<Int(model.rowExplicitCount[r]) {
        if q > 0 { w.append(byte: 0x20) }
        w.appendInt(Int(model.cols[start + q]))
        w.append(byte: 0x3A)
        w.append(model.weights[start + q].description)
      }
      w.append(byte: 0x0A)
      try w.flushIfLarge()
    }
    try w.close()
  }

  /// `row,label,x,y`: x and y are columns 0 and 1 of each row (all rows when dense, trained rows when compact).
  static func writeEmbeddings(
    _ model: NgramModel, trained: [(ref: Int, row: Int)], dense: Bool, to path: String
  ) throws {
    let w = try ByteWriter(path: path)
    w.append("row,label,x,y\r\n")
    let v = model.vocabulary.count
    let style = CSV.WeightStyle.forContextLength(model.contextLength.value)
    func emit(_ idx: Int, _ row: Int?) {
      w.append("\(idx),")
      w.appendField(label(referenceRow: idx, model: model))
      w.append(byte: 0x2C)
      w.appendWeight(row.map { model.weight(row: $0, column: 0) } ?? 0, style: style)
      w.append(byte: 0x2C)
      w.appendWeight(v >= 2 ? (row.map { model.weight(row: $0, column: 1) } ?? 0) : 0, style: style)
      w.append("\r\n")
    }
    if dense {
      let rows = denseCellCount(vocabSize: v, contextLength: model.contextLength.value) / max(v, 1)
      var ti = 0
      for idx in 0..<rows {
        if ti < trained.count && trained[ti].ref == idx {
          emit(idx, trained[ti].row)
          ti += 1
        } else {
          emit(idx, nil)
        }
        if idx & 1023 == 0 { try w.flushIfLarge() }
      }
    } else {
      for (ref, r) in trained {
        emit(ref, r)
        try w.flushIfLarge()
      }
    }
    try w.close()
  }

  static func metaJSON(
    directory: String, corpus: Corpus, config: TrainingConfig, format: WeightsFormat, files: [String],
    model: NgramModel
  ) -> JSONValue {
    let base = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
    let corpusAbs = URL(fileURLWithPath: corpus.path).standardizedFileURL.resolvingSymlinksInPath().path
    let rel: String
    if corpusAbs.hasPrefix(base + "/") {
      rel = String(corpusAbs.dropFirst(base.count + 1))
    } else {
      rel = corpusAbs
    }
    let repo = (base as NSString).lastPathComponent
    var members: [(String, JSONValue)] = [
      ("repo_name", .string(repo)),
      ("model_kind", .string(config.modelKind)),
      ("vocab_size", .int(model.vocabulary.count)),
      ("context_length", .int(config.contextLength)),
      (
        "training",
        .object([
          ("learning_rate", .double(config.learningRate)),
          ("epochs", .int(config.epochs)),
          (
            "epoch_definition",
            .string(
              "One epoch is a complete pass through all training pairs. Each pair contributes one gradient update.")
          ),
          ("holdout", .double(config.holdout)),
          (
            "trainer",
            .string("ngram-tui exact sparse trainer (same arithmetic as the reference, rows trained in parallel)")
          ),
        ])
      ),
      (
        "corpus",
        .object([
          ("path", .string(rel)),
          ("filename", .string((corpus.path as NSString).lastPathComponent)),
          ("sha256", .string(corpus.sha256)),
          ("num_lines", .int(corpus.numLines)),
          ("num_chars", .int(corpus.numChars)),
          ("num_tokens", .int(corpus.tokenCount)),
          (
            "description",
            .string(
              "The corpus is tokenized sequential text. Training pairs are derived by sliding a fixed-size context window over the token stream."
            )
          ),
        ])
      ),
      ("artifacts", .object(files.map { ($0, .string($0)) })),
      (
        "weights",
        .object([
          ("format", .string(format.rawValue)),
          ("file", .string(format == .dense ? denseWeightsFile : compactWeightsFile)),
          ("trained_rows", .int(model.trainedRowCount)),
          ("explicit_weights", .int(model.explicitWeightCount)),
          (
            "description",
            .string(
              format == .dense
                ? "Reference layout: one row per possible context (V^n rows), V weights each, 4 decimals."
                : "Sparse layout: one line per trained context row: context token ids, the weight shared by every column not listed, then column:weight pairs; full precision; rows not listed are all zero."
            )
          ),
        ])
      ),
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
      ),
      (
        "notes",
        .array([
          .string("This is an intentionally inspectable training pipeline."),
          .string("Models are trained using softmax regression with cross-entropy loss."),
          .string("Weights are updated incrementally via gradient descent."),
          .string("Written by ngram-tui, a Swift re-implementation of toy-gpt train-300 context-2."),
        ])
      ),
    ]
    if config.contextLength >= 1 {
      let first = corpus.tokenIDs.prefix(config.contextLength).map {
        JSONValue.string(corpus.vocabulary.tokens[Int($0)])
      }
      members.append(("start_tokens", .array(first)))
    }
    return .object(members)
  }
}
