import Foundation
import Testing

@testable import NgramEngine

/// Every control character: C0, DEL and C1.
let allControlScalars: [Unicode.Scalar] = (Array(0x00...0x1F) + Array(0x7F...0x9F)).map { Unicode.Scalar(UInt32($0))! }

@Suite("Hostile text")
struct HostileTextTests {
  @Test("every control character is escaped visibly, each in its own spelling")
  func terminalEscapes() {
    for u in allControlScalars {
      let escaped = TerminalText.escape("a" + String(Character(u)) + "b")
      #expect(!escaped.unicodeScalars.contains(where: TerminalText.isControl), "U+\(String(u.value, radix: 16))")
      #expect(escaped.hasPrefix("a\\") && escaped.hasSuffix("b"))
    }
    #expect(TerminalText.escape("\u{1B}]0;PWNED\u{07}") == "\\e]0;PWNED\\u{07}")
    #expect(TerminalText.escape("\u{1B}[2J") == "\\e[2J")
    #expect(TerminalText.escape("x\u{9B}31m\u{7F}\u{00}") == "x\\u{9B}31m\\u{7F}\\u{00}")
    #expect(TerminalText.escape("a\tb\nc\rd") == "a\\tb\\nc\\rd")
    // Distinct characters stay distinct.
    let all = Set(allControlScalars.map { TerminalText.escape(String(Character($0))) })
    #expect(all.count == allControlScalars.count)
  }

  @Test("text without control characters is unchanged, other Unicode included")
  func plainTextUnchanged() {
    for s in ["the cat", "résumé 😀 \u{A0}\u{2028}", "back\\slash", ""] {
      #expect(TerminalText.escape(s) == s)
    }
  }

  @Test("JSON escapes every control character, DEL and C1 included, and reads them back")
  func jsonEscapesControls() throws {
    let text = String(String.UnicodeScalarView(allControlScalars))
    for ascii in [false, true] {
      let json = JSONValue.array([.string(text)]).rendered(indent: nil, sortKeys: false, asciiOnly: ascii)
      #expect(!json.unicodeScalars.contains(where: TerminalText.isControl), "\(json)")
      #expect(try JSONParser.parse(Array(json.utf8)) == .array([.string(text)]))
    }
    // Python's json.dumps (ensure_ascii, as the artifacts are written) spells them this way.
    #expect(JSONValue.string("\u{7F}\u{9B}\u{1B}").rendered() == "\"\\u007f\\u009b\\u001b\"")
  }

