import NgramEngine

/// `ngram-tui eval`: per-token log10 probabilities and perplexity of a text, like SRILM's
/// `ngram -ppl -debug 2`.
struct Eval: Command {
  static let name = "eval"
  static let abstract =
    "Score every token of a text with its context (like SRILM's ngram -ppl -debug 2): log10 probabilities and perplexity."
  var directory = DirectoryOption()
  var counts = CountModelOptions()
  var arpa: String?
  var text = ""
  var output = JSONOption()

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory), .group(\.counts),
      .option("arpa", \.arpa, help: "Score with this ARPA file (plain or .gz) instead of DIR's model."),
      .option("text", \.text, required: true, help: "The text to score (whitespace-separated tokens)."),
      .group(\.output),
    ]
  }

  func validate() throws {
    if arpa != nil && counts.model != .sgd {
      throw UsageError("--arpa and --model are two different models: give one")
    }
  }

  func run() throws {
    // Read and split exactly as a corpus is (strict UTF-8, Python's whitespace).
    let corpus = try Corpus.load(path: text)
    let words = corpus.tokenIDs.map { corpus.vocabulary.tokens[Int($0)] }
    let result: Evaluation
    if let arpa {
      result = Evaluation.evaluate(try ARPAModel.load(path: arpa), tokens: words)
    } else if let estimator = counts.estimator {
      let fitted = try FittedCountModel(directory: directory.dir, estimator: estimator, context: counts.context)
      result = Evaluation.evaluate(fitted.model, tokens: words)
    } else {
      result = Evaluation.evaluate(try ArtifactStore.load(directory: directory.dir).model, tokens: words)
    }
    if output.json {
      printJSON(evaluationJSON(result))
    } else {
      for line in evaluationLines(result) { printLine(line) }
    }
  }
}

/// The JSON of `eval --json`.
func evaluationJSON(_ e: Evaluation) -> JSONValue {
  var members: [(String, JSONValue)] = [
    ("tokens", .int(e.tokenCount)),
    ("scored", .int(e.scoredCount)),
    ("oov", .int(e.oovCount)),
    ("log10_prob", .double(e.log10Probability)),
    ("perplexity", e.perplexity.map { .double($0) } ?? .null),
  ]
  if let p = e.perplexityWithOOV { members.append(("perplexity_with_oov", .double(p))) }
  if !e.zeroProbability.isEmpty {
    members.append(
      (
        "zero_probability",
        .array(e.zeroProbability.map { .object([("position", .int($0.position)), ("token", .string($0.token))]) })
      ))
  }
  members.append(
    (
      "per_token",
      .array(
        e.tokens.map { t in
          .object([
            ("position", .int(t.position)), ("token", .string(t.token)),
            ("log10_prob", t.log10Probability.map { .double($0) } ?? .null), ("oov", .bool(t.oov)),
          ])
        })
    ))
  return .object(members)
}

/// `eval` in words: one line per scored token, then the totals.
func evaluationLines(_ e: Evaluation) -> [String] {
  var out: [String] = []
  for t in e.tokens {
    let p = t.log10Probability.map { $0 == -.infinity ? "-inf" : fixed($0, 6) } ?? "n/a"
    out.append("\(t.position)  \(t.token)  \(p)\(t.oov ? "  [OOV]" : "")")
  }
  out.append(
    "\(e.tokenCount) tokens, \(e.scoredCount) scored, \(e.oovCount) OOV; log10 prob \(fixed(e.log10Probability, 4))")
  if !e.zeroProbability.isEmpty {
    let names = e.zeroProbability.prefix(8).map { "'\($0.token)' at \($0.position)" }.joined(separator: ", ")
    out.append(
      "perplexity: infinite — probability 0 for \(names)\(e.zeroProbability.count > 8 ? ", …" : "")")
  } else if let p = e.perplexity {
    out.append("perplexity \(fixed(p, 4))")
  } else {
    out.append("perplexity: no token scored")
  }
  if let p = e.perplexityWithOOV { out.append("perplexity with OOV tokens (as <unk>) \(fixed(p, 4))") }
  return out
}
