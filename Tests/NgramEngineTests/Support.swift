import Foundation
import Testing

@testable import NgramEngine

// Helpers shared by the engine tests: fixtures, temporary directories, and small independent
// readers (CSV, JSON, gzip) so that the engine's output is checked by code that is not the engine's.

/// One conformance case folder: `case.json`, `corpus/<file>`, `expected/…`.
struct ConformanceCase: CustomTestStringConvertible, Sendable {
  let group: String
  let name: String
  let url: URL
  let lr: Double
  /// The learning rate exactly as `case.json` spells it (the checker passes `str(lr)` on the command line).
  let lrText: String
  let epochs: Int
  let context: Int
  let corpusRelative: String
  let expectError: String?

  var testDescription: String { "\(group)/\(name)" }
  var corpusURL: URL { url.appendingPathComponent(corpusRelative) }
  var expected: URL { url.appendingPathComponent("expected") }
  var config: TrainingConfig { TrainingConfig(contextLength: context, learningRate: lr, epochs: epochs) }

  /// Every case under `Fixtures/<group>` (visible: `conformance`, ours: `extra`).
  static func all(_ group: String) -> [ConformanceCase] {
    let root = Fixtures.root.appendingPathComponent(group)
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []).sorted()
    return names.compactMap { name -> ConformanceCase? in
      let dir = root.appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: dir.appendingPathComponent("case.json").path),
        case .object(let o)? = try? MiniJSON.parse(Array(data))
      else { return nil }
      guard case .number(let lrText)? = o["lr"], case .number(let epochsText)? = o["epochs"],
        case .string(let corpus)? = o["corpus"]
      else { return nil }
      var context = 2
      if case .number(let c)? = o["context"] { context = Int(c)! }
      var expectError: String?
      if case .string(let e)? = o["expect_error"] { expectError = e }
      return ConformanceCase(
        group: group, name: name, url: dir, lr: Double(lrText)!, lrText: lrText, epochs: Int(epochsText)!,
        context: context, corpusRelative: corpus, expectError: expectError)
    }
  }
}

enum Fixtures {
  /// The `Fixtures` resource folder of this test bundle.
  static let root: URL = {
    if let u = Bundle.module.url(forResource: "Fixtures", withExtension: nil) { return u }
    return Bundle.module.bundleURL.appendingPathComponent("Fixtures")
  }()

  static let visible = ConformanceCase.all("conformance")
  static let extra = ConformanceCase.all("extra")
  static let allCases = visible + extra
  /// Trained cases whose dense table (V^(n+1) numbers) is small enough for the naive replay.
  static let smallCases = allCases.filter { c in
    guard c.expectError == nil, c.epochs > 0, let bytes = readBytes(c.corpusURL.path),
      let corpus = try? Corpus(bytes: bytes, path: c.corpusURL.path)
    else { return false }
    var cells = corpus.vocabulary.count
    for _ in 0..<c.context { cells *= corpus.vocabulary.count }
    return cells <= 200_000
  }

  static func named(_ group: String, _ name: String) -> ConformanceCase {
    ConformanceCase.all(group).first { $0.name == name }!
  }
}

/// A fresh temporary directory, removed when the value is released by `cleanup()`.
struct TempDir {
  let url: URL
  var path: String { url.path }

  init(_ label: String = "t") {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "ngram-tests-\(label)-\(UUID().uuidString.prefix(8))")
    try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    url = URL(fileURLWithPath: base.path).resolvingSymlinksInPath()
  }

  func sub(_ name: String) -> URL {
    let u = url.appendingPathComponent(name)
    try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
    return u
  }

  func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Creates `dir/corpus/<name>` holding `bytes`; returns the corpus file path.
@discardableResult
func makeCorpusDir(_ dir: URL, name: String = "corpus.txt", bytes: [UInt8]) -> String {
  let c = dir.appendingPathComponent("corpus")
  try! FileManager.default.createDirectory(at: c, withIntermediateDirectories: true)
  let p = c.appendingPathComponent(name).path
  _ = FileManager.default.createFile(atPath: p, contents: Data(bytes))
  return p
}

@discardableResult
func makeCorpusDir(_ dir: URL, name: String = "corpus.txt", text: String) -> String {
  makeCorpusDir(dir, name: name, bytes: Array(text.utf8))
}

/// Reads a file, or its `.gz` sibling decompressed (as the checker does); nil when neither exists.
func readMaybeGz(_ url: URL) -> [UInt8]? {
  if let d = FileManager.default.contents(atPath: url.path) { return Array(d) }
  let gz = url.path + ".gz"
  guard FileManager.default.fileExists(atPath: gz) else { return nil }
  return gunzip(gz)
}

/// Decompresses with the system `gzip` (Foundation on Linux has no zlib API).
func gunzip(_ path: String) -> [UInt8] {
  let p = Process()
  p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  p.arguments = ["gzip", "-dc", path]
  let out = Pipe()
  p.standardOutput = out
  try! p.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  p.waitUntilExit()
  precondition(p.terminationStatus == 0, "gzip -dc \(path) failed")
  return Array(data)
}

