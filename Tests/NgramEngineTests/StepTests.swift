import Foundation
import Testing

@testable import NgramEngine

/// Issue 11: one training step under the microscope, and any token's rank.
///
/// The oracle is a dense replay of the reference's SGD written here from the definition: one
/// full V-wide row per context, softmax with the maximum subtracted, loss −ln max(p, 1e-12),
/// argmax with the lowest id on ties, then `w[j] -= lr·(p[j] − [j = target])` for every column.
@Suite struct StepTests {
  struct Setting: CustomTestStringConvertible, Sendable {
    let corpus: String
    let context: Int
    let lr: Double
    let epochs: Int
    var testDescription: String { "\(corpus) n=\(context) lr=\(lr) epochs=\(epochs)" }
  }

  static let settings: [Setting] = {
    var out: [Setting] = []
    for name in ["cat_dog", "quoting_and_unicode", "repeat_one_token", "three_tokens"] {
      for n in 0...3 { out.append(Setting(corpus: name, context: n, lr: 0.1, epochs: 6)) }
    }
    out.append(Setting(corpus: "cat_dog", context: 2, lr: 0.5, epochs: 12))
    out.append(Setting(corpus: "cat_dog", context: 1, lr: 2.5, epochs: 9))
    for n in 0...3 { out.append(Setting(corpus: "fortunes_300", context: n, lr: 0.1, epochs: n == 0 ? 2 : 3)) }
    return out
  }()

  static func load(_ name: String) throws -> Corpus {
    let c = Fixtures.named("conformance", name)
    let bytes = try #require(readBytes(c.corpusURL.path))
    return try Corpus(bytes: bytes, path: c.corpusURL.path)
  }

  /// What the dense replay records at one step.
  struct DenseStep {
    var before: [Double]
    var after: [Double]
    var loss: Double
    var predicted: Int
    var seenTargets: Int
  }

  /// Replays every step densely and hands each one to `visit(epoch, pair, step)`.
  static func denseWalk(
    ids: [Int], v: Int, n: Int, lr: Double, epochs: Int, visit: (Int, Int, DenseStep) -> Void
  ) {
    var rows: [[Int]: [Double]] = [:]
    var seen: [[Int]: Set<Int>] = [:]
    let pairs = ids.count - n
    for e in 1...epochs {
      for i in 0..<pairs {
        let ctx = Array(ids[i..<(i + n)])
        let t = ids[i + n]
        var w = rows[ctx] ?? [Double](repeating: 0, count: v)
        var m = w[0]
        for j in 0..<v where w[j] > m { m = w[j] }
        var p = [Double](repeating: 0, count: v)
        var z = 0.0
        for j in 0..<v {
          p[j] = exp(w[j] - m)
          z += p[j]
        }
        for j in 0..<v { p[j] /= z }
        var best = 0
        for j in 0..<v where p[j] > p[best] { best = j }
        let loss = -log(max(p[t], 1e-12))
        for j in 0..<v { w[j] -= lr * (p[j] - (j == t ? 1 : 0)) }
        var m2 = w[0]
        for j in 0..<v where w[j] > m2 { m2 = w[j] }
        var q = [Double](repeating: 0, count: v)
        var z2 = 0.0
        for j in 0..<v {
          q[j] = exp(w[j] - m2)
          z2 += q[j]
        }
        for j in 0..<v { q[j] /= z2 }
        let seenBefore = seen[ctx, default: []].count
        seen[ctx, default: []].insert(t)
        rows[ctx] = w
        visit(e, i + 1, DenseStep(before: p, after: q, loss: loss, predicted: best, seenTargets: seenBefore))
      }
    }
  }

