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

  /// glibc's `printf("%.*f")`, the oracle for the integer formatter.
  func printfFixed(_ v: Double, _ d: Int) -> String {
    var buf = [CChar](repeating: 0, count: 400)
    let n = withVaList([Int32(d), v]) { vsnprintf(&buf, buf.count, "%.*f", $0) }
    return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  @Test("fixed decimals without printf give printf's text: ties to even, -0, tiny and large values, 0 to 9 decimals")
  func fixedMatchesPrintf() {
    var values: [Double] = [
      0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-9, -1e-9, 0.000000005, 0.000000015, 0.000000025,
      999_999_999.875, 999_999_999.9999, 123456789.123456789, Double.leastNonzeroMagnitude,
      -Double.leastNonzeroMagnitude,
      Double.leastNormalMagnitude, 0.1, 0.7, 1.0 / 3.0, -2.0 / 3.0, 5e-5, 4.99999999e-9,
    ]
    // Values of every magnitude the weights and the log take, and binary fractions (exact ties).
    var x: UInt64 = 0x1234_5678_9ABC_DEF1
    for i in 0..<5_000 {
      x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let mantissa = Double(x >> 11) / Double(1 << 53)
      let scale = Double(sign: .plus, exponent: Int(x % 50) - 40, significand: 1)
      values.append((i % 2 == 0 ? 1 : -1) * mantissa * scale)
      values.append(Double(Int64(bitPattern: x) >> 40) / 1024)
    }
    var mismatches: [String] = []
    for v in values {
      for d in [0, 1, 4, 6, 8, 9] {
        var b: [UInt8] = []
        #expect(CSV.appendFixedExact(v, decimals: d, to: &b))
        let ours = String(decoding: b, as: UTF8.self)
        let theirs = printfFixed(v, d)
        if ours != theirs && mismatches.count < 5 { mismatches.append("\(v) %.\(d)f: \(ours) vs \(theirs)") }
      }
    }
    #expect(mismatches.isEmpty)
    var b: [UInt8] = []
    #expect(!CSV.appendFixedExact(1e9, decimals: 4, to: &b))
    #expect(!CSV.appendFixedExact(.nan, decimals: 4, to: &b))
    #expect(!CSV.appendFixedExact(0.5, decimals: 10, to: &b))
    #expect(b.isEmpty)
    #expect(CSV.fixed(1e300, decimals: 2) == printfFixed(1e300, 2))
  }

  @Test("the weights writer's remembered decimals are each value's own description")
  func shortestCache() throws {
    let tmp = TempDir()
    defer { tmp.cleanup() }
    let path = tmp.path + "/shortest.txt"
    // Repeats (cache hits), values colliding in the cache, and both zeros.
    var values: [Double] = [0.1, -0.0, 0.0, 0.1, 1e-300, -0.30000000000000004, 0.1, .leastNonzeroMagnitude]
    for i in 0..<10_000 { values.append(Double(i % 300) * 0.013 - 1.7) }
    try ByteWriter.write(path) { w in
      for v in values {
        w.appendShortest(v)
        w.append(byte: 0x0A)
      }
    }
    let text = String(decoding: readBytes(path)!, as: UTF8.self)
    #expect(text == values.map { $0.description + "\n" }.joined())
  }
}
