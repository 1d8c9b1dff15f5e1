import Foundation
import Testing

@testable import NgramEngine

/// One round trip per artifact format: each format's reader and writer undo each other. Where the
/// Python reference wrote the file (the `quoting_and_unicode` conformance case: quoted, comma and
/// non-ASCII tokens), reading the reference's file and writing it back must give its exact bytes.
@Suite("Artifact formats: one round trip per format")
struct ArtifactFormatTests {
  static let reference = Fixtures.named("conformance", "quoting_and_unicode")
  var artifacts: URL { Self.reference.expected.appendingPathComponent("artifacts") }
  var outputs: URL { Self.reference.expected.appendingPathComponent("outputs") }

  func bytes(_ url: URL) throws -> [UInt8] { try #require(readBytes(url.path)) }

  /// The reference's vocabulary and dense weights, read by our readers.
  func referenceModel() throws -> NgramModel {
    let vocab = try VocabularyCSV.read(artifacts.appendingPathComponent(VocabularyCSV.fileName).path)
    return try DenseWeightsCSV.read(
      artifacts.appendingPathComponent(DenseWeightsCSV.fileName).path, vocabulary: vocab, contextLength: 2)
  }

  /// A model trained here, with every row at full precision.
  func trainedModel(contextLength: Int = 2) throws -> (Corpus, NgramModel, [EpochStats]) {
    let bytes = try bytes(Self.reference.corpusURL)
    let corpus = try Corpus(bytes: bytes, path: Self.reference.corpusURL.path)
    let config = TrainingConfig(contextLength: contextLength, epochs: 5)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    return (corpus, model, log)
  }

  @Test(
    "00_meta.json: the reference's meta reads as typed facts; ours writes, reads back equal and re-renders byte for byte"
  )
  func meta() throws {
    let ref = try ArtifactMeta.read(artifacts.appendingPathComponent(ArtifactMeta.fileName).path)
    #expect(ref.modelKind == "context2")
    #expect(ref.contextLength.value == 2)
    #expect(ref.vocabSize == 10)
    #expect(ref.training.learningRate == 0.1)
    #expect(ref.training.epochs == 50)
    #expect(ref.weights == nil)
    #expect(ref.weightsFormat == .dense)
    #expect(ref.corpus.path == "corpus/quoting_and_unicode.txt")
    #expect(ref.artifacts.contains(DenseWeightsCSV.fileName))

    let tmp = TempDir("meta-rt")
    defer { tmp.cleanup() }
    let (corpus, model, _) = try trainedModel()
    for format in [WeightsFormat.dense, .compact] {
      let meta = ArtifactMeta(
        directory: tmp.path, corpus: corpus, config: TrainingConfig(epochs: 5, holdout: 0.25), format: format,
        files: [ArtifactMeta.fileName, format.fileName!], model: model)
      let path = tmp.url.appendingPathComponent("00_meta.json").path
      try meta.write(to: path)
      let back = try ArtifactMeta.read(path)
      #expect(back == meta)
      #expect(back.rendered() == meta.rendered())
      #expect(back.weightsFormat == format)
      #expect(back.training.holdout == 0.25)
      #expect(back.startTokens == corpus.tokenIDs.prefix(2).map { corpus.vocabulary.tokens[Int($0)] })
    }
  }

  @Test("01_vocabulary.csv: the reference's file reads and writes back byte for byte")
  func vocabulary() throws {
    let file = artifacts.appendingPathComponent(VocabularyCSV.fileName)
    let vocab = try VocabularyCSV.read(file.path)
    #expect(vocab.tokens.contains("\"hi\","))
    #expect(vocab.tokens.contains("a,b"))
    let tmp = TempDir("vocab-rt")
    defer { tmp.cleanup() }
    let out = tmp.url.appendingPathComponent("v.csv")
    try VocabularyCSV.write(vocab, to: out.path)
    #expect(try bytes(out) == bytes(file))
    let again = try VocabularyCSV.read(out.path)
    #expect(again.tokens == vocab.tokens && again.frequencies == vocab.frequencies)
  }

  @Test("02_model_weights.csv: the reference's dense weights read and write back byte for byte")
  func denseWeights() throws {
    let file = artifacts.appendingPathComponent(DenseWeightsCSV.fileName)
    let model = try referenceModel()
    let tmp = TempDir("dense-rt")
    defer { tmp.cleanup() }
    let out = tmp.url.appendingPathComponent("w.csv")
    try DenseWeightsCSV.write(model, trained: ReferenceRows.trained(model), to: out.path, isCancelled: { false })
    #expect(try bytes(out) == bytes(file))
  }

  @Test(
    "02_model_weights.sparse.tsv: a trained model writes, reads back with every weight exact, and rewrites identically")
  func compactWeights() throws {
    let (_, model, _) = try trainedModel()
    let tmp = TempDir("compact-rt")
    defer { tmp.cleanup() }
    let out = tmp.url.appendingPathComponent("w.tsv")
    try CompactWeightsTSV.write(model, trained: ReferenceRows.trained(model), to: out.path, isCancelled: { false })
    let back = try CompactWeightsTSV.read(out.path, vocabulary: model.vocabulary, contextLength: 2)
    #expect(back.trainedRowCount == model.trainedRowCount)
    for r in 0..<model.trainedRowCount {
      let context = (0..<2).map { Int(model.rowContexts[r * 2 + $0]) }
      let b = try #require(back.row(for: context))
      for c in 0..<model.vocabulary.count {
        #expect(back.weight(row: b, column: c) == model.weight(row: r, column: c))
      }
    }
    let out2 = tmp.url.appendingPathComponent("w2.tsv")
    try CompactWeightsTSV.write(back, trained: ReferenceRows.trained(back), to: out2.path, isCancelled: { false })
    #expect(try bytes(out2) == bytes(out))
  }

  @Test("03_token_embeddings.csv: written from the reference's weights it equals the reference's file, and reads back")
  func embeddings() throws {
    let file = artifacts.appendingPathComponent(EmbeddingsCSV.fileName)
    let model = try referenceModel()
    let tmp = TempDir("emb-rt")
    defer { tmp.cleanup() }
    let out = tmp.url.appendingPathComponent("e.csv")
    let trained = ReferenceRows.trained(model)
    try EmbeddingsCSV.write(model, trained: trained, dense: true, to: out.path, isCancelled: { false })
    #expect(try bytes(out) == bytes(file))
    let rows = try EmbeddingsCSV.read(out.path)
    let v = model.vocabulary.count
    #expect(rows.count == v * v)
    for (ref, r) in trained {
      #expect(rows[ref].row == ref)
      #expect(rows[ref].label == ReferenceRows.label(referenceRow: ref, model: model))
      #expect(rows[ref].x == model.weight(row: r, column: 0))
      #expect(rows[ref].y == model.weight(row: r, column: 1))
    }
    // Compact: the trained rows only.
    let out2 = tmp.url.appendingPathComponent("e2.csv")
    try EmbeddingsCSV.write(model, trained: trained, dense: false, to: out2.path, isCancelled: { false })
    #expect(try EmbeddingsCSV.read(out2.path).map(\.row) == trained.map(\.ref))
  }

  @Test("outputs/train_log.csv: the reference's log reads and writes back byte for byte")
  func trainLog() throws {
    let file = outputs.appendingPathComponent(TrainLogCSV.fileName)
    let log = try TrainLogCSV.read(file.path)
    #expect(log.count == 50)
    #expect(log.map(\.epoch) == Array(1...50))
    let tmp = TempDir("log-rt")
    defer { tmp.cleanup() }
    let out = tmp.url.appendingPathComponent("l.csv")
    try TrainLogCSV.write(log, to: out.path)
    #expect(try bytes(out) == bytes(file))
  }

  @Test("outputs/eval_log.csv: a held-out log writes, reads back at its precision, and rewrites identically")
  func evalLog() throws {
    let stats = [
      ValidationStats(epoch: 1, valLoss: 2.302585092994046, unseenContexts: 0.25),
      ValidationStats(epoch: 2, valLoss: 1.0000000049, unseenContexts: 1.0 / 3),
    ]
    let tmp = TempDir("eval-rt")
    defer { tmp.cleanup() }
    let out = tmp.url.appendingPathComponent("e.csv")
    try EvalLogCSV.write(stats, to: out.path)
    #expect(
      String(decoding: try bytes(out), as: UTF8.self)
        == "epoch,val_loss,val_perplexity,unseen_contexts\r\n1,2.30258509,10.000000,0.250000\r\n2,1.00000000,2.718282,0.333333\r\n"
    )
    let back = try EvalLogCSV.read(out.path)
    #expect(back.map(\.epoch) == [1, 2])
    #expect(back[0].valLoss == 2.30258509 && back[1].unseenContexts == 0.333333)
    let out2 = tmp.url.appendingPathComponent("e2.csv")
    try EvalLogCSV.write(back, to: out2.path)
    #expect(try bytes(out2) == bytes(out))
  }

