import Foundation
import Testing

@testable import NgramEngine

/// SPEC §2's formatting traps: CSV minimal quoting, `0` vs `-0.0000`, Python's float repr, and
/// Python's `json.dumps(ensure_ascii=True)` escaping.
@Suite("Formatting like Python")
struct FormattingTests {
  struct Pair: Sendable, CustomTestStringConvertible {
    let input: String
    let output: String
    var testDescription: String { input.debugDescription }
  }

  static let quoting: [Pair] = [
    Pair(input: "plain", output: "plain"),
    Pair(input: "a,b", output: "\"a,b\""),
    Pair(input: "say \"hi\"", output: "\"say \"\"hi\"\"\""),
    Pair(input: "\"", output: "\"\"\"\""),
    Pair(input: "cr\rlf", output: "\"cr\rlf\""),
    Pair(input: "new\nline", output: "\"new\nline\""),
    Pair(input: "it's", output: "it's"),
    Pair(input: "a|b", output: "a|b"),
    Pair(input: " spaced ", output: " spaced "),
    Pair(input: "semi;colon\ttab", output: "semi;colon\ttab"),
    Pair(input: "caf\u{E9}\u{1F600}", output: "caf\u{E9}\u{1F600}"),
    Pair(input: "", output: ""),
  ]

  @Test("CSV fields are quoted only when they hold , \" \\r or \\n", arguments: quoting)
  func csvQuoting(_ p: Pair) {
    #expect(CSV.quoted(p.input).unicodeScalars.elementsEqual(p.output.unicodeScalars))
  }

  func weight(_ v: Double) -> String {
    var b: [UInt8] = []
    CSV.appendWeight(v, to: &b)
    return String(decoding: b, as: UTF8.self)
  }

  // Python: "0" if v == 0.0 else f"{v:.4f}".
  static let weights: [(Double, String)] = [
    (0.0, "0"), (-0.0, "0"), (1e-9, "0.0000"), (-1e-9, "-0.0000"), (0.00005, "0.0001"), (-0.00005, "-0.0001"),
    (0.00015, "0.0001"), (0.12345, "0.1235"), (2.5, "2.5000"), (-1.23456, "-1.2346"), (0.000049999, "0.0000"),
    (1234567.891, "1234567.8910"), (0.00025, "0.0003"), (Double.leastNonzeroMagnitude, "0.0000"),
    (-Double.leastNonzeroMagnitude, "-0.0000"),
  ]

  @Test("weights: exactly 0 (and -0.0) is 0, anything else has 4 decimals", arguments: weights)
  func weightFormat(_ v: Double, _ text: String) {
    #expect(weight(v) == text)
  }

