import Foundation
import Testing

@testable import NgramEngine

/// Issue 5: time travel, observed counts, held-out evaluation, sampling, comparison.
@Suite struct InsightTests {
  static let catDog = "the cat sat on the mat\nthe dog sat on the rug\nthe cat lay on the rug\nthe dog lay on the mat\n"

  func corpus(_ text: String = catDog) throws -> Corpus {
    try Corpus(bytes: Array(text.utf8), path: "corpus/cat_dog.txt")
  }

  @Test(arguments: [0, 1, 5, 17])
  func timeTravelEqualsTrainingWithFewerEpochs(epochs: Int) throws {
    let c = try corpus()
    let (model, _) = try Trainer(corpus: c, config: TrainingConfig(epochs: epochs)).train()
    for a in 0..<c.vocabulary.count {
      for b in 0..<c.vocabulary.count {
        let replay = TimeTravel.history(corpus: c, context: [a, b], learningRate: 0.1, epochs: epochs)
        #expect(replay.count == epochs + 1)
        let got = replay[epochs].top(c.vocabulary.count)
        let want = model.distribution(context: [a, b]).top(c.vocabulary.count)
        #expect(got.map(\.id) == want.map(\.id), "context \(a) \(b)")
        #expect(got.map(\.probability) == want.map(\.probability), "context \(a) \(b)")
      }
    }
  }

  @Test func timeTravelOnTheVisibleFortunesFixture() throws {
    let c = Fixtures.named("conformance", "fortunes_300")
    let bytes = try #require(readBytes(c.corpusURL.path))
    let corpus = try Corpus(bytes: bytes, path: c.corpusURL.path)
    let (model, _) = try Trainer(corpus: corpus, config: TrainingConfig(epochs: 5)).train()
    let ids = Array(corpus.tokenIDs.prefix(40)).map(Int.init)
    for i in 0..<(ids.count - 2) {
      let ctx = [ids[i], ids[i + 1]]
      let replay = TimeTravel.history(corpus: corpus, context: ctx, learningRate: 0.1, epochs: 5).last!
      #expect(replay.top(10).map(\.probability) == model.distribution(context: ctx).top(10).map(\.probability))
    }
  }

  @Test func observedCountsAreTheCorpusCounts() throws {
    let c = try corpus()
    let the = c.vocabulary.id(of: "the")!
    let cat = c.vocabulary.id(of: "cat")!
    let s = c.successors(of: [the, cat])
    #expect(s.occurrences == 2)
    #expect(s.counts.map { c.vocabulary.tokens[$0.id] } == ["lay", "sat"])
    #expect(s.counts.map(\.count) == [1, 1])
    let on = c.vocabulary.id(of: "on")!
    let afterOn = c.successors(of: [on])
    #expect(afterOn.occurrences == 4)
    #expect(afterOn.counts.map { c.vocabulary.tokens[$0.id] } == ["the"])
    // The unigram context: every token.
    #expect(c.successors(of: []).occurrences == c.tokenCount)
  }

  @Test func klDivergenceIsZeroAtTheCountsAndPositiveElsewhere() throws {
    let c = try corpus()
    let the = c.vocabulary.id(of: "the")!
    let cat = c.vocabulary.id(of: "cat")!
    let s = c.successors(of: [the, cat])
    let exact = Distribution(
      vocabSize: c.vocabulary.count, defaultProbability: 0,
      explicit: s.counts.map { .init(id: $0.id, probability: Double($0.count) / 2) })
    #expect(s.klDivergenceBits(from: exact) == 0)
    let uniform = Distribution(vocabSize: 8, defaultProbability: 1.0 / 8, explicit: [])
    #expect(abs(s.klDivergenceBits(from: uniform) - 2.0) < 1e-12)  // log2(0.5 / 0.125)
  }

  @Test func countOptimumIsTheConditionalEntropy() throws {
    let c = try corpus()
    let t = try Trainer(corpus: c, config: TrainingConfig())
    // 22 pairs; contexts followed by two different tokens once each contribute ln 2 per pair.
    var expected = 0.0
    var seen: [[Int32]: [Int32: Int]] = [:]
    let ids = c.tokenIDs
    for i in 0..<(ids.count - 2) { seen[[ids[i], ids[i + 1]], default: [:]][ids[i + 2], default: 0] += 1 }
    for (_, followers) in seen {
      let n = Double(followers.values.reduce(0, +))
      for (_, k) in followers { expected -= Double(k) * log(Double(k) / n) }
    }
    #expect(abs(t.countOptimumLoss - expected / 22) < 1e-12)
    // Training approaches it from above.
    let (_, log) = try t.train()
    #expect(log.last!.avgLoss > t.countOptimumLoss)
  }

