#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

// `predict` and `infer` answered by a count-based model (`--model mle|add-k|kneser-ney`).

/// The model's parameters as JSON: `{"k": 1}`, `{"discount": 0.75}` or `{}`.
func parametersJSON(_ e: CountEstimator) -> JSONValue {
  switch e {
  case .mle: return .object([])
  case .addK(let k): return .object([("k", .double(k))])
  case .kneserNey(let d): return .object([("discount", .double(d))])
  }
}

/// The top-k of a count-based model: zero-probability tokens are never listed.
func countTopK(_ model: CountModel, _ context: TokenContext, k: Int) -> [Prediction] {
  if model.note(after: context) == .mleUnseenContext { return [] }
  return model.topK(after: context, k: k).filter { $0.probability > 0 }
}

/// A note naming the words Kneser–Ney gives 0 (empty for the other estimators).
func neverContinuationNote(_ model: CountModel) -> String {
  let zero = model.neverContinuations
  guard !zero.isEmpty else { return "" }
  let names = zero.prefix(5).map { "'\(TerminalText.escape(model.vocabulary.tokens[$0]))'" }.joined(separator: ", ")
  return
    "kneser-ney gives probability 0 to \(zero.count) word\(zero.count == 1 ? "" : "s") never seen after another word (as NLTK does): \(names)\(zero.count > 5 ? ", …" : "")"
}

extension Predict {
  func runCount(_ estimator: CountEstimator, words: [String]) throws {
    let fitted = try FittedCountModel(directory: directory.dir, estimator: estimator, context: counts.context)
    let model = fitted.model
    let n = model.contextLength.value
    guard words.count >= n else {
      throw CommandFailure(
        "this \(estimator.name) model of order \(n + 1) needs \(n) context token\(n == 1 ? "" : "s"), got \(words.count)"
      )
    }
    let ctxWords = Array(words.suffix(n))
    let context = try model.context(for: ctxWords)
    let top = countTopK(model, context, k: topK.topk)
    let undefined = model.note(after: context) == .mleUnseenContext
    let unknown = model.unknownWords(in: ctxWords)
    let entropy = undefined ? nil : model.distribution(after: context).entropyBits
    let ranked = try rank.map {
      try RankedToken($0, in: undefined ? nil : model.distribution(after: context), vocabulary: model.vocabulary)
    }
    if output.json {
      printJSON(
        .object(
          [
            ("model", .string(estimator.name)), ("parameters", parametersJSON(estimator)), ("order", .int(n + 1)),
            ("context", .array(ctxWords.map { .string($0) })), ("topk", predictionsJSON(top)),
            ("context_seen", .bool(model.isSeen(context))), ("occurrences", .int(model.occurrences(of: context))),
            ("unknown_context_words", .array(unknown.map { .string($0) })),
            ("entropy_bits", entropy.map { .double($0) } ?? .null),
            ("undefined", undefined ? .string(mleUndefinedMessage) : .null),
          ] + (ranked.map { [("rank", $0.json)] } ?? [])))
      return
    }
    let seen = model.occurrences(of: context)
    let shown = ctxWords.map { TerminalText.escape($0) }.joined(separator: " ")
    printLine(
      "next after \(ctxWords.isEmpty ? "(no context)" : shown) — \(estimator), order \(n + 1), \(seen == 0 ? "context never seen in the corpus" : "context seen \(seen) time\(seen == 1 ? "" : "s")"):"
    )
    let width = top.map { TerminalText.escape($0.token).count }.max() ?? 0
    for p in top {
      let token = TerminalText.escape(p.token)
      printLine(
        "  \(padRight(token, width))  \(padLeft(fixed(p.probability * 100, 2), 6))%  (id \(p.id))"
      )
    }
    if undefined { printLine(mleUndefinedMessage) }
    if let ranked { printLine(ranked.line) }
    let unk = unknownNote(unknown)
    if !unk.isEmpty { printLine(unk) }
    if let h = entropy { printLine("entropy \(fixed(h, 3)) bits, perplexity \(fixed(pow(2, h), 2))") }
    let zero = neverContinuationNote(model)
    if !zero.isEmpty { printLine(zero) }
    printLine(
      "equals \(estimator.nltkEquivalent) fitted on everygrams of the corpus tokens (see README, Count-based models)")
  }
}

extension Infer {
  func runCount(_ estimator: CountEstimator) throws {
    let fitted = try FittedCountModel(directory: directory.dir, estimator: estimator, context: counts.context)
    let model = fitted.model
    let n = model.contextLength.value
    let resolved = try model.startContext(given: startTokens, default: fitted.corpus.firstTokens(n))
    let start = resolved.tokens
    let context = resolved.context
    let top = countTopK(model, context, k: topK.topk)
    let tokens = model.vocabulary.tokens
    var out = StreamedOutput()
    if output.json {
      // Streamed piece by piece (as the SGD path does), so memory does not grow with --num-tokens.
      let json = jsonText
      out.write(
        "{\"model\": \(json(.string(estimator.name))), \"parameters\": \(json(parametersJSON(estimator))), \"order\": \(n + 1), "
      )
      out.write(
        "\"start_tokens\": \(json(.array(start.map { .string($0) }))), \"topk\": \(json(predictionsJSON(top))), ")
      let stopped = out.writeGenerated(start: start, tokens: tokens) { emit in
        model.forEachGenerated(from: context, count: numTokens, sampling: sampling) { emit($0) }
      }
      out.write(", \"stopped\": \(json(stopped ? .string(mleUndefinedMessage) : .null))")
      out.writeSampling(sampling)
      out.write("}\n")
      out.flush()
      return
    }
    printLine(
      "Top next-token predictions after \(start.isEmpty ? "(no context)" : start.joined(separator: "|")) (\(estimator), order \(n + 1)):"
    )
    for p in top { printLine("  \(p.token) (ID \(p.id)): \(fixed(p.probability, 4))") }
    if model.note(after: context) == .mleUnseenContext { printLine("  (\(mleUndefinedMessage))") }
    let unk = unknownNote(model.unknownWords(in: start))
    if !unk.isEmpty { printLine(unk) }
    printLine(sample ? "Sampled sequence (temperature \(temperature), seed \(seed.value)):" : "Generated sequence:")
    out.write(TerminalText.escape("  " + start.joined(separator: " ")))
    var first = start.isEmpty
    let stopped = model.forEachGenerated(from: context, count: numTokens, sampling: sampling) { id in
      out.write((first ? "" : " ") + TerminalText.escape(tokens[id]))
      first = false
    }
    out.write("\n")
    out.flush()
    if stopped { printLine("stopped: \(mleUndefinedMessage)") }
  }
}
