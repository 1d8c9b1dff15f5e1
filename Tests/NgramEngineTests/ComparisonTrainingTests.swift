import Dispatch
import Synchronization
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@testable import NgramEngine

/// Compare's trainings run side by side (`ComparisonTraining.train`): every number must be the
/// one of training each length alone, one after another, as `train --context n` and
/// `train --context n --holdout h` do.
@Suite("Compare's trainings side by side")
struct ComparisonTrainingTests {
  /// 9,000 tokens, every other one "the": context 0's row and context 1's row after "the" have
  /// more than `RowKernel.teamColumns` columns (trained by two threads together when a training
  /// has two workers), the other rows are small.
  static let corpus: Corpus = {
    var g = SeededGenerator(seed: 8)
    let words = (0..<(RowKernel.teamColumns + 500)).map { "w\($0)" }
    let text = (0..<9000).map { i in i % 2 == 0 ? "the" : words[Int.random(in: 0..<words.count, using: &g)] }
      .joined(separator: " ")
    return try! Corpus(bytes: Array(text.utf8), path: "corpus/skewed.txt")
  }()

  static func bits(_ xs: [Double]) -> [UInt64] { xs.map(\.bitPattern) }

  /// Length `n`'s result against its two trainings run alone on one thread.
  static func expectSequential(_ m: TrainedContextModel, _ n: Int, epochs: Int, holdout: Double) throws {
    let whole = try Trainer(corpus: corpus, config: TrainingConfig(contextLength: n, epochs: epochs)).run(workers: 1)
    #expect(m.contextLength == n)
    #expect(m.trainingLoss.bitPattern == whole.log.last!.avgLoss.bitPattern, "context \(n)")
    #expect(m.contexts == whole.model.trainedRowCount, "context \(n)")
    #expect(bits(m.model.weights) == bits(whole.model.weights), "context \(n)")
    #expect(bits(m.model.rowDefault) == bits(whole.model.rowDefault), "context \(n)")
    #expect(m.model.rowExplicitCount == whole.model.rowExplicitCount, "context \(n)")
    if holdout > 0 {
      let held = try Trainer(
        corpus: corpus, config: TrainingConfig(contextLength: n, epochs: epochs, holdout: holdout)
      ).run(workers: 1)
      let last = try #require(held.validation.last)
      #expect(m.heldOutPerplexity?.bitPattern == last.valPerplexity.bitPattern, "context \(n)")
      #expect(m.heldOutUnseen?.bitPattern == last.unseenContexts.bitPattern, "context \(n)")
    } else {
      #expect(m.heldOutPerplexity == nil && m.heldOutUnseen == nil)
    }
  }

  @Test(
    "side by side on 1, 2 or 4 threads equals training one after another, bit for bit",
    arguments: [1, 2, 4])
  func sideBySideEqualsOneAfterAnother(cores: Int) throws {
    let lengths = [1, 3, 0, 2]
    let got = ComparisonTraining.train(
      corpus: Self.corpus, contextLengths: lengths, learningRate: 0.1, epochs: 2, holdout: 0.25, cores: cores)
    #expect(got.count == lengths.count)
    for (n, r) in zip(lengths, got) { try Self.expectSequential(try r.get(), n, epochs: 2, holdout: 0.25) }
  }

  @Test("one training at a time on both cores gives the same numbers as two at a time")
  func oneAtATimeOnBothCores() throws {
    let got = ComparisonTraining.train(
      corpus: Self.corpus, contextLengths: [1, 0], learningRate: 0.1, epochs: 2, holdout: 0.1, reusing: nil,
      runHoldout: 0, cores: 2, sideBySide: 1, control: TrainingControl(), onEvent: nil)
    for (n, r) in zip([1, 0], got) { try Self.expectSequential(try r.get(), n, epochs: 2, holdout: 0.1) }
  }

  @Test("without a holdout only the whole-corpus runs train, and there are no held-out scores")
  func withoutHoldout() throws {
    #expect(ComparisonTraining.jobs(contextLengths: [1, 2, 3], holdout: 0).map(\.heldOut) == [false, false, false])
    let got = ComparisonTraining.train(
      corpus: Self.corpus, contextLengths: [1, 2], learningRate: 0.1, epochs: 2, holdout: 0)
    for (n, r) in zip([1, 2], got) { try Self.expectSequential(try r.get(), n, epochs: 2, holdout: 0) }
  }

  /// The events of one `train`, in the order heard.
  final class Heard: Sendable {
    let events = Mutex<[ComparisonTraining.Event]>([])
    func add(_ e: ComparisonTraining.Event) { events.withLock { $0.append(e) } }
    var all: [ComparisonTraining.Event] { events.withLock { $0 } }
  }

