import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// Epoch scrubbing on Explore and the Compare screen: keys, values and snapshots.
@Suite("Time travel and Compare")
struct TimeTravelCompareTests {
  /// Explore with "the cat" predicted.
  static func predicted(ascii: Bool = false) -> AppState {
    var s = Fixture.state(ascii: ascii)
    s.show(.explore)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    return s
  }

  static func prediction(_ s: AppState) -> ExplorePrediction? {
    if case .prediction(let p)? = s.explore.result { return p }
    return nil
  }

  /// The bars' (id, probability) as drawn for the state's scrubbed epoch.
  static func bars(_ s: AppState) -> [Distribution.Entry] {
    prediction(s)!.distribution(atEpoch: s.explore.epoch).top(s.topK)
  }

  // MARK: Keys

  @Test func scrubKeysMoveThroughTheEpochsWhenThePromptIsEmpty() {
    var s = Self.predicted()
    #expect(s.explore.epoch == nil)  // the trained model
    _ = s.handle(.char("<"))
    #expect(s.explore.epoch == 49)
    _ = s.handle(.left)
    #expect(s.explore.epoch == 48)
    _ = s.handle(.right)
    _ = s.handle(.char(">"))
    #expect(s.explore.epoch == nil)
    _ = s.handle(.char(">"))  // past the end: stays at the trained model
    #expect(s.explore.epoch == nil)
    _ = s.handle(.pageUp)
    #expect(s.explore.epoch == 45)  // a tenth of 50 epochs
    _ = s.handle(.home)
    #expect(s.explore.epoch == 0)
    _ = s.handle(.char("<"))
    #expect(s.explore.epoch == 0)
    _ = s.handle(.pageDown)
    #expect(s.explore.epoch == 5)
    _ = s.handle(.end)
    #expect(s.explore.epoch == nil)
    #expect(s.explore.text.isEmpty)
    #expect(s.screen == .explore && s.isTyping)
  }

  @Test func withTextInThePromptTheKeysEditIt() {
    var s = Self.predicted()
    Fixture.type("on", into: &s)
    _ = s.handle(.left)
    #expect(s.explore.cursor == 1 && s.explore.epoch == nil)
    _ = s.handle(.home)
    #expect(s.explore.cursor == 0 && s.explore.epoch == nil)
    Fixture.type("<", into: &s)
    #expect(s.explore.text == "<on")
    // Page keys are no editing keys: they scrub even while typing.
    _ = s.handle(.pageUp)
    #expect(s.explore.epoch == 45)
    #expect(s.explore.text == "<on")
  }

  @Test func withoutAPredictionTheKeysTypeAsUsual() {
    var s = Fixture.state()
    s.show(.explore)
    Fixture.type("<", into: &s)
    #expect(s.explore.text == "<")
    #expect(s.explore.epoch == nil)
  }

  @Test func theInactivePromptScrubsToo() {
    var s = Self.predicted()
    _ = s.handle(.escape)
    _ = s.handle(.char("<"))
    #expect(s.explore.epoch == 49)
    #expect(!s.isTyping && s.explore.text.isEmpty)
    _ = s.handle(.home)
    #expect(s.explore.epoch == 0)
  }

  @Test func aNewQueryShowsTheTrainedModelAgain() {
    var s = Self.predicted()
    _ = s.handle(.home)
    Fixture.type("on the", into: &s)
    _ = s.handle(.enter)
    #expect(s.explore.epoch == nil)
    #expect(s.historyCache.count == 2)
    let listed = s.historyCache.values.reduce(0) { $0 + $1.reduce(0) { $0 + $1.explicit.count + 1 } }
    #expect(s.historyCacheSize == listed)
  }

  @Test func theJobRunnerHandsBackResultsFromTheBackground() throws {
    let runner = JobRunner()
    let corpus = Fixture.run.corpus
    let ctx = try Fixture.run.model.ids(for: ["the", "cat"])
    runner.submit(.comparison(contextLengths: [3], corpus: corpus, learningRate: 0.1, epochs: 50, holdout: 0.1))
    runner.submit(.history(context: ctx, corpus: corpus, learningRate: 0.1, epochs: 50))
    var results: [JobResult] = []
    for _ in 0..<1000 where runner.pending > 0 || results.count < 4 {
      results += runner.take()
      if results.count < 4 { usleep(5000) }
    }
    // Context 3's two trainings (whole corpus, head) start, it is ready, and the history.
    #expect(results.count == 4)
    #expect(runner.pending == 0)
    var s = Fixture.state()
    for r in results { s.receive(r) }
    if case .ready(let m)? = s.compare.models[3] {
      #expect(m.contextLength == 3 && m.heldOutPerplexity != nil)
    } else {
      Issue.record("expected context 3 trained")
    }
    #expect(s.historyCache[ctx]?.count == 51)
  }

