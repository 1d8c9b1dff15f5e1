/// What the artifacts' meta records about the run that produced them.
extension LoadedArtifacts {
  /// The model kind the meta records (`"context2"`, …).
  public var modelKind: String { meta.modelKind }

  /// The training settings the meta records; the reference's defaults where it records none.
  public var recordedTraining: TrainingConfig {
    var config = TrainingConfig(contextLength: model.contextLength.value)
    if let x = meta.training.learningRate { config.learningRate = x }
    if let x = meta.training.epochs { config.epochs = x }
    return config
  }

  /// The corpus the artifacts were trained on, if it is still where the meta says (relative to
  /// `directory`) and unchanged (same SHA-256); nil otherwise.
  public func trainingCorpus(directory: String) -> Corpus? {
    guard let relative = meta.corpus.path else { return nil }
    let path = relative.hasPrefix("/") ? relative : Paths.join(directory, relative)
    guard let corpus = try? Corpus.load(path: path) else { return nil }
    if let sha = meta.corpus.sha256, sha != corpus.sha256 { return nil }
    return corpus
  }
}

/// A prediction with what explains it: the observed successor counts, the model as it stood
/// after an earlier epoch (time travel), and the shorter context it backed off to.
public struct PredictionInsight: Sendable {
  /// The distribution answered (after `epoch`, or for `backoffContext`, when those apply).
  public let distribution: Distribution
  /// How often the context (or the back-off context) occurred and what followed it; nil
  /// without the training corpus.
  public let observed: SuccessorCounts?
  /// The epoch the answer is replayed at, if one was asked for.
  public let epoch: Int?
  /// The shorter context used for a context never seen in training, if back-off applied.
  public let backoffContext: [Int]?

  /// Explains the model's answer for `context`.
  ///
  /// - Parameters:
  ///   - model: the model that answers.
  ///   - context: the context's token ids (as many as the model's context length).
  ///   - corpus: the training corpus (see `LoadedArtifacts.trainingCorpus(directory:)`); time
  ///     travel and back-off replay training on it, and are skipped without it.
  ///   - training: the learning rate and epochs the model was trained with.
  ///   - epoch: answer as the model stood after this many epochs.
  ///   - backoff: for a context never seen in training, drop its oldest tokens until one was
  ///     seen (down to no context) and answer for that one.
  public init(
    model: NgramModel, context: [Int], corpus: Corpus?, training: TrainingConfig, epoch: Int?, backoff: Bool
  ) {
    var dist = model.distribution(context: context)
    if let epoch, let corpus {
      dist = TimeTravel.distribution(
        corpus: corpus, context: context, learningRate: training.learningRate, epochs: epoch)
    }
    var used: [Int]?
    if backoff, let corpus, !model.isTrained(context: context) {
      (dist, used) = Self.backOff(from: Array(context.dropFirst()), corpus: corpus, training: training, epoch: epoch)
    }
    distribution = dist
    observed = corpus?.successors(of: used ?? context)
    self.epoch = epoch
    backoffContext = used
  }

  /// The back-off answer for a typed context whose oldest tokens are not in the vocabulary at
  /// all, so that it was never seen: as `backoff` above, from `knownSuffix` (the typed tokens
  /// after the last unknown one) down to no context.
  public init(knownSuffix: [Int], corpus: Corpus, training: TrainingConfig, epoch: Int?) {
    let (dist, used) = Self.backOff(from: knownSuffix, corpus: corpus, training: training, epoch: epoch)
    distribution = dist
    observed = corpus.successors(of: used)
    self.epoch = epoch
    backoffContext = used
  }

  /// The longest of `context` and its suffixes that occurs in the corpus (down to no context),
  /// and its distribution, trained as `training` (to `epoch`).
  static func backOff(from context: [Int], corpus: Corpus, training: TrainingConfig, epoch: Int?) -> (
    Distribution, [Int]
  ) {
    var shorter = context
    while !shorter.isEmpty && corpus.successorTargets(of: shorter).isEmpty { shorter.removeFirst() }
    let dist = TimeTravel.distribution(
      corpus: corpus, context: shorter, learningRate: training.learningRate, epochs: epoch ?? training.epochs)
    return (dist, shorter)
  }
}
