import NgramEngine
import Testing

@testable import NgramTUI

/// Keys and what they do, without a terminal.
@Suite("Keys")
struct StateMachineTests {
  @Test func tabCyclesScreensAndShiftTabGoesBack() {
    var s = Fixture.state()
    #expect(s.screen == .train)
    _ = s.handle(.tab)
    #expect(s.screen == .explore && s.isTyping)
    _ = s.handle(.tab)  // empty prompt: Tab cycles
    #expect(s.screen == .generate)
    _ = s.handle(.tab)
    #expect(s.screen == .compare && s.isTyping)
    _ = s.handle(.tab)
    #expect(s.screen == .map)
    _ = s.handle(.tab)
    #expect(s.screen == .step)
    _ = s.handle(.tab)
    #expect(s.screen == .train)
    _ = s.handle(.backTab)
    #expect(s.screen == .step)
    _ = s.handle(.backTab)
    #expect(s.screen == .map)
    _ = s.handle(.backTab)
    #expect(s.screen == .compare)
    _ = s.handle(.backTab)
    #expect(s.screen == .generate)
    _ = s.handle(.backTab)
    #expect(s.screen == .explore)
  }

  @Test func qTypesInThePromptAndQuitsOutsideIt() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    #expect(s.handle(.char("q")).isEmpty)
    #expect(s.explore.text == "q")
    _ = s.handle(.escape)
    #expect(!s.isTyping)
    #expect(s.handle(.char("q")) == [.quit])
  }

  @Test func qQuitsATooSmallTerminalEvenWhileTyping() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    #expect(s.isTyping)
    s.tooSmall = true
    #expect(s.handle(.char("x")).isEmpty)
    #expect(s.explore.text.isEmpty)
    #expect(s.handle(.char("q")) == [.quit])
  }

  @Test func ctrlCAlwaysQuits() {
    var s = Fixture.state()
    #expect(s.handle(.ctrlC) == [.quit])
    _ = s.handle(.tab)
    Fixture.type("the", into: &s)
    #expect(s.handle(.ctrlC) == [.quit])
    _ = s.handle(.char("?"))
    #expect(s.handle(.ctrlC) == [.quit])
  }

  @Test func tabCompletesAPartialWord() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("the c", into: &s)
    _ = s.handle(.tab)
    #expect(s.explore.text == "the cat ")
    #expect(s.screen == .explore)
    Fixture.type("r", into: &s)
    _ = s.handle(.tab)
    #expect(s.explore.text == "the cat rug ")
    // Several matches: the common prefix stays, the note lists them.
    s.explore.setText("o")
    _ = s.handle(.tab)
    #expect(s.explore.text == "on ")
    s.explore.setText("zz")
    _ = s.handle(.tab)
    #expect(s.explore.text == "zz")
    #expect(s.explore.note?.contains("no vocabulary entry") == true)
    #expect(s.screen == .explore)
  }

  @Test func enterPredictsAndRecordsHistory() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("on the", into: &s)
    _ = s.handle(.enter)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    #expect(s.explore.text.isEmpty)
    guard case .prediction(let p)? = s.explore.result else {
      Issue.record("expected a prediction")
      return
    }
    #expect(p.context == ["the", "cat"])
    let expected = Fixture.run.model.topK(context: p.ids, k: 5)
    #expect(p.distribution.top(5).map(\.id) == expected.map(\.id))
    #expect(p.followers.occurrences == 2)
    _ = s.handle(.up)
    #expect(s.explore.text == "the cat")
    _ = s.handle(.up)
    #expect(s.explore.text == "on the")
    _ = s.handle(.down)
    _ = s.handle(.down)
    #expect(s.explore.text.isEmpty)
  }

  @Test func onlyTheLastNTokensAreTheContext() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("  the dog lay on\tthe ", into: &s)
    _ = s.handle(.enter)
    guard case .prediction(let p)? = s.explore.result else {
      Issue.record("expected a prediction")
      return
    }
    #expect(p.context == ["on", "the"])
  }

  @Test func unknownTokensAreNamedWithSuggestions() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("the kat", into: &s)
    _ = s.handle(.enter)
    guard case .unknown(let list)? = s.explore.result else {
      Issue.record("expected unknown tokens")
      return
    }
    #expect(list.map(\.token) == ["kat"])
    #expect(list[0].suggestions.contains("cat"))
  }

  @Test func plusAndMinusAdjustKWhenThePromptIsEmpty() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    _ = s.handle(.char("+"))
    #expect(s.topK == 6)
    _ = s.handle(.char("-"))
    _ = s.handle(.char("-"))
    #expect(s.topK == 4)
    Fixture.type("a", into: &s)
    _ = s.handle(.char("+"))
    #expect(s.explore.text == "a+")
    #expect(s.topK == 4)
    for _ in 0..<10 { _ = s.handle(.backspace) }
    for _ in 0..<10 { _ = s.handle(.char("-")) }
    #expect(s.topK == 1)
  }

  @Test func spacePausesAndNStepsOneEpoch() {
    var s = Fixture.state(epochs: 20)
    #expect(s.handle(.char("n")).isEmpty)  // not paused: nothing
    #expect(s.handle(.char(" ")) == [.pauseTraining])
    #expect(s.train.paused)
    #expect(s.handle(.char("n")) == [.stepEpoch])
    #expect(s.handle(.char(" ")) == [.resumeTraining])
  }

  @Test func pacingRevealsTheRunOverThePace() {
    var d = TrainDisplay(totalEpochs: 50, pace: 2)
    d.status.epochsDone = 50
    d.status.phase = .saved("x")
    #expect(d.shown == 0 && d.replaying)
    _ = d.advance(by: 1)
    #expect(d.shown == 25)
    d.paused = true
    let changed = d.advance(by: 1)
    #expect(!changed)
    #expect(d.shown == 25)
    d.paused = false
    _ = d.advance(by: 1.5)
    #expect(d.shown == 50 && d.complete)
    // Slow training: the display never runs ahead of the trainer.
    var slow = TrainDisplay(totalEpochs: 50, pace: 2)
    slow.status.epochsDone = 3
    _ = slow.advance(by: 10)
    #expect(slow.shown == 3)
  }

  @Test func skipShowsEveryFinishedEpoch() {
    var s = Fixture.state()
    s.train = TrainDisplay(totalEpochs: 50, pace: 2)
    s.train.status.epochsDone = 50
    #expect(s.train.shown == 0)
    _ = s.handle(.char("s"))
    #expect(s.train.shown == 50)
  }

  @Test func pausedReplayStepsOneEpochAtATime() {
    var s = Fixture.state()
    s.train = TrainDisplay(totalEpochs: 50, pace: 2)
    s.train.status.epochsDone = 50
    s.train.status.phase = .saved("x")
    _ = s.handle(.char(" "))
    #expect(s.handle(.char("n")).isEmpty)  // replaying: reveals, does not touch the trainer
    #expect(s.train.shown == 1)
    _ = s.handle(.char("n"))
    #expect(s.train.shown == 2)
  }

  @Test func generateMatchesGreedyGenerationAndUndoes() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    _ = s.handle(.tab)
    #expect(s.screen == .generate)
    for _ in 0..<5 { _ = s.handle(.char(" ")) }
    let m = Fixture.run.model
    let start = try! m.ids(for: ["the", "cat"])
    #expect(s.generate.steps.map(\.chosen) == m.generate(start: start, count: 5))
    _ = s.handle(.backspace)
    #expect(s.generate.steps.count == 4)
    // Leaving and coming back keeps the run; a new Explore query restarts from it.
    for _ in 0..<Screen.tabOrder.count { _ = s.handle(.tab) }
    #expect(s.generate.steps.count == 4)
    _ = s.handle(.backTab)
    Fixture.type("on the", into: &s)
    _ = s.handle(.enter)
    _ = s.handle(.tab)
    #expect(s.generate.steps.isEmpty)
    #expect(s.generate.start == (try! m.ids(for: ["on", "the"])))
  }

  @Test func generateStartsFromTheMetaStartTokens() {
    var s = Fixture.state()
    s.show(.generate)
    #expect(s.generate.start == Array(Fixture.run.corpus.tokenIDs.prefix(2).map(Int.init)))
  }

  @Test func greedyCycleIsDetected() {
    var s = Fixture.state()
    s.show(.generate)
    for _ in 0..<20 { _ = s.handle(.char(" ")) }
    let rep = s.generate.repeatedWindow
    #expect(rep != nil)
    #expect(rep?.greedy == true)
    if let rep {
      // The windows after `first` and `again` are equal.
      let ids = s.generate.ids
      #expect(ids[rep.first..<(rep.first + 2)] == ids[rep.again..<(rep.again + 2)])
    }
  }

  @Test func samplingIsSeededAndUndoRestoresTheGenerator() {
    var a = Fixture.state()
    a.show(.generate)
    _ = a.handle(.char("m"))
    for _ in 0..<8 { _ = a.handle(.char(" ")) }
    var b = Fixture.state()
    b.show(.generate)
    _ = b.handle(.char("m"))
    for _ in 0..<8 { _ = b.handle(.char(" ")) }
    #expect(a.generate.ids == b.generate.ids)
    let allSampled = a.generate.steps.allSatisfy { $0.sampled }
    #expect(allSampled)
    let before = a.generate.ids
    _ = a.handle(.backspace)
    _ = a.handle(.char(" "))
    #expect(a.generate.ids == before)
  }

  @Test func helpOpensAndCloses() {
    var s = Fixture.state()
    _ = s.handle(.char("?"))
    #expect(s.screen == .help)
    _ = s.handle(.escape)
    #expect(s.screen == .train)
    _ = s.handle(.tab)
    _ = s.handle(.f1)  // F1 works while typing
    #expect(s.screen == .help)
    _ = s.handle(.f1)
    #expect(s.screen == .explore)
  }

  @Test func queryBeforeTheModelIsReadyWaitsForIt() {
    var s = Fixture.state(epochs: 20)
    _ = s.handle(.tab)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    guard case .waiting? = s.explore.result else {
      Issue.record("expected waiting")
      return
    }
    s.setModel(Fixture.run.model)
    guard case .prediction? = s.explore.result else {
      Issue.record("expected the query to run once the model arrived")
      return
    }
  }
}