func readBytes(_ path: String) -> [UInt8]? {
  FileManager.default.contents(atPath: path).map { Array($0) }
}

/// Trains a case the way `ngram-tui train` does, through the public API, into `DIR/<case name>`.
/// Returns the base directory written.
func trainCase(_ c: ConformanceCase, in tmp: TempDir, format: WeightsFormat = .dense) throws -> URL {
  let dir = tmp.sub(c.name)
  let bytes = readBytes(c.corpusURL.path)!
  let path = makeCorpusDir(dir, name: c.corpusURL.lastPathComponent, bytes: bytes)
  let corpus = try Corpus(bytes: bytes, path: path)
  let trainer = try Trainer(corpus: corpus, config: c.config)
  let (model, log) = try trainer.train()
  _ = try ArtifactStore.write(
    directory: dir.path, corpus: corpus, config: c.config, model: model, log: log, format: format)
  return dir
}

// MARK: - CSV (Python csv module, minimal quoting, \r\n records)

enum MiniCSV {
  /// Parses CSV text into records of fields, as Python's `csv.reader(newline="")` does for our files.
  static func parse(_ bytes: [UInt8]) -> [[String]] {
    var records: [[String]] = []
    var fields: [String] = []
    var field: [UInt8] = []
    var i = 0
    var inQuotes = false
    var any = false
    while i < bytes.count {
      let b = bytes[i]
      if inQuotes {
        if b == 0x22 {
          if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
            field.append(0x22)
            i += 2
            continue
          }
          inQuotes = false
        } else {
          field.append(b)
        }
        i += 1
        continue
      }
      switch b {
      case 0x22: inQuotes = true; any = true
      case 0x2C: fields.append(String(decoding: field, as: UTF8.self)); field = []; any = true
      case 0x0D, 0x0A:
        if any || !field.isEmpty || !fields.isEmpty {
          fields.append(String(decoding: field, as: UTF8.self))
          records.append(fields)
        }
        fields = []
        field = []
        any = false
        if b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
      default: field.append(b); any = true
      }
      i += 1
    }
    if any || !field.isEmpty || !fields.isEmpty {
      fields.append(String(decoding: field, as: UTF8.self))
      records.append(fields)
    }
    return records
  }

  /// Compares two CSVs field by field: numbers within `tol`, other fields exactly (by scalars).
  /// Returns nil when they match, else a description of the first difference.
  static func numericallyClose(_ got: [UInt8], _ expected: [UInt8], tol: Double, what: String) -> String? {
    let g = parse(got)
    let e = parse(expected)
    if g.count != e.count { return "\(what): \(g.count) rows, expected \(e.count)" }
    for (i, (x, y)) in zip(g, e).enumerated() {
      if x.count != y.count { return "\(what) row \(i): \(x.count) fields, expected \(y.count)" }
      for (u, v) in zip(x, y) {
        if let fu = Double(u), let fv = Double(v) {
          if abs(fu - fv) > tol { return "\(what) row \(i): \(u) != expected \(v)" }
        } else if !u.unicodeScalars.elementsEqual(v.unicodeScalars) {
          return "\(what) row \(i): \(u.debugDescription) != expected \(v.debugDescription)"
        }
      }
    }
    return nil
  }
}

// MARK: - JSON that keeps number lexemes (so `1` and `1.0` stay different)

