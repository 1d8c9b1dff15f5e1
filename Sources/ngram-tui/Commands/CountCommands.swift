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
    if output.json {
      printJSON(
        .object([
          ("model", .string(estimator.name)), ("parameters", parametersJSON(estimator)), ("order", .int(n + 1)),
          ("context", .array(ctxWords.map { .string($0) })), ("topk", predictionsJSON(top)),
          ("context_seen", .bool(model.isSeen(context))), ("occurrences", .int(model.occurrences(of: context))),
          ("unknown_context_words", .array(unknown.map { .string($0) })),
          ("entropy_bits", entropy.map { .double($0) } ?? .null),
          ("undefined", undefined ? .string(mleUndefinedMessage) : .null),
        ]))
      return
    }
    let seen = model.occurrences(of: context)
    let shown = ctxWords.map { TerminalText.escape($0) }.joined(separator: " ")
    print(
      "next after \(ctxWords.isEmpty ? "(no context)" : shown) — \(estimator), order \(n + 1), \(seen == 0 ? "context never seen in the corpus" : "context seen \(seen) time\(seen == 1 ? "" : "s")"):"
    )
    let width = top.map { TerminalText.escape($0.token).count }.max() ?? 0
    for p in top {
      let token = TerminalText.escape(p.token)
      print(
        "  \(padRight(token, width))  \(padLeft(fixed(p.probability * 100, 2), 6))%  (id \(p.id))"
      )
    }
    if undefined { print(mleUndefinedMessage) }
    let unk = unknownNote(unknown)
    if !unk.isEmpty { print(unk) }
    if let h = entropy { print("entropy \(fixed(h, 3)) bits, perplexity \(fixed(pow(2, h), 2))") }
    let zero = neverContinuationNote(model)
    if !zero.isEmpty { print(zero) }
    print(
      "equals \(estimator.nltkEquivalent) fitted on everygrams of the corpus tokens (see README, Count-based models)")
  }
}

extension Infer {
  func runCount(_ estimator: CountEstimator) throws {
    let fitted = try FittedCountModel(directory: directory.dir, estimator: estimator, context: counts.context)
    let model = fitted.model
    let n = model.contextLength.value
    let metaStart = fitted.loaded?.startTokens ?? []
    var start = startTokens.isEmpty ? Array(metaStart.suffix(n)) : startTokens
    if start.count > n { start = Array(start.suffix(n)) }
    guard start.count == n else {
      throw CommandFailure(
        startTokens.isEmpty
          ? "no start tokens for an order-\(n + 1) \(estimator.name) model: pass --start-tokens with \(n) token\(n == 1 ? "" : "s")"
          : "--start-tokens needs \(n) token\(n == 1 ? "" : "s") for this order-\(n + 1) model, got \(start.count)")
    }
    let context = try model.context(for: start)
    let top = countTopK(model, context, k: topK.topk)
    let options = SamplingOptions(temperature: temperature, topK: sampleTopK, topP: sampleTopP, seed: seed.value)
    let gen = model.generate(from: context, count: numTokens, sampling: sample ? options : nil)
    let words = gen.ids.map { model.vocabulary.tokens[$0] }
    let stopped = gen.stoppedUndefined ? "stopped: \(mleUndefinedMessage)" : nil
    if output.json {
      var members: [(String, JSONValue)] = [
        ("model", .string(estimator.name)), ("parameters", parametersJSON(estimator)), ("order", .int(n + 1)),
        ("start_tokens", .array(start.map { .string($0) })),
        ("topk", predictionsJSON(top)),
        ("generated", .array((start + words).map { .string($0) })),
        ("stopped", stopped.map { .string($0) } ?? .null),
      ]
      if sample {
        members.append(
          (
            "sampling",
            .object([
              ("temperature", .double(temperature)), ("top_k", sampleTopK.map { .int($0) } ?? .null),
              ("top_p", sampleTopP.map { .double($0) } ?? .null), ("seed", .int(Int(truncatingIfNeeded: seed.value))),
            ])
          ))
      }
      printJSON(.object(members))
      return
    }
    let shownStart = start.map { TerminalText.escape($0) }
    print("Top next-token predictions after \(shownStart.joined(separator: "|")) (\(estimator), order \(n + 1)):")
    for p in top {
      print("  \(TerminalText.escape(p.token)) (ID \(p.id)): \(fixed(p.probability, 4))")
    }
    if model.note(after: context) == .mleUnseenContext { print("  (\(mleUndefinedMessage))") }
    let unk = unknownNote(model.unknownWords(in: start))
    if !unk.isEmpty { print(unk) }
    print(
      sample
        ? "Sampled sequence (temperature \(temperature), seed \(seed.value)):"
        : "Generated sequence:")
    print("  " + (shownStart + words.map { TerminalText.escape($0) }).joined(separator: " "))
    if let s = stopped { print(s) }
  }
}