  @Test func holdoutScoresTheTailAndLeavesTheTrainLogFormat() throws {
    let tmp = TempDir("holdout")
    defer { tmp.cleanup() }
    let c = try corpus()
    let config = TrainingConfig(epochs: 3, holdout: 0.25)
    let trainer = try Trainer(corpus: c, config: config)
    // 24 tokens, 6 held out: training pairs come from the first 18 tokens.
    #expect(trainer.pairCount == 16)
    #expect(trainer.heldOutPairCount == 6)
    let outcome = try trainer.run()
    #expect(outcome.validation.count == 3)
    // Independent check of the unseen share: held-out pairs whose context is not among the
    // training contexts.
    let ids = c.tokenIDs
    var trainingContexts = Set<[Int32]>()
    for i in 0..<(18 - 2) { trainingContexts.insert([ids[i], ids[i + 1]]) }
    var unseen = 0
    for i in (18 - 2)..<(24 - 2) where !trainingContexts.contains([ids[i], ids[i + 1]]) { unseen += 1 }
    #expect(outcome.validation[0].unseenContexts == Double(unseen) / 6)
    #expect(abs(outcome.validation[2].valPerplexity - exp(outcome.validation[2].valLoss)) < 1e-12)
    // Training on the first 18 tokens alone gives the same train log.
    let head = try Corpus(
      bytes: Array(ids.prefix(18).map { c.vocabulary.tokens[Int($0)] }.joined(separator: " ").utf8), path: "x")
    let alone = try Trainer(corpus: head, config: TrainingConfig(epochs: 3)).train().log
    #expect(zip(alone, outcome.log).allSatisfy { abs($0.avgLoss - $1.avgLoss) < 1e-12 && $0.accuracy == $1.accuracy })
    // Written files: the reference's train_log format and a separate eval log.
    _ = try ArtifactStore.write(
      directory: tmp.path, corpus: c, config: config, model: outcome.model, log: outcome.log, format: .compact,
      validation: outcome.validation)
    let eval = String(decoding: readBytes(tmp.url.appendingPathComponent("outputs/eval_log.csv").path)!, as: UTF8.self)
    #expect(eval.hasPrefix("epoch,val_loss,val_perplexity,unseen_contexts\r\n1,"))
    let train = String(
      decoding: readBytes(tmp.url.appendingPathComponent("outputs/train_log.csv").path)!, as: UTF8.self)
    #expect(train.hasPrefix("epoch,avg_loss,accuracy\r\n1,"))
  }

  @Test func invalidHoldoutIsRejected() throws {
    #expect(throws: NgramError.self) { try TrainingConfig(holdout: 1).validate() }
    #expect(throws: NgramError.self) { try TrainingConfig(holdout: -0.1).validate() }
  }

