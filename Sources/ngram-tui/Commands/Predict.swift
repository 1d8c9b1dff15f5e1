import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// `ngram-tui predict`: the top-k next tokens after a context, with what explains them.
struct Predict: Command {
  static let name = "predict"
  static let abstract = "Top-k next tokens after a context (the last n tokens given)."
  var directory = DirectoryOption()
  var topK = TopKOption<FivePredictions>()
  var output = JSONOption()
  var counts = CountModelOptions()
  var epoch: Int?
  var backoff = false
  var rank: String?
  var arpa: String?
  var tokens: [String] = []

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory), .group(\.topK), .group(\.output), .group(\.counts),
      .option(
        "epoch", \.epoch, help: "Answer as the model stood after this many epochs (replays the context's own training)."
      ),
      .flag(
        "backoff", \.backoff,
        help: "For a context never seen in training, back off to shorter contexts (beyond the reference)."),
      .option("rank", \.rank, help: "Also give this token's rank (1-based, in the order of the bars) and probability."),
      .option("arpa", \.arpa, help: "Answer with this ARPA model (plain or .gz) instead of DIR's (see ARPA models)."),
      .positional("tokens", \.tokens, help: "Context tokens; the last n are used."),
    ]
  }

  func validate() throws {
    if let e = epoch, e < 0 { throw UsageError("--epoch must be at least 0, got \(e)") }
    if arpa != nil && (counts.model != .sgd || epoch != nil || backoff) {
      throw UsageError("--arpa answers with the ARPA file alone: leave out --model, --epoch and --backoff")
    }
    if counts.model != .sgd && (epoch != nil || backoff) {
      throw UsageError(
        "--epoch and --backoff replay SGD training; they do not apply to --model \(counts.model.rawValue)")
    }
  }

  func run() throws {
    if let arpa { return try runARPA(arpa, words: tokens.flatMap { $0.pythonSplit() }) }
    if let estimator = counts.estimator {
      return try runCount(estimator, words: tokens.flatMap { $0.pythonSplit() })
    }
    let loaded = try ArtifactStore.load(directory: directory.dir)
    let model = loaded.model
    let n = model.contextLength.value
    let words = tokens.flatMap { $0.pythonSplit() }
    guard words.count >= n else {
      throw CommandFailure(
        "this \(loaded.modelKind) model needs \(n) context token\(n == 1 ? "" : "s"), got \(words.count)")
    }
    let ctx = Array(words.suffix(n))
    // With --backoff, tokens outside the vocabulary only make the context unseen: the answer
    // backs off past them (the last unknown one and everything older).
    let lastUnknown = backoff ? ctx.lastIndex { model.vocabulary.id(of: $0) == nil } : nil
    let ids = try model.ids(for: lastUnknown.map { Array(ctx[($0 + 1)...]) } ?? ctx)
    let replays = epoch != nil || backoff
    let corpus = loaded.trainingCorpus(directory: directory.dir)
    if replays && corpus == nil {
      throw CommandFailure(
        "--epoch and --backoff replay training and need the training corpus unchanged where 00_meta.json says (corpus.path, corpus.sha256)"
      )
    }
    let insight =
      if let corpus, lastUnknown != nil {
        PredictionInsight(knownSuffix: ids, corpus: corpus, training: loaded.recordedTraining, epoch: epoch)
      } else {
        PredictionInsight(
          model: model, context: ids, corpus: corpus, training: loaded.recordedTraining, epoch: epoch,
          backoff: backoff)
      }
    let seen = lastUnknown == nil && model.isTrained(context: ids)
    let top = insight.distribution.top(topK.topk).map {
      Prediction(token: model.vocabulary.tokens[$0.id], id: $0.id, probability: $0.probability)
    }
    let ranked = try rank.map { try RankedToken($0, in: insight.distribution, vocabulary: model.vocabulary) }
    if output.json {
      var members: [(String, JSONValue)] = [
        ("context", .array(ctx.map { .string($0) })), ("topk", predictionsJSON(top)),
      ]
      if let r = ranked { members.append(("rank", r.json)) }
      printJSON(.object(members + json(insight, model)))
    } else {
      let rankLines = ranked.map { [$0.line] } ?? []
      let header = describe(top, context: ctx, seen: seen, backedOff: insight.backoffContext != nil)
      for line in header + rankLines + lines(insight, model, unknown: lastUnknown.map { Array(ctx[...$0]) } ?? []) {
        printLine(line)
      }
    }
  }

  /// The insight's figures for `--json`.
  func json(_ insight: PredictionInsight, _ model: NgramModel) -> [(String, JSONValue)] {
    let distribution = insight.distribution
    var out: [(String, JSONValue)] = [("entropy_bits", .double(distribution.entropyBits))]
    if let epoch = insight.epoch { out.append(("epoch", .int(epoch))) }
    if let backoffContext = insight.backoffContext {
      out.append(("backoff_context", .array(backoffContext.map { .string(model.vocabulary.tokens[$0]) })))
    }
    if let observed = insight.observed {
      out.append(("occurrences", .int(observed.occurrences)))
      out.append(("observed", .object(observed.counts.map { (model.vocabulary.tokens[$0.id], .int($0.count)) })))
      out.append(("kl_bits", .double(observed.klDivergenceBits(from: distribution))))
    } else {
      out.append(("observed", .null))
    }
    return out
  }

  /// The insight in words, one line each.
  func lines(_ insight: PredictionInsight, _ model: NgramModel, unknown: [String] = []) -> [String] {
    let distribution = insight.distribution
    var out = [
      "entropy \(fixed(distribution.entropyBits, 3)) bits, perplexity \(fixed(pow(2, distribution.entropyBits), 2))"
    ]
    if let epoch = insight.epoch { out.append("as the model stood after epoch \(epoch)") }
    if let b = insight.backoffContext {
      let outside = unknown.filter { model.vocabulary.id(of: $0) == nil }
      let why = outside.isEmpty ? "" : " (not in the vocabulary: \(outside.joined(separator: " ")))"
      out.append(
        "context never seen\(why): backed off to \(b.isEmpty ? "(no context)" : b.map { model.vocabulary.tokens[$0] }.joined(separator: " ")) (beyond the reference)"
      )
    }
    if let observed = insight.observed {
      let shown = observed.counts.prefix(8).map { c in
        let share = fixed(100 * Double(c.count) / Double(observed.occurrences), 1)
        let modelShare = fixed(100 * distribution.probability(of: c.id), 1)
        return "\(model.vocabulary.tokens[c.id]) \(c.count) (\(share)%, model \(modelShare)%)"
      }
      out.append(
        "seen \(observed.occurrences) time\(observed.occurrences == 1 ? "" : "s") in the corpus; followed by: \(shown.joined(separator: ", "))\(observed.counts.count > 8 ? ", …" : "")"
      )
      out.append("KL(observed ‖ model) = \(fixed(observed.klDivergenceBits(from: distribution), 4)) bits")
    }
    return out
  }
}

