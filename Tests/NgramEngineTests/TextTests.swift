import Foundation
import Testing

@testable import NgramEngine

/// SPEC §1 "Corpus" and "Tokens": strict UTF-8, Python's `str.split()` whitespace, no
/// normalisation, code-point order, and the meta's num_chars / num_lines.
@Suite("Text: decoding, splitting, ordering")
struct TextTests {
  func corpus(_ text: String) throws -> Corpus { try Corpus(bytes: Array(text.utf8), path: "corpus/test.txt") }
  func tokens(_ c: Corpus) -> [String] { c.tokenIDs.map { c.vocabulary.tokens[Int($0)] } }

  /// Exactly the scalars for which Python's `str.isspace()` is true (all of them split `str.split()`).
  static let pythonWhitespace: [UInt32] =
    Array(0x09...0x0D) + Array(0x1C...0x1F) + [0x20, 0x85, 0xA0, 0x1680] + Array(0x2000...0x200A)
    + [0x2028, 0x2029, 0x202F, 0x205F, 0x3000]

  @Test("each of Python's whitespace characters splits", arguments: pythonWhitespace)
  func splits(_ scalar: UInt32) throws {
    let ws = String(Unicode.Scalar(scalar)!)
    let c = try corpus("a\(ws)b\(ws)\(ws)a")
    #expect(tokens(c) == ["a", "b", "a"], "U+\(String(scalar, radix: 16, uppercase: true))")
    #expect(c.vocabulary.tokens == ["a", "b"])
  }

  @Test(
    "characters Python does not split on stay inside tokens",
    arguments: [0x200B, 0xFEFF, 0x180E, 0x200C, 0x200D, 0x2060, 0x00AD, 0x3164, 0x0000, 0x001B, 0x007F] as [UInt32])
  func doesNotSplit(_ scalar: UInt32) throws {
    let s = String(Unicode.Scalar(scalar)!)
    let c = try corpus("zero\(s)width x zero\(s)width")
    #expect(tokens(c).count == 3, "U+\(String(scalar, radix: 16, uppercase: true)) must not split")
    #expect(c.vocabulary.count == 2)
    #expect(c.vocabulary.tokens.contains { $0.unicodeScalars.elementsEqual("zero\(s)width".unicodeScalars) })
  }

  @Test("no other scalar in the BMP splits")
  func exhaustiveBMP() throws {
    let set = Set(Self.pythonWhitespace)
    var text = ""
    var expected = 0
    for v in UInt32(0)...0xFFFF where !set.contains(v) {
      guard let s = Unicode.Scalar(v) else { continue }
      text.unicodeScalars.append(s)
      expected += 1
    }
    // One giant token made of every non-whitespace BMP scalar.
    let c = try corpus("x " + text + " y")
    #expect(c.tokenCount == 3)
    #expect(c.vocabulary.tokens.contains { $0.unicodeScalars.count == expected })
  }

  @Test("a leading byte-order mark is kept as part of the first token")
  func bomKept() throws {
    let c = try Corpus(bytes: [0xEF, 0xBB, 0xBF] + Array("the cat the".utf8), path: "corpus/bom.txt")
    #expect(c.tokenCount == 3)
    #expect(c.vocabulary.count == 3)
    let first = c.vocabulary.tokens[Int(c.tokenIDs[0])]
    #expect(Array(first.unicodeScalars.map(\.value)) == [0xFEFF, 0x74, 0x68, 0x65])
    #expect(c.vocabulary.id(of: "\u{FEFF}the") != c.vocabulary.id(of: "the"))
    // U+FEFF sorts after every ASCII token.
    #expect(c.vocabulary.tokens.last?.unicodeScalars.first == "\u{FEFF}")
    #expect(c.numChars == 12)
  }