/// Small pieces: the generator, bars, formatting, the grid.
@Suite("Pieces")
struct PieceTests {
  @Test func sampledStepsEqualTheEnginesSampledGeneration() {
    var s = Fixture.state()
    s.show(.generate)
    _ = s.handle(.char("m"))
    _ = s.handle(.char("]"))  // temperature 1.1
    for _ in 0..<10 { _ = s.handle(.char(" ")) }
    let m = Fixture.run.model
    let start = Array(Fixture.run.corpus.tokenIDs.prefix(2).map(Int.init))
    let options = SamplingOptions(temperature: 1.1, seed: 0)
    #expect(s.generate.steps.map(\.chosen) == m.sample(start: start, count: 10, options: options))
    #expect(s.generate.cliEquivalent == "--sample --temperature 1.1 --seed 0")
    // A new seed restarts the run; mixing greedy and sampled steps has no CLI equivalent.
    _ = s.handle(.char("r"))
    #expect(s.generate.steps.isEmpty && s.generate.seed == 1)
    _ = s.handle(.char(" "))
    _ = s.handle(.char("m"))
    _ = s.handle(.char(" "))
    #expect(s.generate.cliEquivalent == nil)
  }

  @Test func shellQuotingKeepsPlainWordsAndQuotesTheRest() {
    #expect(Shell.quote("cat") == "cat")
    #expect(Shell.quote("résumé") == "résumé")
    #expect(Shell.quote("\"hi\",") == "'\"hi\",'")
    #expect(Shell.quote("it's") == "'it'\\''s'")
  }

