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
