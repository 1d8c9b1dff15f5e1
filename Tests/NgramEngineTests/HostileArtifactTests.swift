import Foundation
import Testing

@testable import NgramEngine

/// Issue 8: readers bounded by what the meta declares, and the validation gaps closed. Every
/// hostile file is made here, in a temporary directory; the "2 GiB" files are sparse.
@Suite("Hostile artifacts: bounded reading and validation")
struct HostileArtifactTests {
  static let catDog = "the cat sat on the mat\nthe dog sat on the rug\nthe cat lay on the rug\nthe dog lay on the mat\n"

  /// Trains cat/dog (context 2, vocabulary cat dog lay mat on rug sat the) into a fresh directory.
  func trained(_ format: WeightsFormat = .dense) throws -> (TempDir, URL) {
    let tmp = TempDir("hostile")
    let dir = tmp.sub("run")
    let path = makeCorpusDir(dir, text: Self.catDog)
    let corpus = try Corpus.load(path: path)
    let config = TrainingConfig(epochs: 5)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    _ = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: format)
    // As the reference writes it: no manifest, so each reader meets the hostile file itself
    // (with a manifest, a changed file is refused for not matching it before it is parsed).
    let metaPath = dir.appendingPathComponent("artifacts/00_meta.json").path
    guard case .object(let members) = try JSONParser.parse(readBytes(metaPath)!) else {
      throw NgramError.io("meta is not an object")
    }
    #expect(members.contains { $0.0 == "manifest" })
    try write(metaPath, JSONValue.object(members.filter { $0.0 != "manifest" }).rendered() + "\n")
    _ = try ArtifactStore.load(directory: dir.path)
    return (tmp, dir)
  }

  @Test("with a manifest, a vocabulary linked to /dev/zero is refused as not belonging to the set")
  func manifestRefusesZeroLink() throws {
    let tmp = TempDir("hostile-manifest")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    let corpus = try Corpus.load(path: makeCorpusDir(dir, text: Self.catDog))
    let (model, log) = try Trainer(corpus: corpus, config: TrainingConfig(epochs: 5)).train()
    _ = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: TrainingConfig(epochs: 5), model: model, log: log, format: .dense)
    try zeroLink(artifact(dir, "01_vocabulary.csv"))
    let e = thrownError { _ = try ArtifactStore.load(directory: dir.path) }
    let message = e.map { NgramError.message(for: $0) } ?? ""
    #expect(message.contains("01_vocabulary.csv") && !message.contains("\n"), "\(message)")
  }

  func artifact(_ dir: URL, _ name: String) -> String { dir.appendingPathComponent("artifacts/\(name)").path }

  func text(_ path: String) -> String { String(decoding: readBytes(path)!, as: UTF8.self) }

  func write(_ path: String, _ s: String) throws {
    try? FileManager.default.removeItem(atPath: path)
    try Data(s.utf8).write(to: URL(fileURLWithPath: path))
  }

  /// Replaces `path` with a sparse file of `size` zero bytes (no newline anywhere).
  func sparse(_ path: String, size: off_t) throws {
    try? FileManager.default.removeItem(atPath: path)
    let fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
    #expect(fd >= 0)
    #expect(ftruncate(fd, size) == 0)
    close(fd)
  }

  /// Replaces `path` with a symbolic link to `/dev/zero`.
  func zeroLink(_ path: String) throws {
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
  }

  /// The load error, which must be `malformed` in `file`.
  func loadError(_ dir: URL, file: String, sourceLocation: SourceLocation = #_sourceLocation) -> (
    line: Int, reason: String
  )? {
    let e = thrownError { _ = try ArtifactStore.load(directory: dir.path) }
    let f: String
    let line: Int
    let reason: String
    switch e as? NgramError {
    case .malformed(let file, let l, let r)?, .metaMalformed(let file, let l, let r)?: (f, line, reason) = (file, l, r)
    default:
      Issue.record("expected a malformed-file error, got \(String(describing: e))", sourceLocation: sourceLocation)
      return nil
    }
    #expect(f.hasSuffix("/artifacts/" + file), "\(f)", sourceLocation: sourceLocation)
    #expect(!NgramError.message(for: e!).contains("\n"), sourceLocation: sourceLocation)
    return (line, reason)
  }

  // MARK: bounded reading

  @Test("00_meta.json nested 100,000 deep is an error naming the limit")
  func deepMeta() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    try write(
      artifact(dir, "00_meta.json"), String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
    let e = loadError(dir, file: "00_meta.json")
    #expect(e?.reason.hasPrefix("JSON nested deeper than 64 levels") == true, "\(String(describing: e))")
  }

  @Test("a 2 GiB meta without newline, or /dev/zero, stops at the size limit")
  func hugeMeta() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    try sparse(artifact(dir, "00_meta.json"), size: 2 << 30)
    #expect(loadError(dir, file: "00_meta.json")?.reason.hasPrefix("larger than \(16 << 20) bytes") == true)
    try zeroLink(artifact(dir, "00_meta.json"))
    #expect(loadError(dir, file: "00_meta.json")?.reason.hasPrefix("larger than \(16 << 20) bytes") == true)
  }

  @Test("a vocabulary without newline, or linked to /dev/zero, stops at the longest line the corpus allows")
  func hugeVocabulary() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    // The meta declares num_chars 92: no line can be longer than 8 x 92 + 64 bytes.
    for make in [{ try self.sparse($0, size: 2 << 30) }, { try self.zeroLink($0) }] as [(String) throws -> Void] {
      try make(artifact(dir, "01_vocabulary.csv"))
      let e = loadError(dir, file: "01_vocabulary.csv")
      #expect(e?.line == 1)
      #expect(e?.reason.hasPrefix("line longer than \(8 * 92 + 64) bytes") == true, "\(String(describing: e))")
    }
  }

  @Test("more tokens than vocab_size stop at the first one too many")
  func tooManyTokens() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    let path = artifact(dir, "01_vocabulary.csv")
    try write(path, text(path) + (8..<1000).map { "\($0),w\($0),1\r\n" }.joined())
    let e = loadError(dir, file: "01_vocabulary.csv")
    #expect(e?.line == 10)
    #expect(e?.reason == "more than the 8 tokens 00_meta.json declares (vocab_size)")
  }

  @Test("2 GiB weights without newline stop at the longest line the vocabulary allows", arguments: [true, false])
  func hugeWeights(dense: Bool) throws {
    let (tmp, dir) = try trained(dense ? .dense : .compact)
    defer { tmp.cleanup() }
    let name = dense ? "02_model_weights.csv" : CompactWeightsTSV.fileName
    try sparse(artifact(dir, name), size: 2 << 30)
    let e = loadError(dir, file: name)
    #expect(e?.line == 1)
    #expect(e?.reason.hasPrefix("line longer than") == true, "\(String(describing: e))")
  }

  @Test("a dense header with 100,000 columns is a line too long, not 100,000 fields")
  func hugeHeader() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    let path = artifact(dir, "02_model_weights.csv")
    var l = text(path).components(separatedBy: "\r\n")
    l[0] += String(repeating: ",x", count: 100_000)
    try write(path, l.joined(separator: "\r\n"))
    let e = loadError(dir, file: "02_model_weights.csv")
    #expect(e?.line == 1)
    #expect(e?.reason.hasPrefix("line longer than") == true, "\(String(describing: e))")
  }

  // MARK: validation

  @Test("a compact row naming one column twice is rejected on its line")
  func compactColumnTwice() throws {
    let (tmp, dir) = try trained(.compact)
    defer { tmp.cleanup() }
    let path = artifact(dir, CompactWeightsTSV.fileName)
    var l = text(path).components(separatedBy: "\n")
    let row = try #require(l.firstIndex { !$0.hasPrefix("#") && $0.split(separator: "\t").count == 3 })
    let first = String(l[row].split(separator: "\t")[2].split(separator: " ")[0])
    l[row] += " " + first
    try write(path, l.joined(separator: "\n"))
    let e = loadError(dir, file: CompactWeightsTSV.fileName)
    #expect(e?.line == row + 1)
    let column = first.split(separator: ":")[0]
    #expect(e?.reason == "column \(column) is named twice in this row: each column at most once")
  }

  @Test("a compact context listed twice, or out of range, is rejected on its line")
  func compactRows() throws {
    let (tmp, dir) = try trained(.compact)
    defer { tmp.cleanup() }
    let path = artifact(dir, CompactWeightsTSV.fileName)
    let original = text(path)
    var l = original.components(separatedBy: "\n")
    let row = try #require(l.firstIndex { !$0.hasPrefix("#") && !$0.isEmpty })
    // The same context again, in place of the next row (the row count stays right).
    let context = l[row].split(separator: "\t")[0]
    l[row + 1] =
      context + "\t"
      + l[row + 1].split(separator: "\t", omittingEmptySubsequences: false).dropFirst()
      .joined(separator: "\t")
    try write(path, l.joined(separator: "\n"))
    var e = loadError(dir, file: CompactWeightsTSV.fileName)
    #expect(e?.line == row + 2)
    #expect(e?.reason == "context \(context) is listed twice (also on line \(row + 1)): one row per context")
    // A token id beyond the vocabulary.
    l = original.components(separatedBy: "\n")
    l[row] =
      "3 8\t" + l[row].split(separator: "\t", omittingEmptySubsequences: false).dropFirst().joined(separator: "\t")
    try write(path, l.joined(separator: "\n"))
    e = loadError(dir, file: CompactWeightsTSV.fileName)
    #expect(e?.line == row + 1)
    #expect(e?.reason == "context is not 2 token ids below 8")
    // More rows than its header declares.
    l = original.components(separatedBy: "\n")
    let rowsLine = try #require(l.firstIndex { $0.hasPrefix("#rows ") })
    l[rowsLine] = "#rows 2"
    try write(path, l.joined(separator: "\n"))
    e = loadError(dir, file: CompactWeightsTSV.fileName)
    #expect(e?.line == row + 3)
    #expect(e?.reason == "more rows than the 2 its '#rows' line declares")
  }

  @Test("a vocabulary with one token twice is rejected on the second")
  func vocabularyTokenTwice() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    let path = artifact(dir, "01_vocabulary.csv")
    try write(path, text(path).replacingOccurrences(of: "\r\n1,dog,", with: "\r\n1,cat,"))
    let e = loadError(dir, file: "01_vocabulary.csv")
    #expect(e?.line == 3)
    #expect(e?.reason == "token 'cat' appears twice (also on line 2): tokens must be distinct")
  }

  @Test("swapped dense rows are rejected: a label must match its position")
  func denseRowsSwapped() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    let path = artifact(dir, "02_model_weights.csv")
    var l = text(path).components(separatedBy: "\r\n")
    l.swapAt(2, 3)  // rows cat|dog and cat|lay
    try write(path, l.joined(separator: "\r\n"))
    let e = loadError(dir, file: "02_model_weights.csv")
    #expect(e?.line == 3)
    #expect(e?.reason.hasPrefix("row 2 is labelled 'cat|lay' but its position is that of 'cat|dog'") == true)
  }

  @Test("swapped dense header columns are rejected: a column must be headed by its token")
  func denseColumnsSwapped() throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    let path = artifact(dir, "02_model_weights.csv")
    try write(path, text(path).replacingOccurrences(of: "input_token,cat,dog,", with: "input_token,dog,cat,"))
    let e = loadError(dir, file: "02_model_weights.csv")
    #expect(e?.line == 1)
    #expect(e?.reason == "column 2 is headed 'dog' but token 0 of the vocabulary is 'cat'")
  }

  @Test(
    "a meta with weights.format 'weird' or vocab_size as a string is rejected",
    arguments: [
      (
        "\"format\": \"dense\"", "\"format\": \"weird\"",
        "unsupported weights.format \"weird\" (expected dense or compact)"
      ),
      ("\"vocab_size\": 8", "\"vocab_size\": \"8\"", "\"vocab_size\" must be a whole number"),
    ])
  func metaTypes(find: String, replace: String, reason: String) throws {
    let (tmp, dir) = try trained()
    defer { tmp.cleanup() }
    let path = artifact(dir, "00_meta.json")
    let original = text(path)
    #expect(original.contains(find))
    try write(path, original.replacingOccurrences(of: find, with: replace))
    #expect(loadError(dir, file: "00_meta.json")?.reason == reason)
  }
}
