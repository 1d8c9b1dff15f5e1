import NgramEngine

/// `ngram-tui plot`: the run's loss and accuracy per epoch as a standalone SVG.
struct Plot: Command {
  static let name = "plot"
  static let abstract = "Draw loss and accuracy per epoch (plus held-out loss and the loss floor) as an SVG file."
  var directory = DirectoryOption()
  var out = ""

  static var arguments: [Argument<Self>] {
    [.group(\.directory), .option("out", \.out, required: true, help: "The SVG file to write.")]
  }

  func validate() throws {
    guard !out.isEmpty else { throw UsageError("--out needs a file name, e.g. --out training.svg") }
  }

  func run() throws {
    let log = try TrainingLogs.trainLog(directory: directory.dir)
    guard !log.isEmpty else {
      throw CommandFailure("outputs/train_log.csv has no epochs to plot: train with --epochs 1 or more")
    }
    let validation = try TrainingLogs.evalLog(directory: directory.dir) ?? []
    // The loss floor needs the training corpus; without it the chart simply has no floor line.
    var floor: Double?
    var title = "ngram-tui training"
    if let loaded = try? ArtifactStore.load(directory: directory.dir) {
      title = "ngram-tui: \(loaded.meta.corpus.filename ?? "corpus"), \(loaded.modelKind)"
      if let corpus = loaded.trainingCorpus(directory: directory.dir) {
        var config = loaded.recordedTraining
        config.holdout = loaded.meta.training.holdout ?? 0
        floor = (try? Trainer(corpus: corpus, config: config))?.countOptimumLoss
      }
    }
    let svg = SVGChart(title: title, log: log, validation: validation, lossFloor: floor).render()
    try writeTextFile(out, svg)
    print(
      TerminalText.escape(
        "wrote \(out): \(log.count) epoch\(log.count == 1 ? "" : "s")\(validation.isEmpty ? "" : ", held-out loss")\(floor == nil ? "" : ", loss floor \(fixed(floor!, 4))")"
      ))
  }
}