indirect enum MiniJSON: Equatable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([MiniJSON])
  case object([String: MiniJSON])

  static func == (a: MiniJSON, b: MiniJSON) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.number(let x), .number(let y)): return x == y
    case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count
        && x.allSatisfy { k, v in y.first { $0.key.unicodeScalars.elementsEqual(k.unicodeScalars) }?.value == v }
    default: return false
    }
  }

  subscript(dotted: String) -> MiniJSON? {
    var cur: MiniJSON? = self
    for part in dotted.split(separator: ".") {
      guard case .object(let o)? = cur else { return nil }
      cur = o[String(part)]
    }
    return cur
  }

  struct Failure: Error, CustomStringConvertible { let description: String }

  static func parse(_ bytes: [UInt8]) throws -> MiniJSON {
    var p = Parser(b: bytes)
    let v = try p.value()
    p.ws()
    guard p.i == bytes.count else { throw Failure(description: "trailing text at \(p.i)") }
    return v
  }

  struct Parser {
    let b: [UInt8]
    var i = 0
    mutating func ws() { while i < b.count, [0x20, 0x0A, 0x0D, 0x09].contains(b[i]) { i += 1 } }
    mutating func value() throws -> MiniJSON {
      ws()
      guard i < b.count else { throw Failure(description: "unexpected end") }
      switch b[i] {
      case 0x7B:
        i += 1
        var o: [String: MiniJSON] = [:]
        ws()
        if b[i] == 0x7D { i += 1; return .object(o) }
        while true {
          ws()
          guard case .string(let k) = try value() else { throw Failure(description: "key") }
          ws()
          guard b[i] == 0x3A else { throw Failure(description: "colon at \(i)") }
          i += 1
          o[k] = try value()
          ws()
          if b[i] == 0x2C { i += 1; continue }
          guard b[i] == 0x7D else { throw Failure(description: "} at \(i)") }
          i += 1
          return .object(o)
        }
      case 0x5B:
        i += 1
        var a: [MiniJSON] = []
        ws()
        if b[i] == 0x5D { i += 1; return .array(a) }
        while true {
          a.append(try value())
          ws()
          if b[i] == 0x2C { i += 1; continue }
          guard b[i] == 0x5D else { throw Failure(description: "] at \(i)") }
          i += 1
          return .array(a)
        }
      case 0x22:
        i += 1
        var units: [UInt16] = []
        var raw: [UInt8] = []
        func flushRaw() {
          units.append(contentsOf: String(decoding: raw, as: UTF8.self).utf16)
          raw = []
        }
        while true {
          guard i < b.count else { throw Failure(description: "unterminated string") }
          let c = b[i]
          i += 1
          if c == 0x22 { break }
          if c == 0x5C {
            flushRaw()
            let e = b[i]
            i += 1
            switch e {
            case 0x6E: units.append(0x0A)
            case 0x72: units.append(0x0D)
            case 0x74: units.append(0x09)
            case 0x62: units.append(0x08)
            case 0x66: units.append(0x0C)
            case 0x75:
              let hex = String(decoding: b[i..<(i + 4)], as: UTF8.self)
              units.append(UInt16(hex, radix: 16)!)
              i += 4
            default: units.append(UInt16(e))
            }
          } else {
            raw.append(c)
          }
        }
        flushRaw()
        return .string(String(decoding: units, as: UTF16.self))
      case 0x74: i += 4; return .bool(true)
      case 0x66: i += 5; return .bool(false)
      case 0x6E: i += 4; return .null
      default:
        let s = i
        while i < b.count, Array("-+.eE0123456789".utf8).contains(b[i]) { i += 1 }
        guard i > s else { throw Failure(description: "unexpected byte \(b[i]) at \(i)") }
        return .number(String(decoding: b[s..<i], as: UTF8.self))
      }
    }
  }
}

// MARK: - An independent dense implementation of the reference (for small V)

/// The reference's arithmetic, written out densely and naively (V^n rows × V columns).
struct DenseReference {
  let v: Int
  let n: Int
  var weights: [[Double]]
  var log: [(loss: Double, accuracy: Double)] = []

  init(tokenIDs: [Int], v: Int, n: Int, lr: Double, epochs: Int) {
    self.v = v
    self.n = n
    var rows = 1
    for _ in 0..<n { rows *= v }
    weights = Array(repeating: Array(repeating: 0.0, count: v), count: rows)
    var pairs: [(Int, Int)] = []
    if tokenIDs.count > n {
      for i in 0..<(tokenIDs.count - n) {
        var r = 0
        for j in 0..<n { r = r * v + tokenIDs[i + j] }
        pairs.append((r, tokenIDs[i + n]))
      }
    }
    for _ in 0..<epochs {
      var total = 0.0
      var correct = 0
      for (r, t) in pairs {
        let p = DenseReference.softmax(weights[r])
        total += -Foundation.log(max(p[t], 1e-12))
        if DenseReference.argmax(p) == t { correct += 1 }
        for j in 0..<v { weights[r][j] -= lr * (p[j] - (j == t ? 1.0 : 0.0)) }
      }
      log.append((total / Double(pairs.count), Double(correct) / Double(pairs.count)))
    }
  }

  static func softmax(_ s: [Double]) -> [Double] {
    let m = s.max()!
    let e = s.map { Foundation.exp($0 - m) }
    let z = e.reduce(0, +)
    return e.map { $0 / z }
  }

  static func argmax(_ p: [Double]) -> Int {
    var best = 0
    for i in 1..<p.count where p[i] > p[best] { best = i }
    return best
  }
}

/// The error thrown by `body`, or nil.
func thrownError(_ body: () throws -> Void) -> Error? {
  do {
    try body()
    return nil
  } catch {
    return error
  }
}

/// The description of the error thrown by `body` (NgramError's message), or nil.
func errorText(_ body: () throws -> Void) -> String? {
  thrownError(body).map { ($0 as? NgramError)?.description ?? "\($0)" }
}

/// Removes the manifest from `dir`'s meta, as if the set were hand-edited or written by the
/// reference, so that tests that break one file on purpose reach that file's own reader.
func dropManifest(_ dir: URL) throws {
  let path = dir.appendingPathComponent("artifacts/00_meta.json").path
  var meta = try ArtifactMeta.read(path)
  meta.manifest = nil
  try meta.write(to: path)
}
