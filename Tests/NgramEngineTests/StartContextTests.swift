import Foundation
import Testing

@testable import NgramEngine

/// Where generation starts, one rule for every model (`LanguageModel.startContext`): the given
/// tokens, exactly `contextLength` of them (fewer only for a back-off model), else the model's
/// own start; unknown tokens are what the model's `context(for:)` makes of them.
@Suite struct StartContextTests {
  static let text = "the cat sat on the mat\nthe dog sat on the rug\n"

  func corpus() throws -> Corpus { try Corpus(bytes: Array(Self.text.utf8), path: "cat_dog.txt") }

  @Test("SGD: exactly n given tokens, else the first n of the corpus; unknown tokens are an error")
  func sgd() throws {
    let corpus = try corpus()
    let (model, _) = try Trainer(corpus: corpus, config: TrainingConfig(contextLength: 2, epochs: 1)).train()
    let v = model.vocabulary
    let given = try model.startContext(given: ["sat", "on"], default: corpus.firstTokens(2))
    #expect(
      given == StartContext(tokens: ["sat", "on"], context: TokenContext(ids: [v.id(of: "sat")!, v.id(of: "on")!])))
    let fallback = try model.startContext(given: [], default: ["the", "cat", "sat"])
    #expect(fallback.tokens == ["the", "cat"])
    #expect(corpus.firstTokens(2) == ["the", "cat"])
    #expect(corpus.firstTokens(0) == [])
    #expect(throws: NgramError.startTokenCount(needed: 2, given: 1, fewerAllowed: false)) {
      try model.startContext(given: ["the"], default: nil)
    }
    #expect(throws: NgramError.startTokenCount(needed: 2, given: 3, fewerAllowed: false)) {
      try model.startContext(given: ["the", "cat", "sat"], default: nil)
    }
    #expect(throws: NgramError.startTokensMissing(needed: 2)) { try model.startContext(given: [], default: nil) }
    #expect(throws: NgramError.startTokensMissing(needed: 2)) { try model.startContext(given: [], default: ["the"]) }
    #expect(throws: NgramError.unknownTokens(["teh"], suggestions: [v.suggestions(for: "teh")])) {
      try model.startContext(given: ["teh", "cat"], default: nil)
    }
    #expect(v.suggestions(for: "teh").first == "the")
    // Not a back-off model: it conditions on the whole context it reads.
    #expect(!model.acceptsShorterContexts)
    #expect(model.usedContextLength(given.context) == 2)
  }

  @Test("count models: the same rule; unknown words are read as <UNK>, as NLTK scores them")
  func count() throws {
    let corpus = try corpus()
    let model = try CountModel(corpus: corpus, contextLength: ContextLength(1)!, estimator: .mle)
    #expect(try model.startContext(given: [], default: corpus.firstTokens(1)).tokens == ["the"])
    #expect(throws: NgramError.startTokenCount(needed: 1, given: 2, fewerAllowed: false)) {
      try model.startContext(given: ["the", "cat"], default: nil)
    }
    let zero = try CountModel(corpus: corpus, contextLength: ContextLength(0)!, estimator: .mle)
    #expect(try zero.startContext(given: [], default: corpus.firstTokens(0)).tokens == [])
    #expect(throws: NgramError.startTokenCount(needed: 0, given: 1, fewerAllowed: false)) {
      try zero.startContext(given: ["the"], default: nil)
    }
    let unknown = try model.startContext(given: ["zebra"], default: nil)
    #expect(unknown.tokens == ["zebra"])
    #expect(unknown.context == TokenContext(ids: [model.unknownID]))
  }

  @Test("ARPA: at most n tokens (a back-off model reads shorter contexts); unknown words are <unk>")
  func arpa() throws {
    let model = try ARPAModel.load(path: ARPAExpectation.path("cat_dog.o3.arpa"))
    let v = model.vocabulary
    #expect(model.acceptsShorterContexts)
    // "sat" never follows "zebra": KenLM's state after "zebra sat" is "sat" alone.
    let backedOff = try model.context(for: ["zebra", "sat"])
    #expect(model.usedContextLength(backedOff) == 1)
    #expect(model.usedContextLength(try model.context(for: ["the", "cat"])) == 2)
    #expect(try model.startContext(given: ["cat"], default: nil).context == TokenContext(ids: [v.id(of: "cat")!]))
    #expect(try model.startContext(given: [], default: []).tokens == [])
    #expect(try model.startContext(given: [], default: ["<s>"]).tokens == ["<s>"])
    #expect(throws: NgramError.startTokenCount(needed: 2, given: 3, fewerAllowed: true)) {
      try model.startContext(given: ["the", "cat", "sat"], default: nil)
    }
    #expect(throws: NgramError.startTokensMissing(needed: 2)) { try model.startContext(given: [], default: nil) }
    let unknown = try model.startContext(given: ["zebra", "the"], default: nil)
    #expect(unknown.context == TokenContext(ids: [model.unknownID, v.id(of: "the")!]))
  }

  @Test("the engine's words for the start-token errors")
  func messages() {
    #expect(
      NgramError.startTokenCount(needed: 2, given: 3, fewerAllowed: false).description
        == "this model starts generating from 2 tokens, got 3")
    #expect(
      NgramError.startTokenCount(needed: 1, given: 3, fewerAllowed: true).description
        == "this model starts generating from at most 1 token, got 3")
    #expect(
      NgramError.startTokensMissing(needed: 2).description
        == "no start tokens given, and this model has none of its own: it starts generating from 2 tokens")
  }
}