  @Test(
    "invalid surrogates in a JSON string are an error, not a trap",
    arguments: [
      #"{"a": "\ud800\u0041"}"#, #"{"a": "\ud800"}"#, #"{"a": "\udc00"}"#, #"{"a": "\ud800x"}"#,
      #"{"a": "\ud800\ud800"}"#,
    ])
  func invalidSurrogates(_ text: String) {
    #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    do {
      _ = try JSONParser.parse(Array(text.utf8))
    } catch {
      #expect(error.reason.contains("surrogate"), "\(error.reason)")
      #expect(error.line == 1)
    }
  }

  @Test("the surrogate error names the escapes as written")
  func surrogateMessage() {
    do {
      _ = try JSONParser.parse(Array(#"{"a": "\ud800\u0041"}"#.utf8))
      Issue.record("parsed an invalid surrogate pair")
    } catch {
      #expect(error.reason == #"invalid surrogate pair \ud800\u0041 in a string"#)
    }
  }

  @Test("a valid surrogate pair is one scalar")
  func validSurrogatePair() throws {
    #expect(try JSONParser.parse(Array(#"["\ud83d\ude00"]"#.utf8)) == .array([.string("😀")]))
  }

  @Test("JSON nested 100,000 deep is an error naming the limit, not a stack overflow")
  func deepNesting() {
    for open in ["[", "{\"a\": "] {
      let close = open == "[" ? "]" : "}"
      let text = String(repeating: open, count: 100_000) + String(repeating: close, count: 100_000)
      do {
        _ = try JSONParser.parse(Array(text.utf8))
        Issue.record("parsed 100,000 levels")
      } catch {
        #expect(error.reason == "JSON nested deeper than \(JSONParser.defaultMaxDepth) levels")
      }
    }
    // As deep as the limit is fine.
    let depth = JSONParser.defaultMaxDepth
    let ok = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
    #expect((try? JSONParser.parse(Array(ok.utf8))) != nil)
    // Siblings do not add up: depth is nesting, not the number of containers.
    let wide = "[" + Array(repeating: "[[]]", count: 1000).joined(separator: ",") + "]"
    #expect((try? JSONParser.parse(Array(wide.utf8))) != nil)
  }
}

@Suite("Hostile environment")
struct HostileEnvironmentTests {
  @Test("a full disk is 'no space left on device' with the file, not an error-domain dump")
  func diskFull() throws {
    do {
      _ = try ByteWriter.write("/dev/full") { $0.append("x") }
      Issue.record("writing /dev/full succeeded")
    } catch {
      let m = NgramError.message(for: error)
      #expect(m.contains("no space left on device"), "\(m)")
      #expect(m.contains("/dev/full"), "\(m)")
      #expect(!m.contains("Domain") && !m.contains("UserInfo") && !m.contains("\n"), "\(m)")
    }
  }

  @Test("error messages escape newlines and escapes in names")
  func messageOneLine() {
    let e = NgramError.unreadable(file: "a\nb\u{1B}[2J", reason: "gone")
    #expect(NgramError.message(for: e) == "cannot read a\\nb\\e[2J: gone")
    #expect(NgramError.reason(errno: EACCES) == "permission denied")
  }

  @Test("a corpus file whose name is not UTF-8 is named with its bytes")
  func nonUTF8CorpusName() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-hostile-name-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("corpus"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let name: [UInt8] = Array("r".utf8) + [0xE9] + Array("sum".utf8) + [0xE9] + Array(".txt".utf8)
    let path = Array(dir.appendingPathComponent("corpus").path.utf8) + [UInt8(ascii: "/")] + name + [0]
    let fd = path.withUnsafeBufferPointer { p in
      p.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) }
    }
    #expect(fd >= 0)
    close(fd)
    do {
      _ = try Corpus.locate(directory: dir.path, corpusOverride: nil)
      Issue.record("located a corpus")
    } catch {
      let m = NgramError.message(for: error)
      #expect(m.contains("corpus/r\\xE9sum\\xE9.txt"), "\(m)")
      #expect(m.contains("not valid UTF-8"), "\(m)")
    }
  }

  @Test("streamed generation equals the stored one, greedy and sampled")
  func streamedGeneration() throws {
    let c = try Corpus(bytes: Array(InsightTests.catDog.utf8), path: "cat_dog.txt")
    let (model, _) = try Trainer(corpus: c, config: TrainingConfig(epochs: 5)).train()
    let start = try model.ids(for: ["the", "cat"])
    var greedy: [Int] = []
    model.forEachGenerated(from: TokenContext(ids: start), count: 30, sampling: nil) { greedy.append($0) }
    #expect(greedy.count == 30)
    // The reference's greedy rule, step by step: argmax of the row of the last two tokens.
    var window = start
    for id in greedy {
      #expect(id == model.distribution(context: window).argmax)
      window = [window[1], id]
    }
    let options = SamplingOptions(temperature: 1.5, seed: 7)
    var sampled: [Int] = []
    model.forEachGenerated(from: TokenContext(ids: start), count: 30, sampling: options) { sampled.append($0) }
    #expect(sampled == model.sample(start: start, count: 30, options: options))
  }

  @Test("the distribution after e epochs alone equals the last of the full history")
  func finalEpochOnly() throws {
    let c = try Corpus(bytes: Array(InsightTests.catDog.utf8), path: "cat_dog.txt")
    let ctx = try c.vocabulary.ids(for: ["the", "cat"])
    for e in [0, 1, 7, 50] {
      let full = TimeTravel.history(corpus: c, context: ctx, learningRate: 0.1, epochs: e).last!
      let last = TimeTravel.distribution(corpus: c, context: ctx, learningRate: 0.1, epochs: e)
      #expect(full.top(8).map(\.probability) == last.top(8).map(\.probability))
    }
  }
}
