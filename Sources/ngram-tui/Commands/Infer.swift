import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// `ngram-tui infer`: the reference's greedy generation (or sampling) from the saved artifacts.
struct Infer: Command {
  static let name = "infer"
  static let abstract = "Greedy generation from the saved artifacts."
  var directory = DirectoryOption()
  var startTokens: [String] = []
  var numTokens: Int = 10
  var topK = TopKOption<ThreePredictions>()
  var output = JSONOption()
  var counts = CountModelOptions()
  var arpa: String?
  var sample = false
  /// `--temperature` as given (nil: not given, 1.0 when sampling).
  var givenTemperature: Double?
  var sampleTopK: Int?
  var sampleTopP: Double?
  /// `--seed` as given (nil: not given, 0 when sampling).
  var givenSeed: Seed?

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory),
      .option(
        "start-tokens", \.startTokens, parsing: .upToNextOption,
        help: "Start tokens (n of them; default: start_tokens from the meta)."),
      .option("num-tokens", \.numTokens, help: "Tokens to generate."),
      .group(\.topK), .group(\.output), .group(\.counts),
      .option("arpa", \.arpa, help: "Generate with this ARPA model (plain or .gz) instead of DIR's (see ARPA models)."),
      .flag("sample", \.sample, help: "Sample instead of greedy decoding (beyond the reference)."),
      .option("temperature", \.givenTemperature, help: "Sampling temperature (0 = greedy; 1.0 if not given)."),
      .option("top-k", \.sampleTopK, help: "Sample only among the k most probable tokens."),
      .option(
        "top-p", \.sampleTopP, help: "Sample only among the most probable tokens reaching this probability mass."),
      .option("seed", \.givenSeed, help: "Seed of the sampler (same seed, same text on every machine; 0 if not given)."),
    ]
  }

  func validate() throws {
    guard numTokens >= 0 else { throw UsageError("--num-tokens must be at least 0, got \(numTokens)") }
    try givenSeed?.validate()
    if arpa != nil && counts.model != .sgd {
      throw UsageError("--arpa and --model are two different models: give one")
    }
    // The sampler's options without --sample used to be ignored: greedy text, silently.
    if !sample,
      let given = [
        ("temperature", givenTemperature != nil), ("top-k", sampleTopK != nil), ("top-p", sampleTopP != nil),
        ("seed", givenSeed != nil),
      ]
      .first(where: { $0.1 })
    {
      throw UsageError("--\(given.0) applies to sampling: add --sample (without it infer decodes greedily)")
    }
    guard sample else { return }
    guard temperature.isFinite, temperature >= 0 else {
      throw UsageError("--temperature must be a finite number >= 0 (0 = greedy), got \(temperature)")
    }
    if let k = sampleTopK, k < 1 { throw UsageError("--top-k must be at least 1, got \(k)") }
    if let p = sampleTopP, !(p > 0 && p <= 1) { throw UsageError("--top-p must be in (0, 1], got \(p)") }
  }

  /// The sampling temperature: `--temperature`, else 1.
  var temperature: Double { givenTemperature ?? 1.0 }

  /// The sampler's seed: `--seed`, else 0.
  var seed: Seed { givenSeed ?? Seed(0) }

  /// `--sample`'s options (`--temperature`, `--top-k`, `--top-p`, `--seed`); nil for greedy.
  var sampling: SamplingOptions? {
    sample ? SamplingOptions(temperature: temperature, topK: sampleTopK, topP: sampleTopP, seed: seed.value) : nil
  }

  func run() throws {
    if let arpa { return try runARPA(arpa) }
    if let estimator = counts.estimator { return try runCount(estimator) }
    let loaded = try ArtifactStore.load(directory: directory.dir)
    let model = loaded.model
    let resolved = try model.startContext(given: startTokens, default: loaded.startTokens)
    let start = resolved.tokens
    let ids = resolved.context.ids
    let top = model.topK(context: ids, k: topK.topk)
    // The generated tokens are streamed as they are chosen, never kept: memory stays the same
    // for --num-tokens 10 and --num-tokens 1000000000.
    let tokens = model.vocabulary.tokens
    var out = StreamedOutput()
    if output.json {
      // Written piece by piece, byte for byte what printJSON would write for the whole object.
      let json = jsonText
      out.write(
        "{\"start_tokens\": \(json(.array(start.map { .string($0) }))), \"topk\": \(json(predictionsJSON(top))), ")
      out.writeGenerated(start: start, tokens: tokens) { emit in
        model.forEachGenerated(from: TokenContext(ids: ids), count: numTokens, sampling: sampling) { emit($0) }
      }
      out.writeSampling(sampling)
      out.write("}\n")
    } else {
      printLine("Top next-token predictions after \(start.isEmpty ? "(no context)" : start.joined(separator: "|")):")
      for p in top { printLine("  \(p.token) (ID \(p.id)): \(fixed(p.probability, 4))") }
      printLine(
        sample
          ? "Sampled sequence (temperature \(temperature), seed \(seed.value); beyond the reference):"
          : "Generated sequence:")
      out.write(TerminalText.escape("  " + start.joined(separator: " ")))
      var first = start.isEmpty
      model.forEachGenerated(from: TokenContext(ids: ids), count: numTokens, sampling: sampling) { id in
        out.write((first ? "" : " ") + TerminalText.escape(tokens[id]))
        first = false
      }
      out.write("\n")
    }
    out.flush()
  }
}
