import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// A small trained run (the cat/dog corpus) and helpers to build explorer states from it.
enum Fixture {
  static let text = """
    the cat sat on the mat
    the dog sat on the rug
    the cat lay on the rug
    the dog lay on the mat

    """

  struct Run: Sendable {
    let corpus: Corpus
    let trainer: Trainer
    let model: NgramModel
    let log: [EpochStats]
    /// The same run as the explorer's training job hands it over (Compare reuses it).
    let outcome: TrainingOutcome
  }

  /// Trains once (50 epochs, lr 0.1, context 2) and shares the result.
  static let run: Run = {
    let corpus = try! Corpus(bytes: Array(text.utf8), path: "corpus/cat_dog.txt")
    let trainer = try! Trainer(corpus: corpus, config: TrainingConfig())
    let outcome = try! trainer.run(workers: 1)
    return Run(corpus: corpus, trainer: trainer, model: outcome.model, log: outcome.log, outcome: outcome)
  }()

  static var info: SessionInfo {
    let r = run
    return SessionInfo(
      corpusName: "cat_dog.txt", directory: ".", tokens: r.corpus.tokenCount, vocabSize: r.corpus.vocabulary.count,
      pairs: r.trainer.pairCount, contexts: r.trainer.rowCount, contextLength: 2, learningRate: 0.1, epochs: 50,
      lossFloor: r.trainer.countOptimumLoss)
  }

  /// A state with `epochs` epochs finished (all 50 by default) and, when finished, the model installed.
  static func state(ascii: Bool = false, epochs: Int = 50, topK: Int = 5, directory: String = ".") -> AppState {
    let r = run
    var runInfo = info
    runInfo.directory = directory
    var s = AppState(
      info: runInfo, corpus: r.corpus,
      glyphs: ascii ? .asciiSet : .unicodeSet, topK: topK, pace: 0)
    var status = TrainStatus()
    status.epochsDone = epochs
    status.history = r.log.prefix(epochs).map { EpochPoint(loss: $0.avgLoss, accuracy: $0.accuracy) }
    status.elapsed = 0.5
    if epochs == 50 {
      status.phase = .saved("./artifacts (dense weights) and outputs/train_log.csv")
      s.update(status: status)
      s.setModel(r.model, run: r.outcome)
    } else {
      status.pairsDone = 11
      status.runningLoss = 0.8512
      status.runningAccuracy = 7.0 / 11.0
      s.update(status: status)
    }
    return s
  }

  /// A finished 50-epoch session (context 2, lr 0.1, one worker) on `text`, named `name`, with
  /// its model installed, on Explore: for a corpus of its own (hostile or unusual tokens).
  static func trainedState(on text: String, name: String, ascii: Bool = false) throws -> AppState {
    let corpus = try Corpus(bytes: Array(text.utf8), path: "corpus/\(name)")
    let trainer = try Trainer(corpus: corpus, config: TrainingConfig())
    let outcome = try trainer.run(workers: 1)
    let info = SessionInfo(
      corpusName: name, directory: ".", tokens: corpus.tokenCount, vocabSize: corpus.vocabulary.count,
      pairs: trainer.pairCount, contexts: trainer.rowCount, contextLength: 2, learningRate: 0.1, epochs: 50,
      lossFloor: trainer.countOptimumLoss)
    var s = AppState(info: info, corpus: corpus, glyphs: ascii ? .asciiSet : .unicodeSet, topK: 5, pace: 0)
    var status = TrainStatus()
    status.epochsDone = 50
    status.history = outcome.log.map { EpochPoint(loss: $0.avgLoss, accuracy: $0.accuracy) }
    status.phase = .saved("./artifacts (dense weights) and outputs/train_log.csv")
    s.update(status: status)
    s.setModel(outcome.model, run: outcome)
    s.cycle(+1)
    return s
  }

  /// Runs the jobs the state asked for, inline (the run loop runs them in the background).
  static func runJobs(_ s: inout AppState) {
    while true {
      let jobs = s.takeJobs()
      if jobs.isEmpty { return }
      for j in jobs { for r in j.perform() { s.receive(r) } }
    }
  }

  /// A state on Compare with `text` submitted and compared.
  static func compared(_ text: String, ascii: Bool = false, arpa: [ARPAModel] = []) -> AppState {
    var s = state(ascii: ascii)
    if !arpa.isEmpty { s.compare.addARPAModels(arpa) }
    s.show(.compare)
    type(text, into: &s)
    _ = s.handle(.enter)
    runJobs(&s)
    return s
  }

  /// Sends the keys of `text` one by one.
  @discardableResult
  static func type(_ text: String, into s: inout AppState) -> [Command] {
    var out: [Command] = []
    for c in text { out += s.handle(.char(c)) }
    return out
  }
}

/// Compares rendered grids with the text files in `Snapshots/`; `UPDATE_SNAPSHOTS=1` rewrites them.
enum Snapshot {
  static let sourceDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Snapshots")

  static func expected(_ name: String) -> String? {
    let candidates = [
      Bundle.module.url(forResource: "Snapshots", withExtension: nil)?.appendingPathComponent(name + ".txt"),
      sourceDirectory.appendingPathComponent(name + ".txt"),
    ]
    for case let url? in candidates {
      if let s = try? String(contentsOf: url, encoding: .utf8) { return s }
    }
    return nil
  }

  /// The snapshot of `grid`: a line of size, then each row's text with, under it, the row's
  /// styles, one letter per cell (`Grid.styleMap`; `.` is normal, trailing `.` removed).
  static func render(_ grid: Grid) -> String {
    let styles = grid.styleMap.split(separator: "\n", omittingEmptySubsequences: false)
    var out = "size \(grid.width)x\(grid.height)\n"
    for y in 0..<grid.height {
      var style = String(styles[y])
      while style.last == "." { style.removeLast() }
      out += grid.line(y) + "\n" + style + "\n"
    }
    return out
  }

  /// Checks `grid` against the snapshot `name` (text and styles; a line of size first).
  static func check(_ grid: Grid, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = render(grid)
    let update = ProcessInfo.processInfo.environment["UPDATE_SNAPSHOTS"] == "1"
    if update || expected(name) == nil {
      try? FileManager.default.createDirectory(at: sourceDirectory, withIntermediateDirectories: true)
      try? actual.write(to: sourceDirectory.appendingPathComponent(name + ".txt"), atomically: true, encoding: .utf8)
      if !update {
        Issue.record(
          "snapshot \(name) was missing and has been recorded; check it and rerun", sourceLocation: sourceLocation)
      }
      return
    }
    let want = expected(name)!
    if want != actual {
      let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
      let w = want.split(separator: "\n", omittingEmptySubsequences: false)
      var diff: [String] = []
      for i in 0..<max(a.count, w.count) {
        let al = i < a.count ? String(a[i]) : "<none>"
        let wl = i < w.count ? String(w[i]) : "<none>"
        if al != wl { diff.append("line \(i): expected |\(wl)|\n          actual   |\(al)|") }
      }
      Issue.record(
        "snapshot \(name) differs (UPDATE_SNAPSHOTS=1 to accept):\n\(diff.prefix(8).joined(separator: "\n"))",
        sourceLocation: sourceLocation)
    }
  }
}