  @Test("each training starts and ends once; a length is ready once, after both its trainings")
  func events() throws {
    let heard = Heard()
    let run = try Trainer(corpus: Self.corpus, config: TrainingConfig(contextLength: 2, epochs: 2)).run()
    let jobs = ComparisonTraining.jobs(contextLengths: [1, 2, 3], holdout: 0.2, reusing: run, runHoldout: 0)
    // Sparsest first; the explorer's own context-2 run replaces context 2's whole-corpus training.
    #expect(
      jobs == [
        .init(contextLength: 3, heldOut: false), .init(contextLength: 3, heldOut: true),
        .init(contextLength: 2, heldOut: true), .init(contextLength: 1, heldOut: false),
        .init(contextLength: 1, heldOut: true),
      ])
    let got = ComparisonTraining.train(
      corpus: Self.corpus, contextLengths: [1, 2, 3], learningRate: 0.1, epochs: 2, holdout: 0.2, reusing: run,
      runHoldout: 0, cores: 2, onEvent: heard.add)
    let events = heard.all
    var started: [ComparisonTraining.Job] = []
    var finished: [ComparisonTraining.Job] = []
    var ready: [Int] = []
    for e in events {
      switch e {
      case .started(let j):
        started.append(j)
      case .finished(let j, let seconds):
        #expect(started.contains(j) && seconds >= 0)
        finished.append(j)
      case .ready(let n, let r):
        // Both of its trainings have ended (context 2's whole run was the explorer's).
        for j in jobs where j.contextLength == n { #expect(finished.contains(j), "\(j.name) before ready") }
        #expect((try? r.get()) != nil)
        ready.append(n)
      }
    }
    #expect(started.count == jobs.count && Set(started.map(\.name)) == Set(jobs.map(\.name)))
    #expect(finished.count == jobs.count && Set(finished.map(\.name)) == Set(jobs.map(\.name)))
    #expect(ready.sorted() == [1, 2, 3])
    // The reused run is context 2's model, the numbers are fresh training's.
    let two = try got[1].get()
    #expect(Self.bits(two.model.weights) == Self.bits(run.model.weights))
    try Self.expectSequential(two, 2, epochs: 2, holdout: 0.2)
  }

  @Test("cancelling stops the trainings running and those not started: each length fails as cancelled")
  func cancelling() throws {
    let control = TrainingControl()
    let got = ComparisonTraining.train(
      corpus: Self.corpus, contextLengths: [0, 1, 2, 3], learningRate: 0.1, epochs: 50, holdout: 0.1,
      cores: 2, control: control
    ) { event in
      if case .started = event { control.cancel() }
    }
    for r in got {
      #expect(throws: NgramError.cancelled) { try r.get() }
    }
  }

  @Test("a head run scored after the last epoch only gives the every-epoch run's last score")
  func lastEpochScoring() throws {
    for n in 0...3 {
      let t = try Trainer(corpus: Self.corpus, config: TrainingConfig(contextLength: n, epochs: 3, holdout: 0.2))
      let every = try t.run(workers: 1)
      let last = try t.run(control: TrainingControl(), workers: { 1 }, scoring: .lastEpoch, observer: nil)
      #expect(every.validation.count == 3 && last.validation.count == 1)
      #expect(last.validation.first == every.validation.last, "context \(n)")
      #expect(every.log == last.log)
    }
  }

  @Test("the number of workers may change from epoch to epoch without changing a bit")
  func workersChangingBetweenEpochs() throws {
    for n in [0, 1] {
      let t = try Trainer(corpus: Self.corpus, config: TrainingConfig(contextLength: n, epochs: 4, holdout: 0.1))
      let one = try t.run(workers: 1)
      var epoch = 0
      let mixed = try t.run(
        control: TrainingControl(),
        workers: {
          epoch += 1
          return epoch % 2 == 0 ? 2 : 1
        }, scoring: .everyEpoch, observer: nil)
      #expect(epoch == 4)
      #expect(one.log.map(\.avgLoss.bitPattern) == mixed.log.map(\.avgLoss.bitPattern), "context \(n)")
      #expect(one.log == mixed.log && one.validation == mixed.validation, "context \(n)")
      #expect(Self.bits(one.model.weights) == Self.bits(mixed.model.weights), "context \(n)")
    }
  }

  @Test("held-out scoring, with each row's normaliser made once, equals scoring every pair afresh")
  func heldOutScoreEqualsPerPairScoring() throws {
    for n in 0...3 {
      let holdout = 0.3
      let t = try Trainer(corpus: Self.corpus, config: TrainingConfig(contextLength: n, epochs: 2, holdout: holdout))
      let outcome = try t.run(workers: 1)
      let m = outcome.model
      // Per pair, from the model's rows: the loops the scorer ran for every pair before.
      let ids = Self.corpus.tokenIDs
      let v = Self.corpus.vocabulary.count
      let cut = ids.count - Int((Double(ids.count) * holdout).rounded(.down))
      var rows: [[Int32]: Int] = [:]
      for r in 0..<m.trainedRowCount { rows[Array(m.rowContexts[(r * n)..<(r * n + n)])] = r }
      var loss = 0.0
      var unseen = 0
      var count = 0
      for i in max(0, cut - n)..<(ids.count - n) {
        count += 1
        let target = ids[i + n]
        guard let r = rows[Array(ids[i..<(i + n)])] else {
          unseen += 1
          let p = 1 / Double(v)
          loss += -log(p > 1e-12 ? p : 1e-12)
          continue
        }
        let a = m.colOffsets[r]
        let kk = Int(m.rowExplicitCount[r])
        let nd = v - kk
        var mx = nd > 0 ? m.rowDefault[r] : -Double.infinity
        for j in 0..<kk where m.weights[a + j] > mx { mx = m.weights[a + j] }
        let e0 = nd > 0 ? exp(m.rowDefault[r] - mx) : 0
        var z = Double(nd) * e0
        for j in 0..<kk { z += exp(m.weights[a + j] - mx) }
        var local = -1
        for j in 0..<kk where m.cols[a + j] == target { local = j }
        let p = (local >= 0 ? exp(m.weights[a + local] - mx) : e0) / z
        loss += -log(p > 1e-12 ? p : 1e-12)
      }
      let last = try #require(outcome.validation.last)
      #expect(count == t.heldOutPairCount)
      #expect(last.valLoss.bitPattern == (loss / Double(count)).bitPattern, "context \(n)")
      #expect(last.unseenContexts == Double(unseen) / Double(count), "context \(n)")
    }
  }
}