  // Python's repr(float).
  static let reprs: [(Double, String)] = [
    (0.1, "0.1"), (1.0, "1.0"), (1e-05, "1e-05"), (2.5, "2.5"), (0.01, "0.01"), (1e-4, "0.0001"),
    (0.0001234, "0.0001234"), (123456789012345678.0, "1.2345678901234568e+17"), (1e16, "1e+16"),
    (9999999999999998.0, "9999999999999998.0"), (Double.leastNonzeroMagnitude, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (0.30000000000000004, "0.30000000000000004"), (100.0, "100.0"), (1e22, "1e+22"), (12345.678, "12345.678"),
    (3e-5, "3e-05"), (0.5, "0.5"), (0.0, "0.0"), (-0.0, "-0.0"), (-2.5, "-2.5"), (50.0, "50.0"),
  ]

  @Test("learning_rate is written in Python's shortest repr", arguments: reprs)
  func pythonRepr(_ v: Double, _ text: String) {
    #expect(PythonFloat.repr(v) == text)
    #expect(JSONValue.double(v).rendered() == text)
  }

  static let escapes: [Pair] = [
    Pair(input: "\u{1F600}", output: "\"\\ud83d\\ude00\""),
    Pair(input: "\u{E9}", output: "\"\\u00e9\""),
    Pair(input: "a\"b\\c\n\t\u{0}\u{1F}\u{7F}\u{2028}", output: "\"a\\\"b\\\\c\\n\\t\\u0000\\u001f\\u007f\\u2028\""),
    Pair(input: "\u{FEFF}", output: "\"\\ufeff\""),
    Pair(input: "\u{10FFFF}", output: "\"\\udbff\\udfff\""),
    Pair(input: "\u{8}\u{C}\r", output: "\"\\b\\f\\r\""),
    Pair(input: "cafe\u{301}", output: "\"cafe\\u0301\""),
    Pair(input: "~ /", output: "\"~ /\""),
  ]

  @Test("JSON strings are escaped as Python's json.dumps does (ASCII only, surrogate pairs)", arguments: escapes)
  func jsonEscaping(_ p: Pair) {
    #expect(JSONValue.string(p.input).rendered() == p.output)
  }

  @Test("JSON objects: sorted keys, 2-space indent, Python's separators")
  func jsonLayout() {
    let v = JSONValue.object([
      ("b", .int(1)), ("a", .array([.string("x"), .double(0.1)])), ("c", .object([])), ("d", .array([])),
    ])
    #expect(v.rendered() == "{\n  \"a\": [\n    \"x\",\n    0.1\n  ],\n  \"b\": 1,\n  \"c\": {},\n  \"d\": []\n}")
  }

  @Test("the meta of a run escapes non-ASCII start tokens with surrogate pairs and keeps number types")
  func metaBytes() throws {
    let tmp = TempDir("meta")
    defer { tmp.cleanup() }
    let dir = tmp.sub("r\u{E9}po")
    let path = makeCorpusDir(dir, name: "\u{1F600}.txt", text: "\u{1F600} caf\u{E9} x \u{1F600} caf\u{E9} y\n")
    let corpus = try Corpus.load(path: path)
    let config = TrainingConfig(contextLength: 2, learningRate: 1.0, epochs: 3)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    _ = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: .dense)
    let bytes = try #require(readBytes(dir.appendingPathComponent("artifacts/00_meta.json").path))
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(bytes.allSatisfy { $0 < 0x80 })
    #expect(text.hasSuffix("}\n"))
    #expect(text.contains("\"start_tokens\": [\n    \"\\ud83d\\ude00\",\n    \"caf\\u00e9\"\n  ]"))
    #expect(text.contains("\"repo_name\": \"r\\u00e9po\""))
    #expect(text.contains("\"filename\": \"\\ud83d\\ude00.txt\""))
    #expect(text.contains("\"path\": \"corpus/\\ud83d\\ude00.txt\""))
    #expect(text.contains("\"learning_rate\": 1.0"))
    #expect(text.contains("\"epochs\": 3"))
    #expect(text.contains("\"model_kind\": \"context2\""))
    let meta = try MiniJSON.parse(bytes)
    #expect(meta["vocab_size"] == .number("4"))
    #expect(meta["corpus.num_lines"] == .number("1"))
    #expect(meta["corpus.num_chars"] == .number("18"))
    // Keys sorted at every level.
    if case .object(let o) = meta {
      #expect(!o.isEmpty)
    }
    var lastTop = ""
    for line in text.split(separator: "\n") where line.hasPrefix("  \"") && !line.hasPrefix("   ") {
      let key = String(line.dropFirst(3).prefix { $0 != "\"" })
      #expect(key > lastTop, "top-level keys must be sorted: \(key) after \(lastTop)")
      lastTop = key
    }
  }

  @Test("train_log: 8-decimal loss, 6-decimal accuracy, CRLF")
  func trainLogFormat() throws {
    let tmp = TempDir("log")
    defer { tmp.cleanup() }
    let dir = tmp.sub("log")
    let path = makeCorpusDir(dir, text: "a b a b a c")
    let corpus = try Corpus.load(path: path)
    let config = TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: 2)
    let (model, log) = try Trainer(corpus: corpus, config: config).train()
    _ = try ArtifactStore.write(
      directory: dir.path, corpus: corpus, config: config, model: model, log: log, format: .dense)
    let text = String(decoding: readBytes(dir.appendingPathComponent("outputs/train_log.csv").path)!, as: UTF8.self)
    // 4 pairs: (a,b)->a, (b,a)->b, (a,b)->a, (b,a)->c. Epoch 1: V = 3, all rows uniform at first.
    let lines = text.components(separatedBy: "\r\n")
    #expect(lines.count == 4 && lines[3] == "")
    #expect(lines[0] == "epoch,avg_loss,accuracy")
    #expect(lines[1].hasPrefix("1,"))
    let f = lines[1].split(separator: ",")
    #expect(f[1].split(separator: ".")[1].count == 8)
    #expect(f[2].split(separator: ".")[1].count == 6)
    #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
  }
}