  @Test("writers close their file when cancelled or failing, and a cancel stops the big writers")
  func writersCloseOnEveryPath() throws {
    let (_, model, _) = try trainedModel()
    let tmp = TempDir("close")
    defer { tmp.cleanup() }
    let trained = ReferenceRows.trained(model)
    let path = tmp.url.appendingPathComponent("x").path
    let writers: [(String, () throws -> Void)] = [
      ("dense", { try DenseWeightsCSV.write(model, trained: trained, to: path, isCancelled: { true }) }),
      ("compact", { try CompactWeightsTSV.write(model, trained: trained, to: path, isCancelled: { true }) }),
      (
        "embeddings", { try EmbeddingsCSV.write(model, trained: trained, dense: true, to: path, isCancelled: { true }) }
      ),
      ("vocabulary", { try VocabularyCSV.write(model.vocabulary, to: path, isCancelled: { true }) }),
    ]
    for (name, write) in writers {
      #expect(thrownError(write) as? NgramError == .cancelled, "\(name)")
    }
    // A body that throws still closes: the file can be removed and its descriptor is gone.
    struct Boom: Error {}
    var held: ByteWriter?
    #expect(
      thrownError {
        try ByteWriter.write(path) { w in
          held = w; throw Boom()
        }
      } is Boom)
    #expect(held?.isClosed == true)
  }
}
