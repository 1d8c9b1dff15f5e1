import NgramEngine

// The options several commands share, each declared once and lifted into a command with
// `.group(\.property)`. A negative number is read as a value (the parser takes any number
// after an option as its value), so it reaches the range checks in `validate()`.

/// `--dir`: where the corpus, the artifacts and the outputs live.
struct DirectoryOption: OptionGroup {
  var dir: String = "."

  static var arguments: [Argument<Self>] {
    [.option("dir", \.dir, help: "Base directory holding corpus/, artifacts/ and outputs/.")]
  }
}

/// `--corpus`, `--lr`, `--epochs`: what to train on and how long.
struct TrainingOptions: OptionGroup {
  var corpus: String?
  var lr: Double = 0.1
  var epochs: Int = 50

  static var arguments: [Argument<Self>] {
    [
      .option("corpus", \.corpus, help: "Corpus file to use instead of the single file in DIR/corpus."),
      .option("lr", \.lr, help: "Learning rate."),
      .option("epochs", \.epochs, help: "Training epochs."),
    ]
  }

  func validate() throws {
    guard lr.isFinite, lr >= 0 else { throw UsageError("--lr must be a finite number >= 0, got \(lr)") }
    guard epochs >= 0 else { throw UsageError("--epochs must be at least 0, got \(epochs)") }
  }
}

/// `--context`, `--holdout`: the one model that `train` and the explorer build.
struct ModelOptions: OptionGroup {
  var context: Int = 2
  var holdout: Double = 0

  static var arguments: [Argument<Self>] {
    [
      .option("context", \.context, help: "Context length: 0 unigram, 1 bigram, 2 context-2, 3 context-3."),
      .option(
        "holdout", \.holdout,
        help: "Keep the last fraction of tokens out of training and score them each epoch (outputs/eval_log.csv)."),
    ]
  }

  func validate() throws {
    try validateContextLength(context, option: "--context")
    guard holdout.isFinite, holdout >= 0, holdout < 1 else {
      throw UsageError("--holdout must be a fraction in [0, 1), got \(holdout)")
    }
  }
}

/// Checks a context length given on the command line.
func validateContextLength(_ n: Int, option: String) throws {
  guard ContextLength.trainable.contains(n) else {
    throw UsageError(
      "\(option) must be 0 (unigram), 1 (bigram), 2 (context-2) or 3 (context-3), got \(n)")
  }
}

/// The training run that `--corpus/--lr/--epochs` and `--context/--holdout` describe.
func trainingConfig(_ training: TrainingOptions, _ model: ModelOptions) -> TrainingConfig {
  TrainingConfig(
    contextLength: model.context, learningRate: training.lr, epochs: training.epochs, holdout: model.holdout)
}

/// How a command's `--topk` defaults and the least it accepts.
protocol TopKPolicy {
  static var defaultValue: Int { get }
  static var minimum: Int { get }
}

/// Five predictions; zero allowed.
enum FivePredictions: TopKPolicy {
  static let defaultValue = 5
  static let minimum = 0
}

/// Three predictions, as the reference's `infer` prints; zero allowed.
enum ThreePredictions: TopKPolicy {
  static let defaultValue = 3
  static let minimum = 0
}

/// Five predictions; the explorer needs at least one row to show.
enum ExplorerPredictions: TopKPolicy {
  static let defaultValue = 5
  static let minimum = 1
}

/// `--topk`: how many predictions to show.
struct TopKOption<Policy: TopKPolicy>: OptionGroup {
  var topk: Int = Policy.defaultValue

  static var arguments: [Argument<Self>] {
    [.option("topk", \.topk, help: "How many predictions to show.")]
  }

  func validate() throws {
    guard topk >= Policy.minimum else {
      throw UsageError("--topk must be at least \(Policy.minimum), got \(topk)")
    }
  }
}

/// `--json`: one JSON document on stdout instead of text.
struct JSONOption: OptionGroup {
  var json = false

  static var arguments: [Argument<Self>] {
    [.flag("json", \.json, help: "Print one JSON document instead of text.")]
  }
}

/// `--weights`: the weights file format written after training.
enum WeightsChoice: String, CaseIterable, ArgumentValue {
  case dense, compact, auto

  /// The engine's format.
  var format: WeightsFormat {
    switch self {
    case .dense: .dense
    case .compact: .compact
    case .auto: .auto
    }
  }
}

/// `--seed`: a whole number from 0 to 2^64 − 1. Read as text and checked in `validate()`, so
/// that `--seed -1` gets a message naming the range rather than the parser's.
struct Seed: ArgumentValue {
  /// The text given.
  let text: String
  /// The seed (0 until validated).
  var value: UInt64 { UInt64(text) ?? 0 }

  init(_ value: UInt64) { text = String(value) }
  init?(argument: String) { text = argument }
  var defaultValueDescription: String { text }

  func validate() throws {
    guard UInt64(text) != nil else {
      throw UsageError("--seed must be a whole number from 0 to \(UInt64.max), got \(text)")
    }
  }
}
