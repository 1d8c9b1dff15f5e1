import Foundation
import Testing

@testable import NgramEngine

/// SPEC §1's training semantics: pairs, pre-update loss and argmax with lowest-id ties, the
/// 1e-12 clamp, options, and the exact sparse trainer against a naive dense replay.
@Suite("Training semantics")
struct TrainingTests {
  func corpus(_ text: String) throws -> Corpus { try Corpus(bytes: Array(text.utf8), path: "corpus/t.txt") }

  func replay(_ text: String, n: Int, lr: Double, epochs: Int, workers: Int = 2) throws {
    let c = try corpus(text)
    let (model, log) = try Trainer(
      corpus: c, config: TrainingConfig(contextLength: n, learningRate: lr, epochs: epochs)
    )
    .train(workers: workers)
    let d = DenseReference(tokenIDs: c.tokenIDs.map(Int.init), v: c.vocabulary.count, n: n, lr: lr, epochs: epochs)
    #expect(log.count == epochs)
    for (a, b) in zip(log, d.log) {
      #expect(abs(a.avgLoss - b.loss) <= 1e-12 * max(1, b.loss), "epoch \(a.epoch): \(a.avgLoss) vs \(b.loss)")
      #expect(a.accuracy == b.accuracy, "epoch \(a.epoch): \(a.accuracy) vs \(b.accuracy)")
    }
    let v = c.vocabulary.count
    for (r, row) in d.weights.enumerated() {
      var ctx: [Int] = []
      var x = r
      for _ in 0..<n {
        ctx.insert(x % v, at: 0)
        x /= v
      }
      let p = DenseReference.softmax(row)
      let dist = model.distribution(context: ctx)
      for j in 0..<v {
        #expect(abs(dist.probability(of: j) - p[j]) <= 1e-12, "row \(r) col \(j)")
      }
      #expect(dist.argmax == DenseReference.argmax(p))
    }
  }

