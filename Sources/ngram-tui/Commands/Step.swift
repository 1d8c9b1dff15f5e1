import NgramEngine

/// `ngram-tui step`: one SGD step of training under the microscope, as a worked example.
struct Step: Command {
  static let name = "step"
  static let abstract =
    "One training step: the row of pair N of epoch E before and after its update, with the numbers."
  var directory = DirectoryOption()
  var epoch = 0
  var pair = 0
  var topK = TopKOption<FivePredictions>()
  var output = JSONOption()

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory),
      .option("epoch", \.epoch, required: true, help: "The epoch (1-based)."),
      .option("pair", \.pair, required: true, help: "The training pair (1-based, corpus order)."),
      .group(\.topK), .group(\.output),
    ]
  }

  func validate() throws {
    guard epoch >= 1 else { throw UsageError("--epoch must be at least 1, got \(epoch)") }
    guard pair >= 1 else { throw UsageError("--pair must be at least 1, got \(pair)") }
  }

  func run() throws {
    let loaded = try ArtifactStore.load(directory: directory.dir)
    guard let corpus = loaded.trainingCorpus(directory: directory.dir) else {
      throw CommandFailure(
        "step replays training and needs the training corpus unchanged where 00_meta.json says (corpus.path, corpus.sha256)"
      )
    }
    var config = loaded.recordedTraining
    config.holdout = loaded.meta.training.holdout ?? 0
    let inspector = try StepInspector(corpus: corpus, config: config)
    let step = try inspector.step(epoch: epoch, pair: pair)
    let tokens = corpus.vocabulary.tokens
    if output.json {
      printJSON(StepReport.json(step, tokens: tokens, k: topK.topk))
    } else {
      for line in StepReport.lines(step, tokens: tokens, k: topK.topk, epochs: inspector.epochs) {
        print(TerminalText.escape(line))
      }
    }
  }
}

/// The step as JSON and as a worked example.
enum StepReport {
  static func json(_ s: TrainingStep, tokens: [String], k: Int) -> JSONValue {
    func list(_ d: Distribution) -> JSONValue {
      .array(d.top(k).map { .object([("token", .string(tokens[$0.id])), ("probability", .double($0.probability))]) })
    }
    return .object([
      ("epoch", .int(s.epoch)), ("pair", .int(s.pair)), ("pairs", .int(s.pairs)),
      ("context", .array(s.context.map { .string(tokens[$0]) })), ("target", .string(tokens[s.target])),
      ("learning_rate", .double(s.learningRate)), ("p_target", .double(s.pTarget)), ("loss", .double(s.loss)),
      ("predicted", .string(tokens[s.predicted])), ("correct", .bool(s.correct)),
      ("before", list(s.before.distribution)), ("after", list(s.after.distribution)),
      (
        "gradient",
        .array(
          s.shownColumns(k: k).map {
            .object([("token", .string(tokens[$0])), ("gradient", .double(s.gradient(of: $0)))])
          }
        )
      ),
      ("explicit_columns", .int(s.explicitColumns)), ("shared_columns", .int(s.sharedColumns)),
    ])
  }

  /// A number with 4 decimals and a real minus sign, as in a worked example.
  static func num(_ x: Double) -> String {
    let text = fixed(abs(x), 4)
    return x < 0 && text != "0.0000" ? "−" + text : text
  }

  static func lines(_ s: TrainingStep, tokens: [String], k: Int, epochs: Int) -> [String] {
    let ctxText = s.context.isEmpty ? "(no context)" : s.context.map { tokens[$0] }.joined(separator: " ")
    let target = tokens[s.target]
    let lr = s.learningRate
    let lrText = "\(lr)"
    let shown = s.shownColumns(k: k)
    // Tokens are padded to the width they take once escaped, as printLine shows them.
    let width = max(shown.map { TerminalText.escape(tokens[$0]).count }.max() ?? 0, 6)
    let sharedBefore = s.sharedColumns
    let targetIsNew = !s.before.hasOwnWeight(s.target)
    var out: [String] = []
    out.append("epoch \(s.epoch)/\(epochs)  pair \(s.pair)/\(s.pairs)  learning rate \(lrText)")
    out.append(
      "window: \(ctxText) → \(target)   (occurrence \(s.occurrence) of \(s.occurrences) of this context in each epoch)")
    out.append(
      "row \"\(ctxText)\" before the update: \(s.explicitColumns) token\(s.explicitColumns == 1 ? " has its own weight (it" : "s have their own weight (they") followed this context before); the other \(sharedBefore) share one weight, \(num(s.before.sharedWeight))"
    )
    out.append("")
    func table(_ title: String, _ row: RowState) {
      out.append(title)
      for e in row.distribution.top(k) {
        let mark = e.id == s.target ? "  ← target" : ""
        out.append(
          "  \(padRight(TerminalText.escape(tokens[e.id]), width))  p = \(num(e.probability))  w = \(num(row.weight(of: e.id)))\(mark)"
        )
      }
    }
    table("before the update (top \(min(k, tokens.count))):", s.before)
    let p = s.pTarget
    out.append("")
    out.append(
      "p(\(target) | \(ctxText)) = \(num(p)) → loss = −ln \(p < 1e-12 ? "max(p, 1e-12)" : num(p)) = \(num(s.loss))")
    out.append(
      "predicted: \(tokens[s.predicted]) (the argmax before the update, lowest id on ties) → \(s.correct ? "right" : "wrong")"
    )
    out.append(
      "gradient = p − y: on \(target) = \(num(p)) − 1 = \(num(p - 1)); on every other token = its p")
    for id in shown where id != s.target {
      let note = s.before.hasOwnWeight(id) ? "" : "  (shared weight)"
      out.append("  \(padRight(TerminalText.escape(tokens[id]), width))  \(num(s.gradient(of: id)))\(note)")
    }
    let othersShared = sharedBefore - (targetIsNew ? 1 : 0)
    if othersShared > 0 {
      out.append(
        "  the \(othersShared) token\(othersShared == 1 ? "" : "s") sharing one weight: \(num(s.before.distribution.defaultProbability)) each — one gradient, so they move together"
      )
    }
    out.append("update: w ← w − \(lrText) · gradient")
    out.append(
      "  w[\(target)] = \(num(s.before.weight(of: s.target))) − \(lrText) · (\(num(p - 1))) = \(num(s.after.weight(of: s.target)))\(targetIsNew ? "  (its first time after this context: it leaves the shared weight and gets its own)" : "")"
    )
    for id in shown where id != s.target && s.before.hasOwnWeight(id) {
      out.append(
        "  w[\(tokens[id])] = \(num(s.before.weight(of: id))) − \(lrText) · \(num(s.gradient(of: id))) = \(num(s.after.weight(of: id)))"
      )
    }
    if othersShared > 0 {
      out.append(
        "  shared w = \(num(s.before.sharedWeight)) − \(lrText) · \(num(s.before.distribution.defaultProbability)) = \(num(s.after.sharedWeight))  (\(othersShared) token\(othersShared == 1 ? "" : "s"))"
      )
    }
    out.append(
      "after: p(\(target)) = \(num(s.after.distribution.probability(of: s.target))) (was \(num(p)))")
    out.append("")
    table("after the update (top \(min(k, tokens.count))):", s.after)
    return out
  }
}