  /// Top k of a dense row: probability descending, id ascending.
  static func denseTop(_ p: [Double], _ k: Int) -> [Int] {
    Array(p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }.prefix(k))
  }

  @Test(arguments: settings)
  func stepEqualsADenseReplay(_ s: Setting) throws {
    let corpus = try Self.load(s.corpus)
    guard corpus.tokenCount > s.context else { return }
    let inspector = try StepInspector(
      corpus: corpus, config: TrainingConfig(contextLength: s.context, learningRate: s.lr, epochs: s.epochs))
    let v = corpus.vocabulary.count
    let ids = corpus.tokenIDs.map(Int.init)
    #expect(inspector.pairCount == ids.count - s.context)
    // Every step of small corpora; a spread of steps (first, last, every 37th, every 149th for the unigram) of larger ones
    // (fewer for the unigram, whose one row replays every pair of the corpus: slow in debug builds).
    let every = inspector.pairCount > 60 ? (s.context == 0 ? 149 : 37) : 1
    var checked = 0
    Self.denseWalk(ids: ids, v: v, n: s.context, lr: s.lr, epochs: s.epochs) { e, pair, d in
      guard pair % every == 0 || pair == 1 || pair == inspector.pairCount else { return }
      guard let step = try? inspector.step(epoch: e, pair: pair) else {
        Issue.record("no step at epoch \(e) pair \(pair)")
        return
      }
      checked += 1
      let at = "epoch \(e) pair \(pair)"
      #expect(step.epoch == e && step.pair == pair && step.pairs == ids.count - s.context, "\(at)")
      #expect(step.context == Array(ids[(pair - 1)..<(pair - 1 + s.context)]), "\(at)")
      #expect(step.target == ids[pair - 1 + s.context], "\(at)")
      #expect(step.learningRate == s.lr)
      var worstBefore = 0.0
      var worstAfter = 0.0
      var worstGradient = 0.0
      for j in 0..<v {
        worstBefore = max(worstBefore, abs(step.before.distribution.probability(of: j) - d.before[j]))
        worstAfter = max(worstAfter, abs(step.after.distribution.probability(of: j) - d.after[j]))
        let y = j == step.target ? 1.0 : 0.0
        worstGradient = max(worstGradient, abs(step.gradient(of: j) - (d.before[j] - y)))
      }
      #expect(worstBefore <= 1e-10, "\(at): before differs by \(worstBefore)")
      #expect(worstAfter <= 1e-10, "\(at): after differs by \(worstAfter)")
      #expect(worstGradient <= 1e-10, "\(at): gradient differs by \(worstGradient)")
      #expect(abs(step.pTarget - d.before[step.target]) <= 1e-10, "\(at)")
      #expect(abs(step.loss - d.loss) <= 1e-10, "\(at): loss \(step.loss) vs \(d.loss)")
      #expect(step.predicted == d.predicted, "\(at)")
      #expect(step.correct == (d.predicted == step.target), "\(at)")
      #expect(step.explicitColumns == d.seenTargets, "\(at)")
      #expect(step.sharedColumns == v - d.seenTargets, "\(at)")
      let k = min(5, v)
      #expect(step.before.distribution.top(k).map(\.id) == Self.denseTop(d.before, k), "\(at)")
      #expect(step.after.distribution.top(k).map(\.id) == Self.denseTop(d.after, k), "\(at)")
    }
    #expect(checked >= min(inspector.pairCount, 3) * s.epochs)
  }

  @Test func theLastStepOfARowInAnEpochIsTheModelTrainedForThatManyEpochs() throws {
    let corpus = try Self.load("cat_dog")
    for epochs in [1, 4] {
      let config = TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: epochs)
      let (model, _) = try Trainer(corpus: corpus, config: config).train()
      let inspector = try StepInspector(corpus: corpus, config: TrainingConfig(epochs: 9))
      var lastPair: [[Int]: Int] = [:]
      for p in 1...inspector.pairCount { lastPair[inspector.window(pair: p).context] = p }
      for (ctx, p) in lastPair {
        let after = try inspector.step(epoch: epochs, pair: p).after.distribution
        let want = model.distribution(context: ctx)
        for j in 0..<corpus.vocabulary.count {
          #expect(after.probability(of: j) == want.probability(of: j), "context \(ctx) column \(j)")
        }
      }
    }
  }

  @Test func aBigRowSplitAtAnyStepTrainsAsTheWholeEpoch() throws {
    // "the" before every other word, from 300 others: a row of up to 300 columns, big enough to
    // carry its exps (RowKernel.carryColumns), with more steps an epoch than carrySteps. A step
    // is its epoch split in two; the carried state must pass the split unchanged.
    var g = SeededGenerator(seed: 17)
    let words = (0..<300).map { "w\($0)" }
    let text = (0..<3000).map { i in i % 2 == 0 ? "the" : words[Int.random(in: 0..<words.count, using: &g)] }
      .joined(separator: " ")
    let corpus = try Corpus(bytes: Array(text.utf8), path: "corpus/the.txt")
    let the = try #require(corpus.vocabulary.id(of: "the"))
    let inspector = try StepInspector(corpus: corpus, config: TrainingConfig(contextLength: 1, epochs: 3))
    let pairs = (1...inspector.pairCount).filter { inspector.window(pair: $0).context == [Int(the)] }
    #expect(pairs.count > 3 * RowKernel.carrySteps)
    for epochs in [1, 2] {
      let config = TrainingConfig(contextLength: 1, learningRate: 0.1, epochs: epochs)
      let (model, _) = try Trainer(corpus: corpus, config: config).train()
      let after = try inspector.step(epoch: epochs, pair: pairs.last!).after.distribution
      let want = model.distribution(context: [Int(the)])
      #expect(want.explicit.count >= RowKernel.carryColumns)
      for j in 0..<corpus.vocabulary.count {
        #expect(
          after.probability(of: j).bitPattern == want.probability(of: j).bitPattern, "epoch \(epochs) column \(j)")
      }
    }
    // Consecutive steps, across the recomputation points: one's after is the next one's before.
    for i in [1, RowKernel.carrySteps - 1, RowKernel.carrySteps, RowKernel.carrySteps + 5, pairs.count - 2] {
      let a = try inspector.step(epoch: 2, pair: pairs[i]).after
      let b = try inspector.step(epoch: 2, pair: pairs[i + 1]).before
      #expect(
        a.weights.map(\.bitPattern) == b.weights.map(\.bitPattern) && a.sharedWeight == b.sharedWeight, "step \(i)")
    }
  }

  @Test func theWorkedNumbersOfTheFirstStep() throws {
    // Before any update every row is uniform: p = 1/V, loss = ln V, predicted = id 0, and the
    // update moves the target by lr·(1 − 1/V) and every other column by −lr/V.
    let corpus = try Self.load("cat_dog")
    let inspector = try StepInspector(corpus: corpus, config: TrainingConfig())
    let step = try inspector.step(epoch: 1, pair: 1)
    let v = Double(corpus.vocabulary.count)
    #expect(corpus.vocabulary.tokens[step.target] == "sat")
    #expect(step.context.map { corpus.vocabulary.tokens[$0] } == ["the", "cat"])
    #expect(step.pTarget == 1 / v)
    #expect(abs(step.loss - log(v)) < 1e-15)
    #expect(step.predicted == 0)
    #expect(step.explicitColumns == 0 && step.sharedColumns == corpus.vocabulary.count)
    #expect(abs(step.after.weight(of: step.target) - 0.1 * (1 - 1 / v)) < 1e-15)
    #expect(abs(step.after.sharedWeight - (-0.1 / v)) < 1e-15)
    #expect(step.after.columns == [step.target])
    #expect(step.occurrence == 1 && step.occurrences == 2)
  }

  @Test func nextOccurrenceWalksOneRowThroughTheEpochs() throws {
    let corpus = try Self.load("cat_dog")
    let inspector = try StepInspector(corpus: corpus, config: TrainingConfig(epochs: 2))
    let ids = corpus.tokenIDs.map(Int.init)
    let first = inspector.window(pair: 1).context
    let want = (0..<(ids.count - 2)).filter { Array(ids[$0..<($0 + 2)]) == first }.map { $0 + 1 }
    #expect(inspector.pairs(of: first) == want)
    var at = (epoch: 1, pair: 1)
    var visited: [(Int, Int)] = [(1, 1)]
    while let next = inspector.nextOccurrence(epoch: at.epoch, pair: at.pair) {
      visited.append((next.epoch, next.pair))
      at = next
    }
    #expect(visited.map(\.0) == want.map { _ in 1 } + want.map { _ in 2 })
    #expect(visited.map(\.1) == want + want)
  }

  @Test func badEpochsAndPairsAreNamed() throws {
    let corpus = try Self.load("cat_dog")
    let inspector = try StepInspector(corpus: corpus, config: TrainingConfig(epochs: 3))
    #expect(
      thrownError { _ = try inspector.step(epoch: 4, pair: 1) } as? NgramError
        == .stepEpochOutOfRange(epoch: 4, epochs: 3))
    #expect(
      errorText { _ = try inspector.step(epoch: 4, pair: 1) }
        == "invalid epoch 4: use 1 to 3 (the epochs this model was trained for)")
    #expect(
      thrownError { _ = try inspector.step(epoch: 1, pair: 0) } as? NgramError
        == .stepPairOutOfRange(pair: 0, pairs: 22))
    #expect(
      thrownError { _ = try inspector.step(epoch: 1, pair: 23) } as? NgramError
        == .stepPairOutOfRange(pair: 23, pairs: 22))
  }

  @Test func heldOutTokensAreNotStepsOfTraining() throws {
    let corpus = try Self.load("fortunes_300")
    let config = TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: 2, holdout: 0.25)
    let inspector = try StepInspector(corpus: corpus, config: config)
    let trainer = try Trainer(corpus: corpus, config: config)
    #expect(inspector.pairCount == trainer.pairCount)
    let (model, _) = try trainer.train()
    // The last occurrence in epoch 2 of each of the first contexts is the trained row.
    for p in stride(from: 1, through: inspector.pairCount, by: 11) {
      let ctx = inspector.window(pair: p).context
      let last = inspector.pairs(of: ctx).last!
      let after = try inspector.step(epoch: 2, pair: last).after.distribution
      #expect(after.top(5).map(\.probability) == model.distribution(context: ctx).top(5).map(\.probability))
    }
  }

  // MARK: - rank

  /// Every id's rank, by sorting all V probabilities (probability descending, id ascending).
  static func fullRanks(_ d: Distribution) -> [Int] {
    let p = (0..<d.vocabSize).map { d.probability(of: $0) }
    let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
    var rank = [Int](repeating: 0, count: p.count)
    for (i, id) in order.enumerated() { rank[id] = i + 1 }
    return rank
  }

  @Test func rankIsThePositionInTheFullSortedDistribution() throws {
    let corpus = try Self.load("fortunes_300")
    let (model, _) = try Trainer(corpus: corpus, config: TrainingConfig(epochs: 3)).train()
    let v = corpus.vocabulary.count
    var contexts: [[Int]] = [[0, 0]]  // never seen: uniform, every token tied
    let ids = corpus.tokenIDs.map(Int.init)
    for i in stride(from: 0, to: ids.count - 2, by: 13) { contexts.append([ids[i], ids[i + 1]]) }
    for ctx in contexts {
      let d = model.distribution(context: ctx)
      let want = Self.fullRanks(d)
      #expect((0..<v).map { d.rank(of: $0) } == want, "context \(ctx)")
      #expect(d.top(v).map(\.id).enumerated().allSatisfy { d.rank(of: $0.element) == $0.offset + 1 })
    }
    // Hand-made ties between explicit and shared columns.
    let tied = Distribution(
      vocabSize: 6, defaultProbability: 0.1,
      explicit: [.init(id: 4, probability: 0.1), .init(id: 2, probability: 0.4), .init(id: 1, probability: 0.1)])
    #expect((0..<6).map { tied.rank(of: $0) } == [2, 3, 1, 4, 5, 6])
    #expect((0..<6).map { tied.rank(of: $0) } == Self.fullRanks(tied))
  }
}
