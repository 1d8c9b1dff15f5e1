import ArgumentParser
import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// `ngram-bench phases`: times each phase of a run on one corpus, repeated, and prints medians
/// (what `ngram-tui bench` printed before the benchmarks left the shipped binary).
struct Phases: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time the phases of a training run on a corpus (see scripts/bench-reference.sh).")
  @Option(help: "Corpus file to benchmark.")
  var corpus: String
  @Option(parsing: .unconditional, help: "Repetitions; medians and min–max are reported.")
  var runs: Int = 3
  @Option(parsing: .unconditional, help: "Epochs.")
  var epochs: Int = 50
  @Option(parsing: .unconditional, help: "Learning rate.")
  var lr: Double = 0.1
  @Option(parsing: .unconditional, help: "Context length.")
  var context: Int = 2
  @Option(parsing: .unconditional, help: "Worker threads (default: all cores).")
  var workers: Int = ProcessInfo.processInfo.activeProcessorCount
  @Flag(help: "Print JSON instead of a table.")
  var json = false

  func validate() throws {
    guard runs >= 1 else { throw ValidationError("--runs must be at least 1, got \(runs)") }
    guard epochs >= 0 else { throw ValidationError("--epochs must be at least 0, got \(epochs)") }
    guard lr.isFinite, lr >= 0 else { throw ValidationError("--lr must be a finite number >= 0, got \(lr)") }
    guard (0...3).contains(context) else { throw ValidationError("--context must be 0 to 3, got \(context)") }
    guard workers >= 1 else { throw ValidationError("--workers must be at least 1, got \(workers)") }
  }

  func run() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-bench-\(getpid())").path
    try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    var samples: [String: [Double]] = [:]
    var order: [String] = []
    func record(_ name: String, _ seconds: Double) {
      if samples[name] == nil { order.append(name) }
      samples[name, default: []].append(seconds)
    }
    func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
      let t0 = DispatchTime.now().uptimeNanoseconds
      let r = try body()
      return (r, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
    }
    var facts: (tokens: Int, vocab: Int, pairs: Int, rows: Int, cells: Int) = (0, 0, 0, 0, 0)
    let config = TrainingConfig(contextLength: context, learningRate: lr, epochs: epochs)
    for _ in 0..<max(runs, 1) {
      let (c, tRead) = try time { try Corpus.load(path: corpus) }
      record("read + tokenize", tRead)
      let (trainer, tIndex) = try time { try Trainer(corpus: c, config: config) }
      record("vocabulary + context index", tIndex)
      let w = workers
      let ((model, log), tTrain) = try time { try trainer.train(workers: w) }
      record("training (\(epochs) epochs)", tTrain)
      record("training per epoch", tTrain / Double(max(epochs, 1)))
      record("pairs per second (M)", Double(trainer.pairCount * epochs) / tTrain / 1e6)
      // Writes the artifacts in `format` and reads them back, timing each.
      func writeAndLoad(_ format: WeightsFormat, _ name: String) throws {
        let (_, tWrite) = try time {
          try ArtifactStore.write(directory: scratch, corpus: c, config: config, model: model, log: log, format: format)
        }
        record("write artifacts (\(name))", tWrite)
        let (_, tLoad) = try time { try ArtifactStore.load(directory: scratch) }
        record("load artifacts (\(name))", tLoad)
      }
      try writeAndLoad(.compact, "compact")
      let cells = WeightsFormat.denseCellCount(vocabSize: c.vocabulary.count, contextLength: context)
      if cells <= WeightsFormat.defaultDenseCellLimit { try writeAndLoad(.dense, "dense") }
      facts = (c.tokenCount, c.vocabulary.count, trainer.pairCount, trainer.rowCount, cells)
    }
    var rusage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &rusage)
    let peakMB = Double(rusage.ru_maxrss) / 1024
    func stats(_ xs: [Double]) -> (Double, Double, Double) {
      let s = xs.sorted()
      return (s[s.count / 2], s.first!, s.last!)
    }
    if json {
      var members: [(String, JSONValue)] = [
        ("corpus", .string(corpus)), ("tokens", .int(facts.tokens)), ("vocab_size", .int(facts.vocab)),
        ("pairs", .int(facts.pairs)), ("rows", .int(facts.rows)), ("runs", .int(runs)),
        ("workers", .int(workers)), ("peak_rss_mb", .double(peakMB)),
      ]
      for name in order {
        let (med, lo, hi) = stats(samples[name]!)
        members.append((name, .object([("median", .double(med)), ("min", .double(lo)), ("max", .double(hi))])))
      }
      print(JSONValue.object(members).rendered(indent: 2, sortKeys: false, asciiOnly: false))
    } else {
      print(
        "corpus \(corpus): \(facts.tokens) tokens, V = \(facts.vocab), \(facts.pairs) pairs, \(facts.rows) contexts; \(runs) runs, \(workers) workers"
      )
      print(padRight("phase", 32) + "   median        min        max")
      for name in order {
        let (med, lo, hi) = stats(samples[name]!)
        let unit = name.hasPrefix("pairs") ? "" : " s"
        print(
          padRight(name, 32) + " " + padLeft(fixed(med, 4), 9) + unit + " " + padLeft(fixed(lo, 4), 9) + " "
            + padLeft(fixed(hi, 4), 9))
      }
      print("peak resident memory: \(fixed(peakMB, 1)) MB")
    }
  }
}
