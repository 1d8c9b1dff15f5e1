import Foundation
import NgramEngine
import Synchronization
import Testing

@testable import NgramTUI

/// A terminal that feeds scripted keys once a condition holds and keeps every frame shown.
final class FakeTerminal: TerminalDriver, @unchecked Sendable {
  var size: (width: Int, height: Int) = (100, 30)
  let supportsUnicode = true
  var frames: [Grid] = []
  /// (wait until the last frame contains this text, then send these keys).
  var script: [(String?, [Key])]
  var pending: [Key] = []
  var reads = 0

  init(script: [(String?, [Key])]) { self.script = script }

  func readKey(timeoutMilliseconds: Int32) -> Key? {
    reads += 1
    if reads > 20_000 { return .ctrlC }  // a safety net: never hang the test run
    if pending.isEmpty, let (wait, keys) = script.first {
      if let wait, !(frames.last?.text.contains(wait) ?? false) {
        usleep(2000)
        return nil
      }
      script.removeFirst()
      pending = keys
    }
    return pending.isEmpty ? nil : pending.removeFirst()
  }

  func present(_ grid: Grid) { frames.append(grid) }
  func stop() {}
}

@Suite("Run loop")
struct RunLoopTests {
  @Test func trainsInTheBackgroundThenExploresAndGenerates() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-tui-runloop-\(getpid())")
    try? FileManager.default.removeItem(at: dir)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = Fixture.run
    var state = AppState(
      info: Fixture.info, corpus: r.corpus, glyphs: .unicodeSet, topK: 5,
      pace: 0)
    state.generate.seed = 42
    let terminal = FakeTerminal(script: [
      ("artifacts saved", [.tab]),
      ("context>", "the cat".map { Key.char($0) } + [.enter]),
      ("next token after \"the cat\"", [.tab]),
      ("text so far (0 generated)", Array(repeating: .char(" "), count: 5)),
      ("text so far (5 generated)", [.tab]),
      ("held-out ppl", [.backTab, .backTab, .escape]),
      ("prompt inactive", [.char("q")]),
    ])
    let control = TrainingControl()
    let monitor = TrainingMonitor()
    monitor.start(
      TrainingJob(directory: dir.path), TrainingJob.Prepared(corpus: r.corpus, trainer: r.trainer), control: control)
    var loop = RunLoop(state: state, terminal: terminal, monitor: monitor, control: control)
    let signalled = Atomic<Int32>(0)
    let status = loop.run(signalled: signalled)
    #expect(status == 0)
    #expect(terminal.script.isEmpty, "the script stopped early; last frame:\n\(terminal.frames.last?.text ?? "")")
    #expect(loop.state.train.status.phase.trainingFinished)
    // The artifacts were written where asked.
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("artifacts/00_meta.json").path))
    // The five greedy steps equal the engine's generation.
    let start = try r.model.ids(for: ["the", "cat"])
    #expect(loop.state.generate.steps.map(\.chosen) == r.model.generate(start: start, count: 5))
    // Compare asked for its three context lengths (trained in the background; one was on screen).
    #expect(loop.state.compare.models.count == 3)
  }
}
