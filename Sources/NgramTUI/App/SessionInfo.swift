/// Facts about the run shown at the top of the Train screen.
struct SessionInfo: Sendable, Equatable {
  /// The corpus file's name.
  var corpusName: String
  /// The base directory artifacts are written under.
  var directory: String
  /// Tokens in the corpus.
  var tokens: Int
  /// Distinct tokens.
  var vocabSize: Int
  /// Training pairs per epoch.
  var pairs: Int
  /// Distinct contexts (trained rows).
  var contexts: Int
  /// Tokens of context.
  var contextLength: Int
  /// SGD step size.
  var learningRate: Double
  /// Epochs requested.
  var epochs: Int
  /// The share of tokens held out for validation (0: none).
  var holdout: Double = 0
  /// The lowest average loss this model form can reach: the entropy of the observed successor
  /// counts (nats), which training approaches.
  var lossFloor: Double? = nil
}