  @Test("argmax takes the lowest id among equal probabilities (accuracy 0.75, not 0.5)")
  func lowestIDTies() throws {
    // Pairs (a,b)->a, (b,a)->a, (a,a)->b, (a,b)->a; every row starts uniform, so the first
    // prediction of each row is id 0 = "a".
    let c = try corpus("a b a a b a")
    let (_, hist) = try Trainer(corpus: c, config: TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: 1))
      .train()
    #expect(hist[0].accuracy == 0.75)
  }

  @Test("loss and argmax use the probabilities from before the update")
  func preUpdate() throws {
    let c = try corpus("a b a a b a")
    let (_, hist) = try Trainer(corpus: c, config: TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: 1))
      .train()
    // Three first visits at p = 1/2, then row (a,b) once updated: weights ±0.05.
    let expected = (3 * log(2.0) + -log(1 / (1 + exp(-0.1)))) / 4
    #expect(abs(hist[0].avgLoss - expected) <= 1e-15)
  }

  @Test("the loss clamps probabilities at 1e-12")
  func clamp() throws {
    let c = try corpus("a a a a b")
    let (_, hist) = try Trainer(corpus: c, config: TrainingConfig(contextLength: 0, learningRate: 100, epochs: 1))
      .train()
    // After the first "a" the unigram row is (+50, -50): p(b) = e^-100-ish, clamped to 1e-12.
    let pA = 1 / (1 + exp(-100.0))
    let expected = (log(2.0) + 3 * -log(pA) + -log(1e-12)) / 5
    #expect(abs(hist[0].avgLoss - expected) <= 1e-12)
    #expect(hist[0].accuracy == 0.8)
  }

  struct Replay: Sendable, CustomTestStringConvertible {
    let text: String
    let n: Int
    let lr: Double
    let epochs: Int
    var testDescription: String { "n=\(n) lr=\(lr) epochs=\(epochs) \(text.prefix(30).debugDescription)" }
  }

  static let replays: [Replay] = [
    Replay(text: "a b a a b a", n: 2, lr: 0.1, epochs: 5),
    Replay(text: "x y z x y z x y x y y y z", n: 0, lr: 0.5, epochs: 7),
    Replay(text: "x y z x y z x y x y y y z", n: 1, lr: 3.0, epochs: 7),
    Replay(text: "x y z x y z x y x y y y z", n: 3, lr: 0.9, epochs: 7),
    Replay(text: "a b x a b y a b z a b a a b b a b x", n: 2, lr: 0.7, epochs: 12),
    Replay(text: "one one one one", n: 2, lr: 0.1, epochs: 3),
    Replay(text: "p q r s t u v w p q r s t u v w p q", n: 1, lr: 1e-05, epochs: 4),
    Replay(text: "a a a a b", n: 0, lr: 100, epochs: 3),
    Replay(text: "s t s t s u s t", n: 1, lr: 0, epochs: 2),
  ]

  @Test("the sparse trainer equals a naive dense replay of the reference", arguments: replays)
  func sparseEqualsDense(_ r: Replay) throws {
    try replay(r.text, n: r.n, lr: r.lr, epochs: r.epochs)
  }

  @Test("results do not depend on the number of worker threads", arguments: [1, 2, 3, 8])
  func workersDeterministic(_ workers: Int) throws {
    let c = Fixtures.named("extra", "random_v50_ctx2")
    let corpus = try Corpus(bytes: readBytes(c.corpusURL.path)!, path: c.corpusURL.path)
    let trainer = try Trainer(corpus: corpus, config: c.config)
    let (m1, l1) = try trainer.train(workers: 1)
    let (m2, l2) = try trainer.train(workers: workers)
    #expect(l1 == l2, "logs must be bit-identical")
    for ctx in [[0, 0], [1, 2], [corpus.vocabulary.count - 1, 3]] + [Array(corpus.tokenIDs.prefix(2).map(Int.init))] {
      let a = m1.distribution(context: ctx)
      let b = m2.distribution(context: ctx)
      for j in 0..<corpus.vocabulary.count {
        #expect(a.probability(of: j).bitPattern == b.probability(of: j).bitPattern)
      }
    }
  }

  @Test("defaults are the reference's: context 2, lr 0.1, 50 epochs")
  func defaults() {
    let c = TrainingConfig()
    #expect(c.contextLength == 2)
    #expect(c.learningRate == 0.1)
    #expect(c.epochs == 50)
    #expect(c.modelKind == "context2")
    #expect(TrainingConfig(contextLength: 0).modelKind == "unigram")
    #expect(TrainingConfig(contextLength: 1).modelKind == "bigram")
    #expect(TrainingConfig(contextLength: 3).modelKind == "context3")
  }

  @Test("pairs: N - n per epoch, unigram uses every token")
  func pairCounts() throws {
    let c = try corpus("a b c d e f g")
    for n in 0...3 {
      let t = try Trainer(corpus: c, config: TrainingConfig(contextLength: n, epochs: 1))
      #expect(t.pairCount == 7 - n)
    }
  }

  @Test("fewer than n+1 tokens: 'needs at least n+1 tokens'", arguments: 0...3)
  func tooFewTokens(_ n: Int) throws {
    let text = ["", "one", "one two", "one two three"][n]
    let c = try corpus(text)
    let message = errorText { _ = try Trainer(corpus: c, config: TrainingConfig(contextLength: n)) }
    #expect(message?.contains("needs at least \(n + 1) tokens") == true, "\(message ?? "no error")")
    // Exactly n+1 tokens is enough.
    let ok = try corpus(text + " more")
    #expect(try Trainer(corpus: ok, config: TrainingConfig(contextLength: n)).pairCount == 1)
  }

  @Test("too few tokens for context 2 says 'needs at least 3 tokens' and names the file")
  func tooFewContext2() throws {
    let c = try Corpus(bytes: Array("one two".utf8), path: "/x/corpus/short.txt")
    let message = errorText { _ = try Trainer(corpus: c, config: TrainingConfig()) }
    #expect(message?.contains("needs at least 3 tokens") == true)
    #expect(message?.contains("/x/corpus/short.txt") == true)
  }

  struct BadConfig: Sendable, CustomTestStringConvertible {
    let config: TrainingConfig
    let error: NgramError
    var testDescription: String { "\(error)" }
  }

  static let badConfigs: [BadConfig] = [
    BadConfig(config: TrainingConfig(learningRate: -0.1), error: .invalidLearningRate(-0.1)),
    BadConfig(config: TrainingConfig(learningRate: .infinity), error: .invalidLearningRate(.infinity)),
    BadConfig(config: TrainingConfig(learningRate: -.infinity), error: .invalidLearningRate(-.infinity)),
    BadConfig(config: TrainingConfig(epochs: -1), error: .invalidEpochs(-1)),
    BadConfig(config: TrainingConfig(contextLength: 4), error: .unsupportedContextLength(4)),
    BadConfig(config: TrainingConfig(contextLength: -1), error: .unsupportedContextLength(-1)),
    BadConfig(config: TrainingConfig(contextLength: 100), error: .unsupportedContextLength(100)),
    BadConfig(config: TrainingConfig(holdout: 1), error: .invalidHoldout(1, zeroAllowed: true)),
  ]

  @Test("invalid options are rejected before training, as a value carrying the offending setting", arguments: badConfigs)
  func invalidOptions(_ bad: BadConfig) throws {
    let e = thrownError { try bad.config.validate() }
    #expect(e as? NgramError == bad.error)
    let why = (e as? NgramError)?.description ?? ""
    #expect(!why.isEmpty)
    #expect(!why.contains("\n"))
    let c = try corpus("a b c d e f")
    #expect(thrownError { _ = try Trainer(corpus: c, config: bad.config) } as? NgramError == bad.error)
  }

  @Test("a NaN learning rate is refused with the value it got")
  func nanLearningRate() throws {
    let e = thrownError { try TrainingConfig(learningRate: .nan).validate() }
    guard case .invalidLearningRate(let x)? = e as? NgramError else {
      Issue.record("expected invalidLearningRate, got \(String(describing: e))")
      return
    }
    #expect(x.isNaN)
  }

  @Test("zero epochs and zero learning rate are valid")
  func zeroes() throws {
    let c = try corpus("a b c a b c")
    let (m, hist) = try Trainer(corpus: c, config: TrainingConfig(epochs: 0)).train()
    #expect(hist.isEmpty)
    #expect(m.distribution(context: [0, 1]).probability(of: 2) == 1.0 / 3)
    let (_, log2) = try Trainer(corpus: c, config: TrainingConfig(learningRate: 0, epochs: 2)).train()
    #expect(log2.map(\.avgLoss) == [log(3.0), log(3.0)])
  }

  @Test("a cancelled control stops training with NgramError.cancelled")
  func cancelBeforeStart() throws {
    let c = try corpus("a b c a b c a b d")
    let control = TrainingControl()
    control.cancel()
    #expect(control.isCancelled)
    let e = thrownError { _ = try Trainer(corpus: c, config: TrainingConfig()).train(control: control) }
    #expect(e as? NgramError == .cancelled)
  }

  @Test("cancelling from the observer mid-run stops training")
  func cancelMidRun() throws {
    let c = try corpus("a b c a b c a b d")
    let control = TrainingControl()
    let e = thrownError {
      _ = try Trainer(corpus: c, config: TrainingConfig(epochs: 1000)).train(control: control) { p in
        if p.epochsDone >= 2 { control.cancel() }
      }
    }
    #expect(e as? NgramError == .cancelled)
  }

  @Test("the observer sees every epoch, in order, with the log so far")
  func observer() throws {
    let c = try corpus("a b c a b c a b d")
    final class Box: @unchecked Sendable {
      let lock = NSLock()
      var epochs: [Int] = []
    }
    let box = Box()
    let (_, log) = try Trainer(corpus: c, config: TrainingConfig(epochs: 5)).train { p in
      box.lock.lock()
      if p.pairsDone == p.pairsPerEpoch { box.epochs.append(p.history.count) }
      box.lock.unlock()
    }
    #expect(log.count == 5)
    #expect(box.epochs.last == 5)
    #expect(box.epochs == box.epochs.sorted())
  }

  @Test("pause, step one epoch, resume")
  func pauseStepResume() async throws {
    let c = try corpus("a b c a b c a b d")
    let control = TrainingControl()
    control.pause()
    #expect(control.isPaused)
    let trainer = try Trainer(corpus: c, config: TrainingConfig(epochs: 3))
    let task = Task.detached { try trainer.train(control: control) }
    try await Task.sleep(nanoseconds: 50_000_000)
    control.stepOneEpoch()
    try await Task.sleep(nanoseconds: 50_000_000)
    control.resume()
    #expect(!control.isPaused)
    let (_, log) = try await task.value
    #expect(log.count == 3)
  }
}
