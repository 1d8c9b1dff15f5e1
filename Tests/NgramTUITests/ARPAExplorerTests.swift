import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// The explorer on an ARPA model (`ngram-tui --arpa FILE`): KenLM's lmplz file for the cat/dog
/// corpus, with KenLM's scores recorded by scripts/make-arpa-fixtures.py.
enum ARPAFixture {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../NgramEngineTests/Fixtures/arpa").standardized

  /// The model, named by its file name only (the Train screen shows the name).
  static func model(_ name: String = "cat_dog.o3.arpa") throws -> ARPAModel {
    let bytes = try [UInt8](Data(contentsOf: root.appendingPathComponent("models/\(name)")))
    return try ARPAModel.parse(bytes, name: name)
  }

  static func state(ascii: Bool = false) throws -> AppState {
    try AppState(arpa: try model(), glyphs: ascii ? .asciiSet : .unicodeSet, topK: 5)
  }

  /// Every context KenLM scored, with its log10 probability of every vocabulary word.
  static func kenlm(model: String = "cat_dog.o3.arpa") throws -> [(context: [String], scores: [String: Double])] {
    let doc =
      try JSONSerialization.jsonObject(with: Data(contentsOf: root.appendingPathComponent("expected/\(model).json")))
      as! [String: Any]
    let vocab = doc["vocabulary"] as! [String]
    return (doc["contexts"] as! [[String: Any]]).map { entry in
      (entry["context"] as! [String], Dictionary(uniqueKeysWithValues: zip(vocab, entry["scores"] as! [Double])))
    }
  }
}

@Suite struct ARPAExplorerTests {
  @Test(arguments: [false, true])
  func trainScreenShowsTheOrdersAndNgramCounts(ascii: Bool) throws {
    let s = try ARPAFixture.state(ascii: ascii)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "arpa_train_80x24_\(ascii ? "ascii" : "unicode")")
  }

  @Test func tabSkipsTheScreensThatNeedTraining() throws {
    var s = try ARPAFixture.state()
    var seen: [Screen] = []
    for _ in 0..<4 {
      seen.append(s.screen)
      _ = s.handle(.tab)
      if s.isTyping { _ = s.handle(.escape) }
    }
    #expect(seen == [.train, .explore, .generate, .train])
    #expect(s.screen == .explore)
    _ = s.handle(.backTab)
    _ = s.handle(.backTab)
    #expect(s.screen == .generate)
    // Training keys do nothing on Train, and their hints are not shown.
    s.show(.train)
    #expect(s.handle(.char(" ")).isEmpty)
    #expect(!KeyMap.footer(s).contains("pause"))
  }

  @Test func exploreGivesKenLMsProbabilityForEveryWord() throws {
    var s = try ARPAFixture.state()
    let all = try ARPAFixture.kenlm()
    #expect(all.count > 30)
    for (context, kenlm) in all {
      s.show(.explore)
      _ = Fixture.type(context.joined(separator: " "), into: &s)
      _ = s.handle(.enter)
      guard case .prediction(let p)? = s.explore.result else {
        Issue.record("no prediction for \(context)")
        continue
      }
      #expect(p.context == Array(context.suffix(2)))
      for (id, word) in s.vocabulary.tokens.enumerated() where word != "<s>" {
        #expect(abs(log10(p.distribution.probability(of: id)) - kenlm[word]!) <= 2e-5, "\(context) \(word)")
      }
      #expect(p.distribution.probability(of: s.arpa!.sentenceStartID!) == 0)
    }
  }

  @Test func explorePredictionAndGenerateSnapshots() throws {
    var s = try ARPAFixture.state()
    s.cycle(+1)
    _ = Fixture.type("zebra the cat", into: &s)
    _ = s.handle(.enter)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "arpa_explore_the_cat_80x24_unicode")
    // `r` ranks a word in the ARPA model; `=` (the corpus's count column) does not apply (the
    // key goes back to the prompt as a letter).
    _ = s.handle(.escape)
    _ = s.handle(.char("r"))
    _ = Fixture.type("rug", into: &s)
    _ = s.handle(.enter)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "arpa_explore_rank_rug_80x24_unicode")
    #expect(s.handle(.char("=")).isEmpty)
    #expect(s.counts.estimator == nil)
    s.show(.generate)
    for _ in 0..<5 { _ = s.handle(.char(" ")) }
    Snapshot.check(Render.frame(s, width: 80, height: 24), "arpa_generate_5_80x24_unicode")
  }

  /// `r` then a word: its rank (in the order of the bars: probability descending, then the
  /// file's 1-gram order) and probability, counted here from KenLM's recorded scores of every
  /// word after every recorded context; `<s>` is never predicted (rank last, probability 0).
  @Test func rankIsKenLMsRankAndProbabilityAfterEveryContext() throws {
    var s = try ARPAFixture.state()
    let vocab = s.vocabulary.tokens
    var checked = 0
    for (context, kenlm) in try ARPAFixture.kenlm() {
      s.show(.explore)
      _ = Fixture.type(context.joined(separator: " "), into: &s)
      _ = s.handle(.enter)
      _ = s.handle(.escape)
      let scores = vocab.map { $0 == "<s>" ? -Double.infinity : kenlm[$0]! }
      for (i, word) in vocab.enumerated() {
        #expect(s.canAskRank)
        _ = s.handle(.char("r"))
        _ = Fixture.type(word, into: &s)
        _ = s.handle(.enter)
        // KenLM keeps 32-bit floats: scores within 1e-6 are the same probability (a tie).
        let rank =
          1
          + scores.indices.filter { j in scores[j] > scores[i] + 1e-6 || (abs(scores[j] - scores[i]) <= 1e-6 && j < i) }
          .count
        let shown = Array(context.suffix(2))
        let after = shown.isEmpty ? "" : " after \"\(shown.joined(separator: " "))\""
        let p = word == "<s>" ? 0 : pow(10, scores[i])
        #expect(
          s.notice == "ARPA rank of \(word)\(after): \(rank) of \(vocab.count), probability \(Format.percent(p))",
          "\(context) \(word)")
        checked += 1
      }
    }
    #expect(checked > 300)
    // A word outside the file's vocabulary is named, as on the SGD explorer.
    _ = s.handle(.char("r"))
    _ = Fixture.type("zebra", into: &s)
    _ = s.handle(.enter)
    #expect(s.notice == "zebra is not in the vocabulary")
  }

  @Test func generateFromTheSentenceStartIsKenLMsGreedyText() throws {
    var s = try ARPAFixture.state()
    s.show(.generate)
    for _ in 0..<7 { _ = s.handle(.char(" ")) }
    // KenLM's greedy argmax from <s> (Fixtures/arpa/uses.json, scripts/make-arpa-use-fixtures.py).
    #expect(s.generate.ids.map { s.vocabulary.tokens[$0] } == ["<s>", "the", "cat", "sat", "on", "the", "mat", "</s>"])
  }
}
