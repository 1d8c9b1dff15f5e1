import Foundation
import Testing

@testable import NgramEngine

// ARPA reading is checked against KenLM: scripts/make-arpa-fixtures.py recorded, with KenLM's
// Python module, the log10 probability of every vocabulary word after many contexts and the
// per-token scores of several texts, for real lmplz files, SRILM-style and generated files.

/// One model's KenLM scores (Fixtures/arpa/expected/NAME.json).
struct ARPAExpectation: Decodable, CustomTestStringConvertible, Sendable {
  struct Context: Decodable, Sendable {
    let context: [String]
    let scores: [Double]
  }
  struct Text: Decodable, Sendable {
    let text: String
    /// (log10 probability, n-gram length, oov) per token.
    let scores: [[ScoreField]]
  }
  enum ScoreField: Decodable, Sendable {
    case number(Double)
    case flag(Bool)
    init(from decoder: Decoder) throws {
      let c = try decoder.singleValueContainer()
      if let b = try? c.decode(Bool.self) { self = .flag(b) } else { self = .number(try c.decode(Double.self)) }
    }
    var number: Double {
      if case .number(let x) = self { return x }
      return .nan
    }
    var flag: Bool {
      if case .flag(let b) = self { return b }
      return false
    }
  }
  let model: String
  let order: Int
  let vocabulary: [String]
  let contexts: [Context]
  let texts: [Text]

  var testDescription: String { model }

  static let root = Fixtures.root.appendingPathComponent("arpa")

  static func load(_ name: String) -> ARPAExpectation {
    let url = root.appendingPathComponent("expected/\(name).json")
    return try! JSONDecoder().decode(ARPAExpectation.self, from: Data(contentsOf: url))
  }

  struct Manifest: Decodable {
    let models: [String]
    let gzip: [String: String]
  }

  static let manifest: Manifest = try! JSONDecoder().decode(
    Manifest.self, from: Data(contentsOf: root.appendingPathComponent("expected/manifest.json")))

  static var models: [String] { manifest.models }
  /// (gzip file, the plain file whose expectations it shares).
  static var gzipped: [(String, String)] { manifest.gzip.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }

  static func path(_ file: String) -> String { root.appendingPathComponent("models/\(file)").path }
}

/// KenLM keeps 32-bit floats: agreement to 2e-5 in log10.
let kenlmTolerance = 2e-5

func expectMatchesKenLM(_ model: ARPAModel, _ exp: ARPAExpectation) {
  #expect(model.order == exp.order)
  #expect(model.vocabulary.tokens == exp.vocabulary)
  let ids = exp.vocabulary.map { model.vocabulary.id(of: $0)! }
  for c in exp.contexts {
    let ctx = try! model.context(for: c.context)
    let dense = model.log10Distribution(after: ctx.ids)
    let dist = model.distribution(after: ctx)
    var worst = 0.0
    var worstWord = ""
    for (j, id) in ids.enumerated() {
      let d = abs(dense[id] - c.scores[j])
      let single = abs(model.log10Probability(of: id, after: ctx.ids) - c.scores[j])
      if max(d, single) > worst {
        worst = max(d, single)
        worstWord = exp.vocabulary[j]
      }
      let p = dist.probability(of: id)
      if id == model.sentenceStartID {
        #expect(p == 0, "<s> is never predicted")
      } else {
        #expect(abs(p - pow(10, c.scores[j])) <= 1e-4 * pow(10, c.scores[j]) + 1e-300)
      }
    }
    #expect(worst <= kenlmTolerance, "\(exp.model) after \(c.context): '\(worstWord)' off by \(worst)")
  }
  for t in exp.texts {
    let tokens = t.text.split(whereSeparator: { $0 == " " }).map(String.init)
    #expect(tokens.count == t.scores.count)
    var history: [Int] = []
    for (i, tok) in tokens.enumerated() {
      let id = model.vocabulary.id(of: tok) ?? model.unknownID
      let got = model.log10Probability(of: id, after: history)
      let want = t.scores[i][0].number
      #expect(abs(got - want) <= kenlmTolerance, "\(exp.model) '\(t.text)' token \(i) '\(tok)': \(got) vs \(want)")
      #expect(t.scores[i][2].flag == (id == model.unknownID), "KenLM's oov flag for '\(tok)'")
      history.append(id)
    }
  }
}

