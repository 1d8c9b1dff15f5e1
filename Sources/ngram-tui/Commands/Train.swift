import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// `ngram-tui train`: train on the corpus and write the artifacts and the log.
struct Train: Command {
  static let name = "train"
  static let abstract = "Train on the corpus; write DIR/artifacts/* and DIR/outputs/train_log.csv."
  var directory = DirectoryOption()
  var training = TrainingOptions()
  var model = ModelOptions()
  var weights: WeightsChoice = .auto
  var denseLimit: Int = WeightsFormat.defaultDenseCellLimit
  var output = JSONOption()
  var quiet = false

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory), .group(\.training), .group(\.model),
      .option(
        "weights", \.weights,
        help: "Weights file format: dense (the reference's CSV), compact (sparse, lossless) or auto."),
      .option(
        "dense-limit", \.denseLimit, help: "Largest dense weights table, in numbers, that --weights auto writes."),
      .group(\.output),
      .flag("quiet", \.quiet, help: "Print nothing but errors."),
    ]
  }

  func validate() throws {
    guard denseLimit >= 0 else { throw UsageError("--dense-limit must be at least 0, got \(denseLimit)") }
  }

  func run() throws {
    let dir = directory.dir
    let config = trainingConfig(training, model)
    let control = TrainingControl()
    let src = installInterruptHandler(control)
    defer { src.cancel() }
    let started = DispatchTime.now().uptimeNanoseconds
    let job = TrainingJob(
      directory: dir, corpusOverride: training.corpus, config: config, format: weights.format,
      denseCellLimit: denseLimit)
    let printsEpochs = !(output.json || quiet)
    let result = try job.run(control: control) { event in
      if printsEpochs, case .epochFinished(let e, _, _) = event {
        print("epoch \(e.epoch)/\(config.epochs)  avg_loss \(fixed(e.avgLoss, 8))  accuracy \(fixed(e.accuracy, 6))")
      }
    }
    let elapsed = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
    if output.json {
      let last = result.log.last
      printJSON(
        .object(
          [
            ("epochs", .int(config.epochs)),
            ("avg_loss", last.map { .double($0.avgLoss) } ?? .null),
            ("accuracy", last.map { .double($0.accuracy) } ?? .null),
            ("vocab_size", .int(result.corpus.vocabulary.count)),
            ("tokens", .int(result.corpus.tokenCount)),
            ("pairs", .int(result.pairs)),
            ("context", .int(config.contextLength)),
            ("learning_rate", .double(config.learningRate)),
            ("trained_rows", .int(result.model.trainedRowCount)),
            ("weights_format", .string(result.written.format.rawValue)),
            ("elapsed_seconds", .double((elapsed * 1000).rounded() / 1000)),
          ] + validationJSON(result.validation)))
    } else if !quiet {
      printLine(
        "trained \(result.corpus.tokenCount) tokens, vocabulary \(result.corpus.vocabulary.count), \(result.pairs) pairs in \(fixed(elapsed, 2)) s; wrote \(dir)/artifacts (\(result.written.format.rawValue) weights) and \(dir)/outputs/train_log.csv"
      )
      // The held-out figures --json reports, so the text output does not leave them out.
      if let last = result.validation.last {
        printLine(
          "held-out after epoch \(last.epoch): loss \(fixed(last.valLoss, 8)), perplexity \(fixed(last.valPerplexity, 2)), unseen contexts \(fixed(last.unseenContexts * 100, 1))% (every epoch in \(dir)/outputs/eval_log.csv)"
        )
      }
    }
  }

  /// The held-out figures of the last epoch, for `--json`.
  func validationJSON(_ v: [ValidationStats]) -> [(String, JSONValue)] {
    guard let last = v.last else { return [] }
    return [
      ("val_loss", .double(last.valLoss)), ("val_perplexity", .double(last.valPerplexity)),
      ("unseen_contexts", .double(last.unseenContexts)),
    ]
  }
}
