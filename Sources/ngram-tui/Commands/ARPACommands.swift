import NgramEngine

#if canImport(Glibc)
  import Glibc
#endif

extension Predict {
  /// `predict --arpa FILE`: the top-k of an ARPA model, scored as KenLM scores it.
  func runARPA(_ path: String, words: [String]) throws {
    let model = try ARPAModel.load(path: path)
    let ctxWords = Array(words.suffix(model.order - 1))
    let context = try model.context(for: ctxWords)
    let used = model.usedContextLength(context)
    let top = model.topK(after: context, k: topK.topk)
    let unknown = ctxWords.filter { model.vocabulary.id(of: $0) == nil }
    let distribution = model.distribution(after: context)
    let ranked = try rank.map { try RankedToken($0, in: distribution, vocabulary: model.vocabulary) }
    if output.json {
      printJSON(
        .object(
          [
            ("model", .string("arpa")), ("file", .string(path)), ("order", .int(model.order)),
            ("context", .array(ctxWords.map { .string($0) })), ("topk", predictionsJSON(top)),
            ("context_used", .array(ctxWords.suffix(used).map { .string($0) })),
            ("unknown_context_words", .array(unknown.map { .string($0) })),
            ("entropy_bits", .double(distribution.entropyBits)),
          ] + (ranked.map { [("rank", $0.json)] } ?? [])))
      return
    }
    let shown = ctxWords.isEmpty ? "(no context)" : ctxWords.joined(separator: " ")
    let usedText = used == 0 ? "no context (1-grams)" : ctxWords.suffix(used).joined(separator: " ")
    printLine("next after \(shown) — ARPA order \(model.order), n-gram context used: \(usedText):")
    // Padded to the width the words take once escaped, as printLine shows them.
    let shownTokens = top.map { TerminalText.escape($0.token) }
    let width = shownTokens.map(\.count).max() ?? 0
    for (p, token) in zip(top, shownTokens) {
      printLine(
        "  \(padRight(token, width))  \(fixed(p.probability * 100, 2))%  (log10 \(fixed(log10(p.probability), 6)))"
      )
    }
    if !unknown.isEmpty { printLine("not in the vocabulary, read as <unk>: \(unknown.joined(separator: ", "))") }
    if let ranked { printLine(ranked.line) }
  }
}

/// The top-k of an ARPA model after typed words in `describe`'s shape: a heading naming the
/// context and the part of it that is an n-gram, the rows, then the words read as `<unk>`.
func arpaAnswerLines(_ model: ARPAModel, words: [String], k: Int) throws -> [String] {
  let ctxWords = Array(words.suffix(model.order - 1))
  let context = try model.context(for: ctxWords)
  let used = model.usedContextLength(context)
  let shown = ctxWords.isEmpty ? "(no context)" : ctxWords.joined(separator: " ")
  let usedText = used == 0 ? "none" : ctxWords.suffix(used).joined(separator: " ")
  var lines = describe(model.topK(after: context, k: k), context: ctxWords, seen: true)
  lines[0] = "next after \(shown) (n-gram context used: \(usedText)):"
  let unknown = ctxWords.filter { model.vocabulary.id(of: $0) == nil }
  if !unknown.isEmpty { lines.append("not in the vocabulary, read as <unk>: \(unknown.joined(separator: ", "))") }
  return lines
}

extension Repl {
  /// The line REPL on an ARPA model: any number of context words per line (the last order − 1
  /// count; an empty line is skipped).
  static func runARPA(path: String, topk: Int) throws {
    let model = try ARPAModel.load(path: path)
    let n = model.order - 1
    try forEachLine(
      banner:
        "ngram-tui repl: ARPA order \(model.order); type up to \(n) context token\(n == 1 ? "" : "s") per line (the last \(n) are used; <s> = sentence start); Ctrl-D quits."
    ) { words in
      for l in try arpaAnswerLines(model, words: words, k: topk) { printLine(l) }
    }
  }
}

extension Infer {
  /// `infer --arpa FILE`: the top-k after the start tokens and greedy (or sampled) generation,
  /// in the SGD path's shapes. Start tokens as every model's (`startContext`): `--start-tokens`
  /// (at most order − 1; a back-off model takes fewer; unknown words are `<unk>`), else `<s>`
  /// when the file has it, else none.
  func runARPA(_ path: String) throws {
    let model = try ARPAModel.load(path: path)
    let sentenceStart = model.sentenceStartID.map { [model.vocabulary.tokens[$0]] } ?? []
    let resolved = try model.startContext(given: startTokens, default: sentenceStart)
    let start = resolved.tokens
    let context = resolved.context
    let top = model.topK(after: context, k: topK.topk)
    let tokens = model.vocabulary.tokens
    let unknown = start.filter { model.vocabulary.id(of: $0) == nil }
    var out = StreamedOutput()
    if output.json {
      let json = jsonText
      out.write(
        "{\"model\": \"arpa\", \"file\": \(json(.string(path))), \"order\": \(model.order), \"start_tokens\": \(json(.array(start.map { .string($0) }))), \"topk\": \(json(predictionsJSON(top))), \"unknown_context_words\": \(json(.array(unknown.map { .string($0) }))), "
      )
      out.writeGenerated(start: start, tokens: tokens) { emit in
        model.forEachGenerated(from: context, count: numTokens, sampling: sampling) { emit($0) }
      }
      out.writeSampling(sampling)
      out.write("}\n")
      out.flush()
      return
    }
    printLine(
      "Top next-token predictions after \(start.isEmpty ? "(no context)" : start.joined(separator: "|")) (ARPA order \(model.order)):"
    )
    for p in top { printLine("  \(p.token) (ID \(p.id)): \(fixed(p.probability, 4))") }
    if !unknown.isEmpty { printLine("not in the vocabulary, read as <unk>: \(unknown.joined(separator: ", "))") }
    printLine(sample ? "Sampled sequence (temperature \(temperature), seed \(seed.value)):" : "Generated sequence:")
    out.write(TerminalText.escape("  " + start.joined(separator: " ")))
    var first = start.isEmpty
    model.forEachGenerated(from: context, count: numTokens, sampling: sampling) { id in
      out.write((first ? "" : " ") + TerminalText.escape(tokens[id]))
      first = false
    }
    out.write("\n")
    out.flush()
  }
}