  @Test func samplingIsReproducibleAndGreedyAtZeroTemperature() throws {
    let c = try corpus()
    let (model, _) = try Trainer(corpus: c, config: TrainingConfig()).train()
    let start = [c.vocabulary.id(of: "the")!, c.vocabulary.id(of: "cat")!]
    let a = model.sample(start: start, count: 30, options: SamplingOptions(temperature: 1, seed: 7))
    let b = model.sample(start: start, count: 30, options: SamplingOptions(temperature: 1, seed: 7))
    let other = model.sample(start: start, count: 30, options: SamplingOptions(temperature: 1, seed: 8))
    #expect(a == b)
    #expect(a != other)
    #expect(
      model.sample(start: start, count: 30, options: SamplingOptions(temperature: 0, seed: 7))
        == model.generate(start: start, count: 30))
    // top-k 1 is greedy at any temperature.
    #expect(
      model.sample(start: start, count: 30, options: SamplingOptions(temperature: 2, topK: 1, seed: 3))
        == model.generate(start: start, count: 30))
    // The generator itself is fixed: SplitMix64's published first outputs for seed 0.
    var g = SeededGenerator(seed: 0)
    #expect(g.next() == 0xE220_A839_7B1D_CDAF)
    #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
  }

  @Test func topPKeepsTheSmallestNucleus() throws {
    let d = Distribution(
      vocabSize: 4, defaultProbability: 0.05,
      explicit: [.init(id: 2, probability: 0.6), .init(id: 0, probability: 0.3)])
    var rng = SeededGenerator(seed: 1)
    for _ in 0..<200 {
      let id = d.sample(SamplingOptions(temperature: 1, topP: 0.5, seed: 1), using: &rng)
      #expect(id == 2)
    }
    var seen = Set<Int>()
    for _ in 0..<500 { seen.insert(d.sample(SamplingOptions(temperature: 1, topP: 0.85, seed: 1), using: &rng)) }
    #expect(seen == [0, 2])
  }

  @Test func compareEqualsSeparateRuns() throws {
    let c = try corpus()
    let rows = try ContextComparison.run(
      corpus: c, tokens: ["on", "the", "cat"], contextLengths: [1, 2, 3], holdout: 0.25)
    #expect(rows.map(\.contextLength) == [1, 2, 3])
    for r in rows {
      let (model, log) = try Trainer(corpus: c, config: TrainingConfig(contextLength: r.contextLength)).train()
      let ctx = try model.ids(for: Array(["on", "the", "cat"].suffix(r.contextLength)))
      #expect(r.topK == model.topK(context: ctx, k: 5))
      #expect(r.trainingLoss == log.last!.avgLoss)
      let held = try Trainer(corpus: c, config: TrainingConfig(contextLength: r.contextLength, holdout: 0.25)).run()
      #expect(r.heldOutPerplexity == held.validation.last!.valPerplexity)
    }
  }

  @Test func fixedFourDecimalsMatchesPrintf() {
    var rng = SeededGenerator(seed: 42)
    var values: [Double] = [0.00005, -0.00005, 0.00015, 0.12345, 2.5e-5, -1e-300, 1e13, 123.45675, 0.99995, -0.99995]
    for _ in 0..<20000 {
      let scale = pow(10, Double(Int(rng.next() % 16)) - 8)
      values.append((rng.nextUnit() * 2 - 1) * scale)
    }
    for v in values where v != 0 {
      var mine: [UInt8] = []
      CSV.appendFixed4(v, to: &mine)
      #expect(String(decoding: mine, as: UTF8.self) == String(format: "%.4f", v), "\(v)")
    }
  }
}

/// Compare reuses the explorer's own run for its context length: the numbers must be those of
/// training afresh.
@Suite("Compare reuses the main run")
struct CompareReuseTests {
  static let text = "the cat sat on the mat . the dog sat on the rug . the cat lay on the rug . a dog ran .\n"

  static func same(_ a: TrainedContextModel, _ b: TrainedContextModel, _ words: [String]) throws {
    let x = try a.answer(words, topK: 50)
    let y = try b.answer(words, topK: 50)
    #expect(x.topK == y.topK)
    #expect(x.contextSeen == y.contextSeen)
    #expect(a.trainingLoss == b.trainingLoss)
    #expect(a.contexts == b.contexts)
    #expect(a.heldOutPerplexity == b.heldOutPerplexity)
    #expect(a.heldOutUnseen == b.heldOutUnseen)
  }

  @Test("a full-corpus run, a held-out run and another length's run give fresh training's numbers")
  func reusedEqualsFresh() throws {
    let corpus = try Corpus(bytes: Array(Self.text.utf8), path: "corpus/reuse.txt")
    for n in [1, 2, 3] {
      let fresh = try TrainedContextModel(corpus: corpus, contextLength: n, learningRate: 0.1, epochs: 30, holdout: 0.2)
      // The explorer trained without a holdout: its model is the full-corpus one.
      let full = try Trainer(corpus: corpus, config: TrainingConfig(contextLength: n, learningRate: 0.1, epochs: 30))
        .run()
      let fromFull = try TrainedContextModel(
        corpus: corpus, contextLength: n, learningRate: 0.1, epochs: 30, holdout: 0.2, reusing: full, runHoldout: 0)
      try Self.same(fromFull, fresh, ["the", "cat", "sat"])
      // It trained with Compare's holdout: its held-out scores are the ones wanted.
      let held = try Trainer(
        corpus: corpus, config: TrainingConfig(contextLength: n, learningRate: 0.1, epochs: 30, holdout: 0.2)
      ).run()
      #expect(held.validation.count == 30)
      let fromHeld = try TrainedContextModel(
        corpus: corpus, contextLength: n, learningRate: 0.1, epochs: 30, holdout: 0.2, reusing: held,
        runHoldout: 0.2)
      try Self.same(fromHeld, fresh, ["on", "the", "rug"])
      // Another context length's run is not used.
      let other = try Trainer(
        corpus: corpus, config: TrainingConfig(contextLength: n == 1 ? 2 : 1, learningRate: 0.1, epochs: 30)
      ).run()
      let fromOther = try TrainedContextModel(
        corpus: corpus, contextLength: n, learningRate: 0.1, epochs: 30, holdout: 0.2, reusing: other, runHoldout: 0)
      try Self.same(fromOther, fresh, ["a", "dog", "ran"])
    }
  }
}
