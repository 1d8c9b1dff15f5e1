import Foundation
import NgramEngine
import Testing

/// The engine speaks its own API's words: no front end's option (`--lr`) or command
/// (`ngram-tui train`) in any error it describes.
@Suite struct ErrorWordingTests {
  /// One value of every case, with the offending values a caller could pass.
  static let all: [NgramError] = [
    .corpusDirectoryMissing(directory: "d/corpus"), .corpusDirectoryEmpty(directory: "d/corpus"),
    .corpusDirectoryAmbiguous(directory: "d/corpus", files: ["a.txt", "b.txt"]),
    .unreadable(file: "f", reason: "permission denied"), .invalidUTF8(file: "f", offset: 3),
    .tooFewTokens(file: "f", needed: 3, found: 1), .artifactsMissing(directory: "d/artifacts", file: "00_meta.json"),
    .malformed(file: "f", line: 2, reason: "bad number"), .unknownTokens(["zebra"], suggestions: [["zero"]]),
    .contextTooShort(needed: 2, given: 1), .startTokenCount(needed: 2, given: 3, fewerAllowed: false),
    .startTokenCount(needed: 2, given: 3, fewerAllowed: true), .startTokensMissing(needed: 2), .invalidOption("x"),
    .unsupportedContextLength(4),
    .invalidLearningRate(-0.1), .invalidEpochs(-1), .invalidHoldout(1, zeroAllowed: true),
    .invalidHoldout(0, zeroAllowed: false), .holdoutTooSmall(holdout: 0.01, tokens: 10), .invalidTemperature(-1),
    .invalidTopK(0), .invalidTopP(1.5), .stepEpochOutOfRange(epoch: 4, epochs: 3),
    .stepPairOutOfRange(pair: 0, pairs: 22), .invalidAddK(0), .invalidDiscount(1.5), .kneserNeyNeedsContext,
    .denseTooLarge(cells: 512, limit: 511), .denseTooLarge(cells: Int.max, limit: 511),
    .corpusFileMissing(file: "/no/such.txt"), .corpusFileNameNotUTF8(file: "d/corpus/\\xff.txt"),
    .outputMissing(file: "d/outputs/train_log.csv", what: "training log"),
    .artifactChanged(file: "d/artifacts/01_vocabulary.csv", reason: "its SHA-256 differs"),
    .metaMalformed(file: "d/artifacts/00_meta.json", line: 1, reason: "unexpected end"), .cancelled, .io("disk full"),
  ]

  @Test("no error description names a command-line option or command", arguments: all)
  func noCommandLineWords(_ e: NgramError) {
    let text = e.description
    #expect(!text.isEmpty)
    #expect(!text.contains("\n"))
    #expect(!text.contains("--"), "\(text)")
    #expect(!text.contains("ngram-tui train"), "\(text)")
  }

  @Test("typed errors carry the offending value and say what is accepted in parameter words")
  func typedValues() {
    #expect(
      NgramError.invalidLearningRate(-0.5).description
        == "invalid learningRate -0.5: use a finite number >= 0, e.g. 0.1")
    #expect(
      NgramError.denseTooLarge(cells: 512, limit: 511).description
        == "dense weights would hold 512 numbers (dense limit 511): use the compact weights format, or raise the dense limit"
    )
    #expect(NgramError.denseTooLarge(cells: Int.max, limit: 1).description.contains("over 9e18"))
    #expect(
      NgramError.corpusDirectoryMissing(directory: "w/corpus").description
        == "corpus directory not found: w/corpus (create it and put exactly one text file in it, or name the corpus file)"
    )
    #expect(NgramError.invalidTopP(1.5).description == "invalid topP 1.5: use a number in (0, 1]")
  }
}

/// Every string literal of the engine's sources: none names a command-line option or command,
/// so no message the engine builds (typed or free text) can.
@Suite struct EngineSourceWordingTests {
  @Test("no string literal in Sources/NgramEngine names an option (--x) or `ngram-tui train`")
  func noCommandLineWordsInEngineStrings() throws {
    let root = String(
      #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
    let engine = root + "/Sources/NgramEngine"
    let files = try FileManager.default.subpathsOfDirectory(atPath: engine).filter { $0.hasSuffix(".swift") }
    #expect(files.count > 20)
    let literal = try Regex(#""(?:[^"\\]|\\.)*""#)
    let option = try Regex(#"--[a-z]"#)
    for file in files {
      let text = try String(contentsOfFile: engine + "/" + file, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
        for match in line.matches(of: literal) {
          let s = line[match.range]
          #expect(!s.contains(option), "\(file):\(number + 1): \(s)")
          #expect(!s.contains("ngram-tui train"), "\(file):\(number + 1): \(s)")
        }
      }
    }
  }
}