@Suite struct ARPAReadingTests {
  @Test(arguments: ARPAExpectation.models)
  func scoresEveryWordAsKenLMDoes(_ file: String) throws {
    let model = try ARPAModel.load(path: ARPAExpectation.path(file))
    expectMatchesKenLM(model, ARPAExpectation.load(file))
  }

  @Test(arguments: ARPAExpectation.gzipped.map(\.0))
  func gzipFilesReadAsTheirPlainText(_ file: String) throws {
    let plain = ARPAExpectation.gzipped.first { $0.0 == file }!.1
    let model = try ARPAModel.load(path: ARPAExpectation.path(file))
    expectMatchesKenLM(model, ARPAExpectation.load(plain))
  }

  @Test(arguments: ARPAExpectation.models)
  func writtenBackItReadsTheSame(_ file: String) throws {
    let model = try ARPAModel.load(path: ARPAExpectation.path(file))
    let text = try ARPAWriter.render(model)
    let again = try ARPAModel.parse(text, name: "rewritten \(file)")
    // The rewrite lists <unk> explicitly, so compare with KenLM on everything else.
    var exp = ARPAExpectation.load(file)
    if !model.hasUnknown { #expect(again.hasUnknown) }
    exp = ARPAExpectation(
      model: exp.model, order: exp.order, vocabulary: exp.vocabulary, contexts: exp.contexts,
      texts: model.hasUnknown ? exp.texts : [])
    expectMatchesKenLM(again, exp)
  }

  @Test func spacesInsteadOfTabsReadTheSame() throws {
    // KenLM insists on tabs around the words; other tools write spaces. Same numbers either way.
    let file = "srilm_style.o3.arpa"
    let text = try String(contentsOfFile: ARPAExpectation.path(file), encoding: .utf8)
      .replacingOccurrences(of: "\t", with: "  ")
    let model = try ARPAModel.parse(Array(text.utf8), name: "spaced")
    expectMatchesKenLM(model, ARPAExpectation.load(file))
  }

  @Test func contextLengthAndUnknownWords() throws {
    let model = try ARPAModel.load(path: ARPAExpectation.path("srilm_style.o3.arpa"))
    #expect(model.contextLength.value == 2)
    #expect(!model.hasUnknown)
    #expect(model.vocabulary.tokens.last == "<unk>")
    #expect(model.ngramCounts == [8, 9, 5])
    // Only the last order - 1 tokens count; unknown words become <unk>; shorter is fine.
    #expect(
      try model.context(for: ["x", "y", "a", "b"]).ids == [
        model.vocabulary.id(of: "a")!, model.vocabulary.id(of: "b")!,
      ])
    #expect(try model.context(for: ["zebra", "a"]).ids == [model.unknownID, model.vocabulary.id(of: "a")!])
    #expect(try model.context(for: []).ids == [])
    // 'a b' is a bigram; 'c a' is not, so only 'a' is used.
    #expect(model.usedContextLength(try model.context(for: ["a", "b"])) == 2)
    #expect(model.usedContextLength(try model.context(for: ["c", "a"])) == 1)
  }

  @Test func topKIsTheKenLMRanking() throws {
    let file = "fortunes_300.o3.arpa"
    let model = try ARPAModel.load(path: ARPAExpectation.path(file))
    let exp = ARPAExpectation.load(file)
    for c in exp.contexts.prefix(12) {
      // KenLM's scores ranked (probability descending, vocabulary id ascending), <s> left out.
      let ranked = exp.vocabulary.indices
        .filter { exp.vocabulary[$0] != "<s>" }
        .sorted { a, b in c.scores[a] != c.scores[b] ? c.scores[a] > c.scores[b] : a < b }
      let top = model.topK(after: try model.context(for: c.context), k: 5)
      // Ties in KenLM's rounded scores could swap neighbours; compare the probabilities in order.
      for (i, p) in top.enumerated() {
        #expect(abs(log10(p.probability) - c.scores[ranked[i]]) <= kenlmTolerance)
      }
      #expect(!top.contains { $0.token == "<s>" })
    }
  }
}