  @Test func scrubbedBarsEqualTrainingWithThatManyEpochs() throws {
    let r = Fixture.run
    for k in [0, 1, 5, 17, 49] {
      var s = Self.predicted()
      _ = s.handle(.home)
      for _ in 0..<k { _ = s.handle(.char(">")) }
      #expect(s.explore.epoch == k)
      let trainer = try Trainer(corpus: r.corpus, config: TrainingConfig(epochs: k))
      let (model, _) = try trainer.train(workers: 1)
      let want = model.distribution(context: Self.prediction(s)!.ids).top(5)
      let got = Self.bars(s)
      #expect(got.map(\.id) == want.map(\.id), "epoch \(k)")
      #expect(got.map(\.probability) == want.map(\.probability), "epoch \(k)")
    }
    // At the end the bars are the trained model's, exactly as `predict` answers.
    let s = Self.predicted()
    let p = Self.prediction(s)!
    #expect(Self.bars(s).map(\.probability) == r.model.distribution(context: p.ids).top(5).map(\.probability))
  }

  @Test func aHistoryReplayedInTheBackgroundIsInstalled() {
    var s = Self.predicted()
    guard var p = Self.prediction(s) else {
      Issue.record("expected a prediction")
      return
    }
    let full = p.history
    p.setHistory([])
    p.historyPending = true
    s.explore.result = .prediction(p)
    let scrubbedWhilePending = s.scrub(.char("<"))
    #expect(!scrubbedWhilePending)
    let job = Job.history(context: p.ids, corpus: s.corpus, learningRate: 0.1, epochs: 50)
    for r in job.perform() { s.receive(r) }
    let after = Self.prediction(s)!
    #expect(!after.historyPending && after.history.count == 51)
    #expect(after.history[7].top(5).map(\.probability) == full[7].top(5).map(\.probability))
    let scrubbed = s.scrub(.char("<"))
    #expect(scrubbed)
  }

  @Test func compareEqualsTheEnginesComparison() throws {
    let s = Fixture.compared("the cat sat")
    #expect(s.screen == .compare)
    #expect(s.compare.words == ["the", "cat", "sat"])
    let want = try ContextComparison.run(
      corpus: Fixture.run.corpus, tokens: ["the", "cat", "sat"], contextLengths: [1, 2, 3], learningRate: 0.1,
      epochs: 50, topK: AppState.maxK, holdout: 0.1)
    let got = s.compare.columns(vocabulary: s.vocabulary)
    #expect(got.map(\.contextLength) == [1, 2, 3])
    for (g, w) in zip(got, want) {
      guard case .answer(let a)? = g.column else {
        Issue.record("context \(g.contextLength): no answer")
        continue
      }
      #expect(a.context == w.context)
      #expect(a.topK == w.topK)
      #expect(a.contextSeen == w.contextSeen)
      #expect(a.trainingLoss == w.trainingLoss)
      #expect(a.heldOutPerplexity == w.heldOutPerplexity)
      #expect(a.heldOutUnseen == w.heldOutUnseen)
      #expect(a.contexts == w.contexts)
    }
    #expect(s.compare.training.isEmpty)
  }

  @Test func compareNamesShortTextAndUnknownTokensPerColumn() {
    var s = Fixture.compared("cat sat")
    var cols = s.compare.columns(vocabulary: s.vocabulary)
    guard case .needsTokens(2)? = cols[2].column else {
      Issue.record("expected context 3 to need a third token")
      return
    }
    if case .answer? = cols[1].column {} else { Issue.record("expected an answer for context 2") }
    Fixture.type("kat the cat", into: &s)
    _ = s.handle(.enter)
    #expect(s.takeJobs().isEmpty)  // every context length is trained already
    cols = s.compare.columns(vocabulary: s.vocabulary)
    guard case .unknown(let t)? = cols[2].column else {
      Issue.record("expected context 3 to name the unknown token")
      return
    }
    #expect(t == ["kat"])
    if case .answer(let a)? = cols[0].column {
      #expect(a.context == ["cat"])
    } else {
      Issue.record("expected an answer for context 1")
    }
  }