  @Test("NFC and NFD spellings are distinct tokens")
  func noNormalisation() throws {
    let c = try corpus("caf\u{E9} cafe\u{301} caf\u{E9} \u{E9} e\u{301}")
    #expect(c.vocabulary.count == 4)
    let nfc = try #require(c.vocabulary.id(of: "caf\u{E9}"))
    let nfd = try #require(c.vocabulary.id(of: "cafe\u{301}"))
    #expect(nfc != nfd)
    #expect(c.vocabulary.frequencies[nfc] == 2)
    #expect(c.vocabulary.frequencies[nfd] == 1)
    #expect(c.vocabulary.id(of: "\u{E9}") != c.vocabulary.id(of: "e\u{301}"))
    // "e" + U+0301 < "é" in code-point order ('e' is U+0065).
    #expect(
      c.vocabulary.tokens.map { Array($0.unicodeScalars.map(\.value)) } == [
        [0x63, 0x61, 0x66, 0x65, 0x301], [0x63, 0x61, 0x66, 0xE9], [0x65, 0x301], [0xE9],
      ])
  }

  @Test("the vocabulary is sorted by code point, not UTF-16 or Swift String order")
  func codePointOrder() throws {
    let c = try corpus("\u{1F600} \u{E9} a Z \u{FF5E} e\u{301} \u{FFFF} \u{1F600} a")
    let expected: [[UInt32]] = [[0x5A], [0x61], [0x65, 0x301], [0xE9], [0xFF5E], [0xFFFF], [0x1F600]]
    #expect(c.vocabulary.tokens.map { Array($0.unicodeScalars.map(\.value)) } == expected)
    #expect(c.vocabulary.frequencies == [1, 2, 1, 1, 1, 1, 2])
  }

  @Test("the vocabulary counts frequencies and numbers tokens 0…V-1")
  func frequencies() throws {
    let c = try corpus("the cat sat on the mat the end")
    #expect(c.vocabulary.tokens == ["cat", "end", "mat", "on", "sat", "the"])
    #expect(c.vocabulary.frequencies == [1, 1, 1, 1, 1, 3])
    #expect(c.tokenIDs == [5, 0, 4, 3, 5, 2, 5, 1])
  }

  struct Counts: Sendable, CustomTestStringConvertible {
    let text: String
    let chars: Int
    let lines: Int
    var testDescription: String { text.debugDescription }
  }

  // Values computed with CPython 3.11: len(text with universal newlines) and
  // len([l for l in text.splitlines() if l.strip()]).
  static let counts: [Counts] = [
    Counts(text: "a\r\nb\rc\n", chars: 6, lines: 3),
    Counts(text: "\r\n\r\n  \r\nx", chars: 6, lines: 1),
    Counts(text: "a\u{1C}b\u{85}c\u{2028}d", chars: 7, lines: 4),
    Counts(text: "a\u{0B}b\u{0C}c", chars: 5, lines: 3),
    Counts(text: "a\n", chars: 2, lines: 1),
    Counts(text: " \u{3000} \n\u{A0}\nx\u{2029}y", chars: 9, lines: 2),
    Counts(text: "\r\r\n\r", chars: 3, lines: 0),
    Counts(text: "a\u{1D}b\u{1E}c\u{1F}d", chars: 7, lines: 3),
    Counts(text: "\u{FEFF}caf\u{E9} \u{1F600}\r\n", chars: 8, lines: 1),
    Counts(
      text: "the cat sat on the mat\nthe dog sat on the rug\nthe cat lay on the rug\nthe dog lay on the mat\n",
      chars: 92, lines: 4),
  ]

  @Test("num_chars and num_lines count as Python does (universal newlines, splitlines)", arguments: counts)
  func charsAndLines(_ k: Counts) throws {
    let c = try Corpus(bytes: Array(k.text.utf8), path: "corpus/x.txt")
    #expect(c.numChars == k.chars)
    #expect(c.numLines == k.lines)
  }

  @Test("sha256 is of the raw bytes")
  func sha() throws {
    let c = try Corpus(bytes: Array("abc".utf8), path: "x")
    #expect(c.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    let crlf = try Corpus(bytes: Array("a b c\r\n".utf8), path: "x")
    let lf = try Corpus(bytes: Array("a b c\n".utf8), path: "x")
    #expect(crlf.sha256 != lf.sha256)
  }

  struct BadUTF8: Sendable, CustomTestStringConvertible {
    let bytes: [UInt8]
    let offset: Int
    var testDescription: String { bytes.map { String($0, radix: 16) }.joined(separator: " ") }
  }

  // Offsets are Python's UnicodeDecodeError.start for the same bytes.
  static let badUTF8: [BadUTF8] = [
    BadUTF8(bytes: Array("ab".utf8) + [0xFF], offset: 2),
    BadUTF8(bytes: [0xC0, 0x80, 0x78], offset: 0),
    BadUTF8(bytes: [0x78, 0xED, 0xA0, 0x80], offset: 1),
    BadUTF8(bytes: Array("ab".utf8) + [0xE2, 0x82], offset: 2),
    BadUTF8(bytes: Array("ok ".utf8) + [0xF4, 0x90, 0x80, 0x80], offset: 3),
    BadUTF8(bytes: Array("caf".utf8) + [0xC3, 0x28], offset: 3),
    BadUTF8(bytes: [0xE2, 0x82, 0xAC, 0x80], offset: 3),
    BadUTF8(bytes: Array("abc".utf8) + [0xF0, 0x9F, 0x98], offset: 3),
    BadUTF8(bytes: Array("the cat sat on the ".utf8) + [0xFF] + Array(" mat\n".utf8), offset: 19),
  ]

  @Test("invalid UTF-8 is an error naming the file and the byte offset", arguments: badUTF8)
  func invalidUTF8(_ k: BadUTF8) {
    let message = errorText { _ = try Corpus(bytes: k.bytes, path: "/some/dir/corpus/bad.txt") }
    #expect(message?.contains("not valid UTF-8") == true, "\(message ?? "no error")")
    #expect(message?.contains("/some/dir/corpus/bad.txt") == true)
    #expect(message?.contains("offset \(k.offset)") == true, "\(message ?? "")")
    if case .invalidUTF8(let file, let offset)? = thrownError({ _ = try Corpus(bytes: k.bytes, path: "f") })
      as? NgramError
    {
      #expect(file == "f")
      #expect(offset == k.offset)
    } else {
      Issue.record("expected NgramError.invalidUTF8")
    }
  }

  @Test("valid UTF-8 of every length decodes")
  func validUTF8() throws {
    let c = try corpus("a \u{7FF} \u{800} \u{FFFF} \u{10000} \u{10FFFF} \u{D7FF} \u{E000}")
    #expect(c.tokenCount == 8)
  }

  @Test("an empty or whitespace-only corpus has no tokens")
  func empty() throws {
    #expect(try Corpus(bytes: [], path: "x").tokenCount == 0)
    #expect(try corpus(" \n\t\u{3000}\r\n").tokenCount == 0)
  }
}
