import ArgumentParser
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
struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui", abstract: "The explorer (default): train on the corpus and explore the model live.")
  @OptionGroup var directory: DirectoryOption
  @OptionGroup var training: TrainingOptions
  @OptionGroup var model: ModelOptions
  @OptionGroup var topK: TopKOption<ExplorerPredictions>
  @Flag(help: "Draw bars and charts with ASCII characters only (automatic when the locale is not UTF-8).")
  var ascii = false
  @Option(
    parsing: .unconditional,
    help: "Seconds over which the Train screen reveals the epochs of a fast run (0: no pacing).")
  var pace: Double = 2.0
  @Option(help: "Weights file format written after training: dense, compact or auto.")
  var weights: WeightsChoice = .auto
  @Option(parsing: .unconditional, help: "Seed for sampling mode on the Generate screen (as `infer --sample --seed`).")
  var seed = Seed(0)
  @Option(help: "Explore this ARPA model (plain or .gz) instead of training on DIR's corpus.")
  var arpa: String?
  @Option(
    name: .customLong("compare-arpa"),
    help: "Add this ARPA model (plain or .gz) to Compare's models view (=), with its held-out perplexity; repeatable.")
  var compareARPA: [String] = []

  func validate() throws {
    guard pace.isFinite, pace >= 0 else { throw ValidationError("--pace must be a finite number >= 0, got \(pace)") }
    try seed.validate()
    if arpa != nil && !compareARPA.isEmpty {
      throw ValidationError(
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
    throw ExitCode(
      Explorer.run(
        options: Explorer.Options(
          directory: dir, corpus: training.corpus, config: config, topK: topK.topk, ascii: ascii,
          pace: pace, weights: weights.format, seed: seed.value, arpa: arpa,
          compareARPA: compared)))
  }
}