/// `predict --rank TOKEN`: where a token stands in a model's whole distribution after the
/// context, in the order of the bars (probability descending, then id), for any model.
struct RankedToken {
  /// The token, as the vocabulary spells it.
  let token: String
  /// Its id.
  let id: Int
  /// The vocabulary's size.
  let of: Int
  /// 1-based rank, nil where the distribution is undefined (MLE after an unseen context).
  let rank: Int?
  /// Its probability (nil where undefined).
  let probability: Double?

  /// The rank of `token` in `distribution` (nil: the distribution is undefined); an unknown
  /// token is an error with suggestions.
  init(_ token: String, in distribution: Distribution?, vocabulary: Vocabulary) throws {
    id = try vocabulary.ids(for: [token])[0]
    self.token = vocabulary.tokens[id]
    of = vocabulary.count
    rank = distribution?.rank(of: id)
    probability = distribution?.probability(of: id)
  }

  /// `{"token", "rank", "probability"}` (rank and probability null where undefined).
  var json: JSONValue {
    .object([
      ("token", .string(token)), ("rank", rank.map { .int($0) } ?? .null),
      ("probability", probability.map { .double($0) } ?? .null),
    ])
  }

  /// `rank of dog: 34 of 74, probability 0.29% (id 22)`.
  var line: String {
    guard let rank, let probability else {
      return "rank of \(token): undefined (MLE has no distribution after this context: 0/0)"
    }
    return "rank of \(token): \(rank) of \(of), probability \(fixed(100 * probability, 2))% (id \(id))"
  }
}
