import Benchmark
import NgramEngine
import NgramTUI

// ngram-tui's benchmarks (ordo-one's package-benchmark): training at every context length,
// top-k queries, loading an ARPA file, and explorer frames. Run from the repository root:
//   swift package --package-path Benchmarks benchmark
// Inputs are files of the repository: the bundled corpus (corpus/animals.txt) and a KenLM
// ARPA fixture, found from this file's path.

/// The repository's root: four levels above this file.
let root: String = {
  var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
  parts.removeLast(4)  // Benchmarks/Benchmarks/NgramBenchmarks/NgramBenchmarks.swift
  return parts.joined(separator: "/")
}()

/// The bundled corpus (`corpus/animals.txt`).
func bundledCorpus() throws -> Corpus { try Corpus.load(path: root + "/corpus/animals.txt") }

/// KenLM's trigram model of 300 fortune lines (a test fixture).
let arpaPath = root + "/Tests/NgramEngineTests/Fixtures/arpa/models/fortunes_300.o3.arpa"

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident], maxDuration: .seconds(2),
    maxIterations: 1_000)

  // Training: read nothing, index the corpus, 50 epochs of SGD (the reference's settings).
  for n in 0...3 {
    Benchmark("train context \(n) (animals.txt, 50 epochs)") { benchmark in
      let corpus = try bundledCorpus()
      let config = TrainingConfig(contextLength: n)
      benchmark.startMeasurement()
      blackHole(try Trainer(corpus: corpus, config: config).run().model)
    }
  }

  // Reading and tokenizing the corpus file.
  Benchmark("load corpus (animals.txt)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try bundledCorpus()) }
  }

  // Top-k after a context of the trained context-2 model: the softmax row and the sort.
  Benchmark("top-5 (context 2, animals.txt)", configuration: .init(scalingFactor: .kilo)) { benchmark in
    let corpus = try bundledCorpus()
    let model = try Trainer(corpus: corpus, config: TrainingConfig()).run().model
    let first = corpus.tokenIDs.prefix(2).map { corpus.vocabulary.tokens[Int($0)] }
    let context = try model.context(for: first)
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations { blackHole(model.topK(after: context, k: 5)) }
  }

  // An ARPA file: parse it, then answer a top-5 as KenLM scores it.
  Benchmark("ARPA load (fortunes_300.o3.arpa)") { benchmark in
    for _ in benchmark.scaledIterations { blackHole(try ARPAModel.load(path: arpaPath)) }
  }
  Benchmark("ARPA top-5 (fortunes_300.o3.arpa)", configuration: .init(scalingFactor: .kilo)) { benchmark in
    let model = try ARPAModel.load(path: arpaPath)
    let context = try model.context(for: Array(model.vocabulary.tokens.suffix(2)))
    benchmark.startMeasurement()
    for _ in benchmark.scaledIterations { blackHole(model.topK(after: context, k: 5)) }
  }

  // Explorer frames at 200x60: render into the grid plus the terminal driver's diff, each frame
  // one state apart from the last (issue 4's goal: <= 2 ms).
  for screen in ["Train", "Explore", "Generate", "Compare", "Help"] {
    Benchmark("frame \(screen) 200x60 (animals.txt)", configuration: .init(scalingFactor: .kilo, maxIterations: 10)) { benchmark in
      var frames = try OffscreenFrames(corpus: try bundledCorpus(), compare: screen == "Compare")
      _ = frames.renderFrame(screen: screen, width: 200, height: 60)
      benchmark.startMeasurement()
      for _ in benchmark.scaledIterations { blackHole(frames.renderFrame(screen: screen, width: 200, height: 60)) }
      benchmark.stopMeasurement()
      blackHole(frames.checksum)
    }
  }
}
