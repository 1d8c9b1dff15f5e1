import NgramEngine
import Testing

/// The code of the DocC article "Getting started", so the article stays true.
@Suite("getting started article")
struct GettingStartedTests {
  @Test func theTenLinesTrainAndAnswer() throws {
    let text = "the cat sat on the mat the dog sat on the rug the cat lay on the rug"
    let corpus = try Corpus(bytes: Array(text.utf8), path: "animals.txt")
    let trainer = try Trainer(
      corpus: corpus, config: TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: 50))
    let model = try trainer.run().model
    let context = try model.context(for: ["the", "cat"])
    let top = model.topK(after: context, k: 3)
    // "the cat" was followed by "sat" once and "lay" once: those two lead, well ahead of the rest.
    #expect(Set(top.map(\.token).prefix(2)) == ["lay", "sat"])
    #expect(top[1].probability > 2 * top[2].probability)
    let generated = model.generate(from: context, count: 5).map { model.vocabulary.tokens[$0] }
    #expect(generated == ["lay", "on", "the", "rug", "the"])
  }

  @Test func anUnknownTokenIsOneLineNamingIt() throws {
    let corpus = try Corpus(bytes: Array("the cat sat on the mat".utf8), path: "t.txt")
    let model = try Trainer(corpus: corpus, config: TrainingConfig(epochs: 1)).run().model
    #expect(throws: NgramError.self) { try model.context(for: ["the", "unicorn"]) }
    do {
      _ = try model.context(for: ["the", "unicorn"])
    } catch let error as NgramError {
      #expect("\(error)".contains("'unicorn'") && !"\(error)".contains("\n"))
    }
  }
}
