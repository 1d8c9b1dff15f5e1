import ArgumentParser
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
    if output.json {
      printJSON(
        .object([
          ("model", .string("arpa")), ("file", .string(path)), ("order", .int(model.order)),
          ("context", .array(ctxWords.map { .string($0) })), ("topk", predictionsJSON(top)),
          ("context_used", .array(ctxWords.suffix(used).map { .string($0) })),
          ("unknown_context_words", .array(unknown.map { .string($0) })),
          ("entropy_bits", .double(distribution.entropyBits)),
        ]))
      return
    }
    let shown = ctxWords.isEmpty ? "(no context)" : ctxWords.joined(separator: " ")
    let usedText = used == 0 ? "no context (1-grams)" : ctxWords.suffix(used).joined(separator: " ")
    printLine("next after \(shown) — ARPA order \(model.order), n-gram context used: \(usedText):")
    let width = top.map { $0.token.count }.max() ?? 0
    for p in top {
      printLine(
        "  \(p.token + String(repeating: " ", count: max(0, width - p.token.count)))  \(fixed(p.probability * 100, 2))%  (log10 \(fixed(log10(p.probability), 6)))"
      )
    }
    if !unknown.isEmpty { printLine("not in the vocabulary, read as <unk>: \(unknown.joined(separator: ", "))") }
  }
}