  @Test func percentagesHaveOneDecimal() {
    #expect(Format.percent(0.4) == "40.0%")
    #expect(Format.percent(0.41829931) == "41.8%")
    #expect(Format.percent(1) == "100.0%")
    #expect(Format.count(1_234_567) == "1,234,567")
  }

  @Test func barsUseEighthsInUnicodeAndWholeCellsInASCII() {
    let (f, t) = Glyphs.unicodeSet.bar(fraction: 0.5625, width: 4)
    #expect(f == "██▎" && t == "░")
    let (af, at) = Glyphs.asciiSet.bar(fraction: 0.5625, width: 4)
    #expect(af == "##" && at == "..")
  }

  @Test func wideCharactersTakeTwoCells() {
    var g = Grid(width: 6, height: 1)
    let end = g.put("a猫b", x: 0, y: 0)
    #expect(end == 4)
    #expect(g.line(0) == "a猫b")
    #expect(g[2, 0].isContinuation)
    g.put("x", x: 2, y: 0)  // overwriting half of a wide character blanks the other half
    #expect(g.line(0) == "a xb")
  }

  @Test func splittingFollowsPythonWhitespace() {
    #expect(Tokens.split(" a\u{00A0}b\u{200B}c\u{3000}d ") == ["a", "b\u{200B}c", "d"])
  }

  @Test func theLearningCurveEndsAtTheModelsProbability() {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    guard case .prediction(let p)? = s.explore.result else {
      Issue.record("expected a prediction")
      return
    }
    #expect(p.history.count == 51)
    let top = p.distribution.argmax
    #expect(abs(p.history[50].probability(of: top) - p.distribution.probability(of: top)) < 1e-12)
    #expect(abs(p.history[0].probability(of: top) - 1.0 / 8) < 1e-12)
  }

}
