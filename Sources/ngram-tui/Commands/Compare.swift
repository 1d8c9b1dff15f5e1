import NgramTUI
import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// `ngram-tui compare`: train several context lengths and compare their answers for one text.
struct Compare: Command {
  static let name = "compare"
  static let abstract =
    "Train context lengths 1, 2 and 3 on the corpus and compare their answers for the same text."
  var directory = DirectoryOption()
  var training = TrainingOptions()
  var holdout: Double = 0.1
  var topK = TopKOption<FivePredictions>()
  var contexts: [Int] = []
  var models: String?
  var arpa: String?
  /// `--k` as given (nil: not given).
  var givenK: Double?
  /// `--discount` as given (nil: not given).
  var givenDiscount: Double?
  var output = JSONOption()
  var timings = false
  var tokens: [String] = []

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory), .group(\.training),
      .option("holdout", \.holdout, help: "Fraction of tokens held out to measure perplexity (0: skip)."),
      .group(\.topK),
      .option(
        "contexts", \.contexts, parsing: .upToNextOption,
        help: "Context lengths to compare (default 1 2 3; with --models, the trained model's, else 2)."),
      .option(
        "models", \.models,
        help:
          "Models to compare, comma-separated: sgd, mle, add-k, kneser-ney (count-based ones are fitted from the corpus), arpa:FILE."
      ),
      .option("arpa", \.arpa, help: "Also compare this ARPA model (the same as adding arpa:FILE to --models)."),
      .option("k", \.givenK, help: "add-k: the k added to every count (default 1)."),
      .option("discount", \.givenDiscount, help: "kneser-ney: the absolute discount D, 0 ≤ D ≤ 1 (default 0.75)."),
      .group(\.output),
      .flag(
        "timings", \.timings,
        help: "Also print on stderr how long each SGD training took (they run side by side) and the total."),
      .positional("tokens", \.tokens, help: "The typed text; each model uses its last n tokens."),
    ]
  }

  func validate() throws {
    guard holdout.isFinite, holdout >= 0, holdout < 1 else {
      throw UsageError("--holdout must be a fraction in [0, 1), got \(holdout)")
    }
    let choices = try modelChoices().choices
    for n in contexts {
      if choices.contains(.sgd) {
        try validateContextLength(n, option: "--contexts")
      } else if ContextLength(n) == nil {
        throw UsageError("--contexts must be 0–\(ContextLength.maximum) for count-based models, got \(n)")
      }
    }
    try validateCountParameters(
      givenK: givenK, givenDiscount: givenDiscount, uses: { choices.contains($0) }, addHint: { "\($0) to --models" })
  }

  /// add-k's k: `--k`, else 1.
  var k: Double { givenK ?? defaultK }
  /// Kneser-Ney's discount: `--discount`, else 0.75.
  var discount: Double { givenDiscount ?? defaultDiscount }

  /// The models `--models` lists (just sgd without it) and the ARPA files (`arpa:FILE` in
  /// `--models`, then `--arpa`).
  func modelChoices() throws -> (choices: [ModelChoice], arpaFiles: [String]) {
    var arpaFiles: [String] = []
    guard let list = models else { return ([.sgd], arpa.map { [$0] } ?? []) }
    var out: [ModelChoice] = []
    for name in list.split(separator: ",", omittingEmptySubsequences: false) {
      let trimmed = String(name.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
      if trimmed.hasPrefix("arpa:") {
        let file = String(trimmed.dropFirst(5))
        guard !file.isEmpty else {
          throw UsageError("arpa: in --models needs a file name, e.g. --models sgd,arpa:model.arpa")
        }
        if !arpaFiles.contains(file) { arpaFiles.append(file) }
        continue
      }
      guard let c = ModelChoice(rawValue: trimmed) else {
        throw UsageError(
          "unknown model '\(TerminalText.escape(String(trimmed)))' in --models: use a comma-separated list of sgd, mle, add-k, kneser-ney, arpa:FILE"
        )
      }
      if !out.contains(c) { out.append(c) }
    }
    if let a = arpa, !arpaFiles.contains(a) { arpaFiles.append(a) }
    return (out, arpaFiles)
  }

  func run() throws {
    let words = tokens.flatMap { $0.pythonSplit() }
    let (choices, arpaFiles) = try modelChoices()
    // ARPA files alone without a holdout need no corpus.
    let needsCorpus = !choices.isEmpty || holdout > 0
    let c: Corpus? =
      needsCorpus
      ? try Corpus.load(path: try Corpus.locate(directory: directory.dir, corpusOverride: training.corpus)) : nil
    let labelled = models != nil || !arpaFiles.isEmpty
    var lengths = choices.isEmpty ? [] : contexts
    if lengths.isEmpty && !choices.isEmpty {
      if models == nil {
        lengths = [1, 2, 3]
      } else {
        let trained = try? ArtifactStore.load(directory: directory.dir)
        lengths = [trained?.model.contextLength.value ?? 2]
      }
    }
    let usable = lengths.filter { $0 <= words.count }
    // Nothing to compare is a mistake in the arguments, not a success with empty output.
    if usable.isEmpty && arpaFiles.isEmpty, let shortest = lengths.min() {
      throw UsageError(
        "compare needs at least \(shortest) typed token\(shortest == 1 ? "" : "s") for context \(shortest), got \(words.count): give the text to compare, e.g. ngram-tui compare the cat sat"
      )
    }
    for n in lengths where n > words.count {
      writeStandardError("ngram-tui: note: skipping context \(n): it needs \(n) typed tokens, got \(words.count)\n")
    }
    // Every SGD length's trainings at once, side by side on the cores.
    var sgd: [Int: Result<TrainedContextModel, any Error>] = [:]
    if let c, choices.contains(.sgd), !usable.isEmpty {
      let start = DispatchTime.now().uptimeNanoseconds
      var report: (@Sendable (ComparisonTraining.Event) -> Void)?
      if timings {
        report = { event in
          if case .finished(let job, let seconds) = event {
            writeStandardError("ngram-tui: timing: \(job.name): \(fixed(seconds, 2)) s\n")
          }
        }
      }
      let trained = ComparisonTraining.train(
        corpus: c, contextLengths: usable, learningRate: training.lr, epochs: training.epochs, holdout: holdout,
        onEvent: report)
      for (n, r) in zip(usable, trained) { sgd[n] = r }
      if timings {
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        writeStandardError("ngram-tui: timing: all SGD trainings: \(fixed(seconds, 2)) s\n")
      }
    }
    var rows: [CompareRow] = []
    for n in usable {
      guard let c else { break }
      for choice in choices {
        if let estimator = choice.estimator(k: k, discount: discount) {
          rows.append(
            .counts(
              try CountComparison(
                corpus: c, tokens: words, contextLength: ContextLength(n)!, estimator: estimator, topK: topK.topk,
                holdout: holdout)))
        } else {
          rows.append(.sgd(try sgd[n]!.get().answer(words, topK: topK.topk)))
        }
      }
    }
    for file in arpaFiles {
      rows.append(
        .arpa(
          try ARPAComparison(
            model: try ARPAModel.load(path: file), tokens: words, topK: topK.topk, corpus: c, holdout: holdout)))
    }
    if output.json {
      printJSON(.object([("models", .array(rows.map(\.json)))]))
    } else {
      for r in rows { for line in r.lines(labelled: labelled) { printLine(line) } }
    }
  }
}
