import NgramEngine

/// One model's answer in `compare`: the SGD rows of one context length, or a count-based model.
enum CompareRow {
  case sgd(ContextComparison)
  case counts(CountComparison)
  case arpa(ARPAComparison)

  /// The entry of `compare --json`'s `models` array.
  var json: JSONValue {
    switch self {
    case .sgd(let r):
      return .object([
        ("model", .string("sgd")),
        ("context", .int(r.contextLength)), ("context_tokens", .array(r.context.map { .string($0) })),
        ("topk", predictionsJSON(r.topK)), ("context_seen", .bool(r.contextSeen)),
        ("training_loss", .double(r.trainingLoss)), ("contexts", .int(r.contexts)),
        ("heldout_perplexity", r.heldOutPerplexity.map { .double($0) } ?? .null),
        ("heldout_unseen_contexts", r.heldOutUnseen.map { .double($0) } ?? .null),
      ])
    case .counts(let r):
      return .object(
        [
          ("model", .string(r.estimator.name)), ("parameters", parametersJSON(r.estimator)),
          ("context", .int(r.model.contextLength.value)), ("context_tokens", .array(r.context.map { .string($0) })),
          ("unknown_context_words", .array(r.unknownWords.map { .string($0) })),
          ("topk", predictionsJSON(r.topK)), ("context_seen", .bool(r.contextSeen)),
          ("undefined", r.undefined ? .string(mleUndefinedMessage) : .null),
          ("training_loss", .null), ("contexts", .int(r.contexts)),
        ] + Self.heldOutJSON(r.heldOut))
    case .arpa(let r):
      return .object(
        [
          ("model", .string("arpa")), ("file", .string(r.model.path)), ("order", .int(r.model.order)),
          ("context", .int(r.model.order - 1)), ("context_tokens", .array(r.context.map { .string($0) })),
          ("context_used", .array(r.contextUsed.map { .string($0) })),
          ("unknown_context_words", .array(r.unknownWords.map { .string($0) })),
          ("topk", predictionsJSON(r.topK)), ("context_seen", .bool(r.contextUsed.count == r.context.count)),
          ("training_loss", .null), ("contexts", .null), ("ngram_counts", .array(r.model.ngramCounts.map { .int($0) })),
        ] + Self.heldOutJSON(r.heldOut))
    }
  }

  /// The held-out fields of a count or ARPA row in `compare --json` (all null when not scored;
  /// an infinite perplexity is null).
  static func heldOutJSON(_ h: HeldOutScore?) -> [(String, JSONValue)] {
    [
      ("heldout_perplexity", h.map { $0.perplexity.isFinite ? .double($0.perplexity) : .null } ?? .null),
      ("heldout_unseen_contexts", h.map { .double($0.unseenContexts) } ?? .null),
      ("heldout_scored", h.map { .int($0.scored) } ?? .null),
      ("heldout_oov", h.map { .int($0.oov) } ?? .null),
      ("heldout_zero_probability", h.map { .int($0.zeroProbability) } ?? .null),
      ("heldout_zero_tokens", h.map { .array($0.zeroTokens.map { .string($0) }) } ?? .null),
    ]
  }

  /// The row for humans: a heading line, then the top-k.
  func lines(labelled: Bool) -> [String] {
    var out: [String] = []
    let top: [Prediction]
    switch self {
    case .sgd(let r):
      let ppl = r.heldOutPerplexity.map { fixed($0, 2) } ?? "-"
      let unseen = r.heldOutUnseen.map { fixed(100 * $0, 1) + "%" } ?? "-"
      let ctx = r.context.map { TerminalText.escape($0) }.joined(separator: " ")
      out.append(
        "\(labelled ? "sgd, " : "")context \(r.contextLength) (\(ctx)): training loss \(fixed(r.trainingLoss, 4)), \(r.contexts) contexts, held-out perplexity \(ppl), unseen held-out contexts \(unseen)"
      )
      top = r.topK
    case .counts(let r):
      let ctx = r.context.map { TerminalText.escape($0) }.joined(separator: " ")
      var line = "\(r.estimator), context \(r.model.contextLength.value) (\(ctx)): \(r.contexts) contexts"
      line += Self.heldOutText(r.heldOut, separator: ", ", vocabulary: "the fitted part", noneScored: nil)
      out.append(line)
      if r.undefined { out.append("    (\(mleUndefinedMessage))") }
      if !r.unknownWords.isEmpty { out.append("    (\(unknownNote(r.unknownWords)))") }
      top = r.topK
    case .arpa(let r):
      let ctx = r.context.map { TerminalText.escape($0) }.joined(separator: " ")
      let used = r.contextUsed.isEmpty ? "none" : r.contextUsed.map { TerminalText.escape($0) }.joined(separator: " ")
      var line =
        "arpa \(TerminalText.escape(r.model.path)), order \(r.model.order) (\(ctx); n-gram context used: \(used))"
      line += Self.heldOutText(
        r.heldOut, separator: ": ", vocabulary: "the vocabulary",
        noneScored: "- (no held-out token in the vocabulary)")
      out.append(line)
      if !r.unknownWords.isEmpty {
        out.append(
          "    (not in the vocabulary, read as <unk>: \(r.unknownWords.map { "'\(TerminalText.escape($0))'" }.joined(separator: ", ")))"
        )
      }
      top = r.topK
    }
    let width = top.map { TerminalText.escape($0.token).count }.max() ?? 0
    for p in top {
      out.append("    \(padRight(TerminalText.escape(p.token), width))  \(padLeft(fixed(100 * p.probability, 1), 5))%")
    }
    return out
  }

  /// A count or ARPA row's held-out part, after `separator`: the perplexity (`noneScored` when
  /// set and no held-out token was scored; inf names up to five tokens of probability 0), the
  /// unseen contexts, and the held-out tokens not in `vocabulary` that were left out.
  static func heldOutText(_ h: HeldOutScore?, separator: String, vocabulary: String, noneScored: String?) -> String {
    guard let h else { return separator + "held-out perplexity -" }
    var text = separator + "held-out perplexity "
    if h.perplexity.isFinite {
      text += fixed(h.perplexity, 2)
    } else if let noneScored, h.scored == 0 {
      text += noneScored
    } else {
      let names = h.zeroTokens.prefix(5).map { "'\(TerminalText.escape($0))'" }.joined(separator: ", ")
      text +=
        "inf (\(h.zeroProbability) of \(h.scored) held-out tokens have probability 0: \(names)\(h.zeroTokens.count > 5 ? ", …" : ""))"
    }
    text += ", unseen held-out contexts \(fixed(100 * h.unseenContexts, 1))%"
    if h.oov > 0 { text += ", \(h.oov) held-out token\(h.oov == 1 ? "" : "s") not in \(vocabulary) left out" }
    return text
  }
}