@Suite struct ARPAErrorTests {
  func message(_ text: String) -> String { message(bytes: Array(text.utf8)) }

  func message(bytes: [UInt8]) -> String {
    do {
      _ = try ARPAModel.parse(bytes, name: "m.arpa")
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  let good =
    "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-1\t<s>\t-0.5\n-0.5\ta\t-0.2\n-0.4\t</s>\n\n\\2-grams:\n-0.1\t<s> a\n\n\\end\\\n"

  @Test func aSmallFileReads() throws {
    let m = try ARPAModel.parse(Array(good.utf8), name: "m.arpa")
    #expect(m.order == 2)
    // p(a | <s>) listed; p(</s> | <s>) = bo(<s>) + p(</s>); <unk> added at -100.
    #expect(abs(m.log10Probability(of: 1, after: [0]) - -0.1) < 1e-6)
    #expect(abs(m.log10Probability(of: 2, after: [0]) - (-0.5 + -0.4)) < 1e-6)
    #expect(m.log10Probability(of: m.unknownID, after: []) == -100)
  }

  @Test func malformedFilesNameTheLine() {
    #expect(
      message("hello\n")
        == "m.arpa:1: no \\data\\ line: this is not an ARPA language model (expected \\data\\, ngram 1=N, \\1-grams:, …)"
    )
    #expect(
      message(good.replacingOccurrences(of: "ngram 1=3", with: "ngram 1=4"))
        == "m.arpa:10: the \\1-grams: section has 3 entries but 'ngram 1=4' declares 4")
    #expect(
      message(good.replacingOccurrences(of: "<s> a\n", with: "<s> b\n"))
        == "m.arpa:11: the word 'b' of this 2-gram is not among the 1-grams (every word must be)")
    #expect(
      message(good.replacingOccurrences(of: "-0.5\ta", with: "0.5\ta"))
        == "m.arpa:7: positive log10 probability 0.5 (a probability above 1)")
    #expect(
      message(good.replacingOccurrences(of: "-0.4\t</s>", with: "-0.4\ta"))
        == "m.arpa:8: the word 'a' is listed twice among the 1-grams")
    #expect(
      message(good.replacingOccurrences(of: "-0.1\t<s> a", with: "-0.1\t<s> a\t-0.3"))
        == "m.arpa:11: a back-off weight (-0.3) on a 2-gram of the highest order, which cannot have one")
    #expect(
      message(good.replacingOccurrences(of: "-0.1\t<s> a", with: "x\t<s> a"))
        == "m.arpa:11: 'x' is not a log10 probability")
    #expect(
      message(good.replacingOccurrences(of: "-0.1\t<s> a", with: "-0.1\t<s>"))
        == "m.arpa:11: a 2-gram line needs a log10 probability, 2 words and an optional back-off weight; found 2 fields"
    )
    #expect(
      message("\\data\\\nngram 1=3\nngram 2=1\n")
        == "m.arpa:3: the file ends before the \\1-grams: section (truncated? the header declares 3)")
    #expect(
      message(good.replacingOccurrences(of: "\\2-grams:", with: "\\3-grams:"))
        == "m.arpa:10: expected '\\2-grams:', found '\\3-grams:'")
    #expect(
      message("\\data\\\nngram 1=1\nngram 2=1\nngram 3=1\nngram 4=1\nngram 5=1\nngram 6=1\nngram 7=1\n")
        == "m.arpa:8: order 7 is more than ngram-tui reads (orders 1–6)")
    #expect(
      message(good.replacingOccurrences(of: "\\end\\", with: "\\3-grams:\u{1b}[2J"))
        == "m.arpa:13: expected \\end\\ after the \\2-grams: section, found '\\3-grams:\\e[2J' (is the header's order right?)"
    )
    // A count no file of this size can hold is refused at its line, before anything is
    // allocated for it (it used to reserve count × 8 bytes and abort the process).
    #expect(
      message(good.replacingOccurrences(of: "ngram 1=3", with: "ngram 1=99999999999999"))
        == "m.arpa:2: 'ngram 1=99999999999999' declares more 1-grams than a file of 114 bytes can hold (is the count line wrong, or the file truncated?)"
    )
    #expect(
      message(good.replacingOccurrences(of: "ngram 2=1", with: "ngram 2=9223372036854775807"))
        == "m.arpa:3: 'ngram 2=9223372036854775807' declares more 2-grams than a file of 119 bytes can hold (is the count line wrong, or the file truncated?)"
    )
    let dup = good.replacingOccurrences(of: "ngram 2=1", with: "ngram 2=2")
      .replacingOccurrences(of: "-0.1\t<s> a\n", with: "-0.1\t<s> a\n-0.2\t<s> a\n")
    #expect(message(dup) == "m.arpa:12: the 2-gram '<s> a' is listed twice (also on line 11)")
    #expect(
      message(bytes: Array("\\data\\\nngram 1=1\n\n\\1-grams:\n-1\ta".utf8) + [0xFF, 0x0A])
        == "m.arpa is not valid UTF-8: invalid byte at offset 32 (convert the file to UTF-8, e.g. with iconv)")
  }

  @Test func unreadableAndDamagedGzipFiles() throws {
    let tmp = TempDir("arpa")
    defer { tmp.cleanup() }
    #expect(throws: NgramError.unreadable(file: tmp.path + "/none.arpa", reason: "no such file (check the path)")) {
      try ARPAModel.load(path: tmp.path + "/none.arpa")
    }
    // A directory is named as one (it used to read as a file of 2^63 bytes and abort).
    #expect(throws: NgramError.unreadable(file: tmp.path, reason: "is a directory, expected an ARPA file")) {
      try ARPAModel.load(path: tmp.path)
    }
    let gz = try Data(contentsOf: URL(fileURLWithPath: ARPAExpectation.path("srilm_style.o3.arpa.gz")))
    let cut = tmp.path + "/cut.arpa.gz"
    try gz.prefix(gz.count / 2).write(to: URL(fileURLWithPath: cut))
    do {
      _ = try ARPAModel.load(path: cut)
      Issue.record("a truncated gzip file loaded")
    } catch {
      #expect("\(error)".hasPrefix("cannot read \(cut): the gzip data is damaged ("))
    }
  }

  @Test func missingContextsAreAddedAsBackOff() throws {
    // 'x a b' has no context 'x a' (KenLM refuses such files; SRILM pruning can make them):
    // ngram-tui adds 'x a' with the back-off probability and weight 0.
    let text =
      "\\data\\\nngram 1=3\nngram 2=1\nngram 3=1\n\n\\1-grams:\n-1\tx\t-0.5\n-0.6\ta\t-0.25\n-0.7\tb\n\n\\2-grams:\n-0.2\ta b\n\n\\3-grams:\n-0.05\tx a b\n\\end\\\n"
    let m = try ARPAModel.parse(Array(text.utf8), name: "m.arpa")
    let (x, a, b) = (0, 1, 2)
    #expect(abs(m.log10Probability(of: b, after: [x, a]) - -0.05) < 1e-6)
    #expect(abs(m.log10Probability(of: a, after: [x]) - (-0.5 + -0.6)) < 1e-6)
    #expect(abs(m.log10Probability(of: x, after: [x, a]) - (-0.25 + -1)) < 1e-6)
  }
}

