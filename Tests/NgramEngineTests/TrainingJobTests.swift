import Foundation
import Testing

@testable import NgramEngine

/// The one training job: its events arrive in order on the caller's thread, its results are the
/// trainer's exactly, and pause/step need no polling.
@Suite("Training job")
struct TrainingJobTests {
  /// A corpus big enough for several chunks of rows (and, in a debug build, mid-epoch reports).
  static func wideCorpus() -> String {
    var words: [String] = []
    var x: UInt64 = 7
    for _ in 0..<40_000 {
      x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let r = Int(x >> 33) % 1500
      words.append("w\(r * r % 1500)")
    }
    return words.joined(separator: " ")
  }

  enum Kind: Equatable { case progress, epoch, trained, saved }

  @Test("events: progress within an epoch, then the epoch, in order; then trained, then saved")
  func orderedEvents() throws {
    let tmp = TempDir("job")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    makeCorpusDir(dir, text: Self.wideCorpus())
    let config = TrainingConfig(contextLength: 2, learningRate: 0.1, epochs: 4, holdout: 0.1)
    // The consumer is a plain closure over local state: it runs on this thread, one event at a time.
    var kinds: [Kind] = []
    var epochs: [EpochStats] = []
    var scores: [ValidationStats] = []
    var lastDone = (epoch: 0, pairs: 0)
    var backwards = 0
    let result = try TrainingJob(directory: dir.path, config: config, format: .compact, workers: 2).run { event in
      switch event {
      case .progress(let p):
        if p.epochsDone != epochs.count { backwards += 1 }
        if p.epochsDone == lastDone.epoch && p.pairsDone < lastDone.pairs { backwards += 1 }
        lastDone = (p.epochsDone, p.pairsDone)
        kinds.append(.progress)
      case .epochFinished(let stats, let score, let p):
        epochs.append(stats)
        if let score { scores.append(score) }
        #expect(p.history == epochs)
        lastDone = (p.epochsDone, 0)
        kinds.append(.epoch)
      case .trained(let outcome):
        #expect(outcome.log == epochs)
        kinds.append(.trained)
      case .saved(let written):
        #expect(written.format == .compact)
        kinds.append(.saved)
      }
    }
    #expect(backwards == 0, "a report went back in time")
    #expect(epochs.map(\.epoch) == [1, 2, 3, 4])
    #expect(scores.map(\.epoch) == [1, 2, 3, 4])
    #expect(kinds.filter { $0 != .progress } == [.epoch, .epoch, .epoch, .epoch, .trained, .saved])
    #expect(result.log == epochs)
    #expect(result.validation == scores)
    // Exactly what the trainer alone computes, on one thread.
    let corpus = try Corpus.load(path: Paths.join(dir.path, "corpus/corpus.txt"))
    let alone = try Trainer(corpus: corpus, config: config).run(workers: 1)
    #expect(alone.log == result.log)
    #expect(alone.validation == result.validation)
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("outputs/eval_log.csv").path))
  }

  @Test("a paused job runs exactly one epoch per step, and waits (no polling) in between")
  func pauseAndStep() throws {
    let tmp = TempDir("job-step")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    makeCorpusDir(dir, text: ArtifactTests.catDog)
    let control = TrainingControl()
    control.pause()
    var trace: [String] = []
    let result = try TrainingJob(directory: dir.path, config: TrainingConfig(epochs: 3)).run(control: control) {
      event in
      switch event {
      case .progress(let p) where p.paused:
        trace.append("paused after \(p.epochsDone)")
        control.stepOneEpoch()
      case .epochFinished(let stats, _, _): trace.append("epoch \(stats.epoch)")
      default: break
      }
    }
    #expect(trace == ["paused after 0", "epoch 1", "paused after 1", "epoch 2", "paused after 2", "epoch 3"])
    #expect(result.log.count == 3)
  }

  @Test("cancelling a paused job wakes it: cancelled, nothing written")
  func cancelWhilePaused() throws {
    let tmp = TempDir("job-cancel")
    defer { tmp.cleanup() }
    let dir = tmp.sub("run")
    makeCorpusDir(dir, text: ArtifactTests.catDog)
    let control = TrainingControl()
    control.pause()
    let e = thrownError {
      _ = try TrainingJob(directory: dir.path).run(control: control) { event in
        if case .progress(let p) = event, p.paused { control.cancel() }
      }
    }
    #expect(e as? NgramError == .cancelled)
    let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
    #expect(!entries.contains("artifacts") && !entries.contains("outputs"), "\(entries)")
  }
}