  @Test func compareTrainsEachLengthOnceSparsestFirst() {
    var s = Self.predicted()
    s.cycle(-1)
    s.cycle(-1)
    s.cycle(-1)
    s.cycle(-1)  // Explore → Train → Step → Map → Compare
    #expect(s.screen == .compare)
    #expect(s.compare.words == ["the", "cat"])
    let jobs = s.takeJobs().filter { j in
      if case .comparison = j { return true }
      return false
    }
    #expect(jobs.count == 1)
    guard case .comparison(let lengths, _, _, _, let holdout, let run?, let runHoldout) = jobs.first else {
      Issue.record("expected one comparison job reusing the explorer's run")
      return
    }
    #expect(lengths == [1, 2, 3])
    // The explorer's own run (context 2, no holdout) stands in for context 2's full training;
    // the sparsest lengths train first.
    #expect(run.model.contextLength.value == 2 && runHoldout == 0)
    let order = ComparisonTraining.jobs(contextLengths: lengths, holdout: holdout, reusing: run, runHoldout: runHoldout)
    #expect(order.map(\.contextLength) == [3, 3, 2, 1, 1])
    #expect(order.map(\.heldOut) == [false, true, true, false, true])
    guard case .queued? = s.compare.columns(vocabulary: s.vocabulary)[0].column else {
      Issue.record("expected context 1 to show that it is queued")
      return
    }
    let results = jobs[0].perform()
    for r in results where r.isStart { s.receive(r) }
    guard case .training? = s.compare.columns(vocabulary: s.vocabulary)[0].column else {
      Issue.record("expected context 1 to show that it is training")
      return
    }
    for r in results where !r.isStart { s.receive(r) }
    // Another text: answered at once, nothing more to train.
    Fixture.type("on the", into: &s)
    _ = s.handle(.enter)
    #expect(s.takeJobs().isEmpty)
    if case .answer(let a)? = s.compare.columns(vocabulary: s.vocabulary)[1].column {
      #expect(a.context == ["on", "the"])
    } else {
      Issue.record("expected an answer for context 2")
    }
    // Compare's submit does not change Explore's prediction.
    #expect(Self.prediction(s)?.context == ["the", "cat"])
  }

  @Test func compareWaitsForTheExplorersTraining() {
    var s = Fixture.state(epochs: 20)
    s.show(.compare)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    #expect(s.compare.waitingForTraining)
    #expect(s.takeJobs().isEmpty)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "compare_waiting_80x24_unicode")
    s.setModel(Fixture.run.model)
    #expect(!s.compare.waitingForTraining)
    #expect(s.takeJobs().count == 1)
  }

  @Test func plusAndMinusChangeTheRowsOnCompare() {
    var s = Fixture.compared("the cat sat")
    _ = s.handle(.char("+"))
    #expect(s.topK == 6)
    #expect(s.takeJobs().isEmpty)  // k is a view of the 50 answered
  }

  // MARK: Snapshots

  @Test(arguments: [(80, 24, false), (120, 40, false), (80, 24, true), (100, 30, true)])
  func exploreScrubbed(width: Int, height: Int, ascii: Bool) {
    var s = Self.predicted(ascii: ascii)
    _ = s.handle(.home)
    for _ in 0..<12 { _ = s.handle(.char(">")) }
    Snapshot.check(
      Render.frame(s, width: width, height: height),
      "explore_epoch12_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test func exploreAtEpochZeroAndNearTheEnd() {
    var s = Self.predicted()
    _ = s.handle(.home)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "explore_epoch0_80x24_unicode")
    _ = s.handle(.end)
    _ = s.handle(.char("<"))
    _ = s.handle(.escape)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "explore_epoch49_inactive_80x24_unicode")
  }

  @Test(arguments: [(80, 24, false), (120, 40, false), (80, 24, true), (100, 30, true)])
  func compareThreeContextLengths(width: Int, height: Int, ascii: Bool) {
    let s = Fixture.compared("the cat sat", ascii: ascii)
    Snapshot.check(
      Render.frame(s, width: width, height: height),
      "compare_the_cat_sat_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test func compareEmptyShortAndUnknown() {
    var s = Fixture.state()
    s.show(.compare)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "compare_empty_80x24_unicode")
    s = Fixture.compared("kat sat")
    _ = s.handle(.escape)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "compare_short_unknown_80x24_unicode")
    s = Fixture.state()
    s.compare.now = 3
    s.show(.compare)
    Fixture.type("the cat sat", into: &s)
    _ = s.handle(.enter)
    let results = s.takeJobs()[0].perform()
    for r in results where r.isStart { s.receive(r) }
    s.compare.now = 45.5
    Snapshot.check(Render.frame(s, width: 80, height: 24), "compare_training_80x24_unicode")
    // Context 3 arrives first.
    for r in results {
      if case .comparison(3, _) = r { s.receive(r) }
    }
    Snapshot.check(Render.frame(s, width: 80, height: 24), "compare_partly_trained_80x24_unicode")
  }
}

extension JobResult {
  /// Whether this is a comparison training's start.
  var isStart: Bool {
    if case .comparisonStarted = self { return true }
    return false
  }
}