@Suite struct DistributionTopTests {
  /// The definition: every column with its probability, sorted by probability then id.
  func naiveTop(_ d: Distribution, _ k: Int) -> [Distribution.Entry] {
    var all = (0..<d.vocabSize).map { Distribution.Entry(id: $0, probability: d.defaultProbability) }
    for e in d.explicit { all[e.id] = e }
    all.sort { $0.probability != $1.probability ? $0.probability > $1.probability : $0.id < $1.id }
    return Array(all.prefix(k))
  }

  @Test(arguments: [0, 1, 3, 10, 50])
  func topMatchesAFullSort(_ k: Int) {
    var rng = SplitMix(seed: UInt64(k) + 7)
    for trial in 0..<20 {
      let v = 50 + Int(rng.next() % 400)
      let listed = trial % 4 == 0 ? v : Int(rng.next() % UInt64(v))
      var ids = Array(0..<v)
      for i in stride(from: v - 1, to: 0, by: -1) { ids.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
      // Few distinct values, so ties with each other and with the default are common.
      let explicit = ids.prefix(listed).map {
        Distribution.Entry(id: $0, probability: Double(rng.next() % 6) / 100)
      }
      let d = Distribution(vocabSize: v, defaultProbability: 0.02, explicit: explicit)
      #expect(d.top(k) == naiveTop(d, k))
    }
  }

  /// A k far beyond the vocabulary lists the whole vocabulary (`predict --topk 99999999999`
  /// used to abort reserving k entries, and `Int.max` overflowed).
  @Test(arguments: [99_999_999_999, Int.max])
  func aHugeKListsTheWholeVocabulary(_ k: Int) {
    let d = Distribution(
      vocabSize: 5, defaultProbability: 0.1,
      explicit: [.init(id: 3, probability: 0.4), .init(id: 1, probability: 0.3)])
    #expect(d.top(k) == naiveTop(d, 5))
    let dense = Distribution(
      vocabSize: 3, defaultProbability: 0,
      explicit: (0..<3).map { .init(id: $0, probability: Double($0 + 1) / 6) })
    #expect(dense.top(k).map(\.id) == [2, 1, 0])
  }
}

struct SplitMix {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct EvaluationTests {
  /// eval on an ARPA model: every position scored with KenLM's number; OOV tokens out of the
  /// perplexity, in the second figure when the file has <unk>; perplexity from KenLM's numbers.
  @Test(arguments: ARPAExpectation.models)
  func evalGivesKenLMsScoresAndPerplexity(_ file: String) throws {
    let model = try ARPAModel.load(path: ARPAExpectation.path(file))
    let exp = ARPAExpectation.load(file)
    for t in exp.texts {
      let words = t.text.split(separator: " ").map { String($0) }
      let e = Evaluation.evaluate(model, tokens: words)
      #expect(e.tokenCount == words.count)
      #expect(e.tokens.map(\.position) == Array(0..<words.count))
      var sum = 0.0
      var sumAll = 0.0
      var inVocab = 0
      for (i, s) in t.scores.enumerated() {
        let oov = s[2].flag
        #expect(e.tokens[i].oov == oov)
        if oov && !model.hasUnknown {
          #expect(e.tokens[i].log10Probability == nil)
          continue
        }
        #expect(abs(e.tokens[i].log10Probability! - s[0].number) <= kenlmTolerance)
        sumAll += s[0].number
        if !oov {
          sum += s[0].number
          inVocab += 1
        }
      }
      #expect(e.scoredCount == inVocab)
      #expect(e.oovCount == words.count - inVocab)
      #expect(abs(e.log10Probability - sum) <= kenlmTolerance * Double(words.count))
      if inVocab > 0 {
        let ppl = pow(10, -sum / Double(inVocab))
        #expect(abs(e.perplexity! - ppl) <= 1e-4 * ppl)
      }
      if model.hasUnknown {
        let ppl = pow(10, -sumAll / Double(words.count))
        #expect(abs(e.perplexityWithOOV! - ppl) <= 1e-4 * ppl)
      } else {
        #expect(e.perplexityWithOOV == nil)
      }
    }
  }

  @Test func aZeroProbabilityMakesThePerplexityInfiniteAndIsNamed() throws {
    let text =
      "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-inf\ta\t0\n-0.3\tb\t0\n-0.3\t</s>\n\n\\2-grams:\n-0.1\ta b\n\n\\end\\\n"
    let m = try ARPAModel.parse(Array(text.utf8), name: "zero.arpa")
    let e = Evaluation.evaluate(m, tokens: ["b", "a", "b"])
    #expect(e.perplexity == .infinity)
    #expect(e.zeroProbability.map(\.position) == [1])
    #expect(e.zeroProbability.map(\.token) == ["a"])
  }
}
