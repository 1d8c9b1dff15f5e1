import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import NgramTUI

/// `ngram-tui tui` (the default): the explorer; without a terminal, train if needed and run
/// the line REPL.
struct Explore: Command {
  static let name = "tui"
  static let abstract = "The explorer (default): train on the corpus and explore the model live."
  var directory = DirectoryOption()
  var training = TrainingOptions()
  var model = ModelOptions()
  var topK = TopKOption<ExplorerPredictions>()
  var ascii = false
  var pace: Double = 2.0
  var weights: WeightsChoice = .auto
  var seed = Seed(0)
  var arpa: String?
  var compareARPA: [String] = []

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory), .group(\.training), .group(\.model), .group(\.topK),
      .flag(
        "ascii", \.ascii,
        help: "Draw bars and charts with ASCII characters only (automatic when the locale is not UTF-8)."),
      .option(
        "pace", \.pace, help: "Seconds over which the Train screen reveals the epochs of a fast run (0: no pacing)."),
      .option("weights", \.weights, help: "Weights file format written after training: dense, compact or auto."),
      .option("seed", \.seed, help: "Seed for sampling mode on the Generate screen (as `infer --sample --seed`)."),
      .option("arpa", \.arpa, help: "Explore this ARPA model (plain or .gz) instead of training on DIR's corpus."),
      .option(
        "compare-arpa", \.compareARPA, parsing: .repeated,
        help:
          "Add this ARPA model (plain or .gz) to Compare's models view (=), with its held-out perplexity; repeatable."),
    ]
  }

  func validate() throws {
    guard pace.isFinite, pace >= 0 else { throw UsageError("--pace must be a finite number >= 0, got \(pace)") }
    try seed.validate()
    if arpa != nil && !compareARPA.isEmpty {
      throw UsageError(
        "--compare-arpa adds ARPA models to Compare beside a model trained on DIR's corpus; it does not apply with --arpa"
      )
    }
  }

  func run() throws {
    let dir = directory.dir
    let config = trainingConfig(training, model)
    // Read before anything else, so a bad file is one error line naming it (terminal or not).
    let compared = try compareARPA.map { try ARPAModel.load(path: $0) }
    if let arpa, isatty(0) != 1 || isatty(1) != 1 {
      // Not a terminal: the line REPL on the ARPA model.
      try Repl.runARPA(path: arpa, topk: topK.topk)
      return
    }
    if isatty(0) != 1 || isatty(1) != 1 {
      // Not a terminal: train if needed, then the line REPL.
      if (try? ArtifactStore.load(directory: dir)) == nil {
        let control = TrainingControl()
        let src = installInterruptHandler(control)
        defer { src.cancel() }
        _ = try TrainingJob(directory: dir, corpusOverride: training.corpus, config: config).run(control: control)
      }
      try Repl.run(directory: dir, topk: topK.topk)
      return
    }
    throw ExitStatus(
      Explorer.run(
        options: Explorer.Options(
          directory: dir, corpus: training.corpus, config: config, topK: topK.topk, ascii: ascii,
          pace: pace, weights: weights.format, seed: seed.value, arpa: arpa,
          compareARPA: compared)))
  }
}
