import NgramEngine

/// The Step screen: one SGD step — the window, the loss, the row's bars before and after the
/// update with the target marked, the gradient on each shown column, and the shared columns.
enum StepView {
  /// What the Step screen shows.
  struct Model {
    let step: StepState
    let info: SessionInfo
    let glyphs: Glyphs
    let tokens: [String]
    let topK: Int

    init(_ s: AppState) {
      step = s.step
      info = s.info
      glyphs = s.glyphs
      tokens = s.vocabulary.tokens
      topK = s.topK
    }
  }

  /// A signed number with `decimals` decimals: `+0.0312`, `-0.8750`.
  static func signed(_ x: Double, _ decimals: Int) -> String {
    (x >= 0 ? "+" : "") + Format.fixed(x, decimals)
  }

  /// Draws `view` into `r`.
  static func draw(_ view: Model, in r: Rect, into g: inout Grid) {
    let state = view.step
    var y = r.y
    guard let s = state.current else {
      Wrap.draw(
        "No training step to show: \(state.problem ?? "the run has no training pairs")", x: r.x, y: y,
        width: r.width, maxRows: 3, style: .warning, into: &g)
      drawPrompt(view, in: r, into: &g)
      return
    }
    let tokens = view.tokens
    let n = s.context.count
    let arrow = view.glyphs.arrow
    let target = tokens[s.target]
    let contextText = s.context.map { tokens[$0] }.joined(separator: " ")
    let window = n == 0 ? "(no context: unigram)" : "(" + s.context.map { tokens[$0] }.joined(separator: ", ") + ")"

    // Where we are.
    Header.line(
      [
        ("epoch \(s.epoch)/\(view.info.epochs)  pair \(s.pair)/\(s.pairs)", .heading),
        ("   this context's pair \(s.occurrence) of \(s.occurrences) in the epoch", .dim),
      ], x: r.x, y: y, width: r.width, into: &g)
    y += 1
    Header.line(
      [
        ("window: ", .normal), (window, .normal), (" \(arrow) ", .normal), (target, .highlight),
        ("   (context " + arrow + " target)", .dim),
      ], x: r.x, y: y, width: r.width, shrink: 1, ellipsis: view.glyphs.ellipsis, into: &g)
    y += 1

    // The loss and the prediction, as the reference computes them.
    let p = Format.fixed(s.pTarget, 4)
    let given = n == 0 ? "" : " | \(contextText)"
    g.put(
      "p(\(target)\(given)) = \(p)  \(arrow)  loss = -ln \(p) = \(Format.fixed(s.loss, 4))", x: r.x, y: y,
      style: .normal, maxWidth: r.width)
    y += 1
    let predicted = tokens[s.predicted]
    if s.correct {
      g.put(
        "predicted: \(predicted)  right (the argmax before the update)", x: r.x, y: y, style: .good, maxWidth: r.width)
    } else {
      g.put(
        "predicted: \(predicted)  wrong, the target was \(target) (argmax before the update)", x: r.x, y: y,
        style: .warning, maxWidth: r.width)
    }
    y += 2

    // The table: each shown column before, its gradient, after.
    let ids = s.shownColumns(k: view.topK)
    let markerWidth = DisplayWidth.of(view.glyphs.chosen) + 1
    let tokenWidth = min(max(ids.map { DisplayWidth.of(tokens[$0]) }.max() ?? 1, 5), 20)
    let fixedWidth = markerWidth + tokenWidth + 2 + 1 + 6 + 2 + 8 + 2 + 1 + 6
    let barWidth = min(30, max(4, (r.width - fixedWidth) / 2))
    let beforeX = r.x + markerWidth + tokenWidth + 2
    let gradX = beforeX + barWidth + 1 + 6 + 2
    let afterX = gradX + 8 + 2
    g.put("token", x: r.x + markerWidth, y: y, style: .dim)
    g.put("before", x: beforeX, y: y, style: .dim)
    g.put(DisplayWidth.padLeft("gradient", to: 8), x: gradX, y: y, style: .dim)
    g.put(
      "after (w -= \(s.learningRate) * gradient)", x: afterX, y: y, style: .dim, maxWidth: r.x + r.width - afterX)
    y += 1
    let reserve = 5
    let maxRows = max(1, r.bottom - y - reserve)
    for id in ids.prefix(maxRows) {
      let isTarget = id == s.target
      if isTarget { g.put(view.glyphs.chosen, x: r.x, y: y, style: .highlight) }
      let name = DisplayWidth.pad(tokens[id], to: tokenWidth, ellipsis: view.glyphs.ellipsis)
      g.put(name, x: r.x + markerWidth, y: y, style: isTarget ? .highlight : .normal)
      for (d, bx) in [(s.before.distribution, beforeX), (s.after.distribution, afterX)] {
        let prob = d.probability(of: id)
        let (filled, track) = view.glyphs.bar(fraction: prob, width: barWidth)
        let after = g.put(filled, x: bx, y: y, style: isTarget ? .barChosen : .bar)
        g.put(track, x: after, y: y, style: .track)
        g.put(
          DisplayWidth.padLeft(Format.percent(prob), to: 6), x: bx + barWidth + 1, y: y,
          style: isTarget ? .highlight : .normal)
      }
      g.put(
        DisplayWidth.padLeft(signed(s.gradient(of: id), 4), to: 8), x: gradX, y: y,
        style: isTarget ? .highlight : s.before.hasOwnWeight(id) ? .normal : .dim)
      y += 1
    }
    y += 1

    // The update on the target, and the shared columns.
    let pAfter = Format.fixed(s.after.distribution.probability(of: s.target), 4)
    g.put(
      "gradient on \(target) = \(p) - 1 = \(signed(s.gradient(of: s.target), 4)); after the update p(\(target)) = \(pAfter)",
      x: r.x, y: y, style: .normal, maxWidth: r.width)
    y += 1
    let shared = s.sharedColumns
    var text: String
    if shared == 0 {
      text = "shared_columns = 0: every token has followed this context, so each has its own weight."
    } else {
      let pShared = signed(s.before.distribution.defaultProbability, 4)
      let context = n == 0 ? "in the corpus" : "this context"
      text =
        "shared_columns = \(shared): \(shared == 1 ? "1 token has" : "\(shared) tokens have") never followed"
        + " \(context) yet; they share one weight, so each gets the same gradient (\(pShared)) and they all move"
        + " together."
      if !s.before.hasOwnWeight(s.target) {
        text += " \(target) was one of them: from this step on it has its own weight."
      }
    }
    Wrap.draw(text, x: r.x, y: y, width: r.width, maxRows: max(0, r.bottom - y - 1), style: .dim, into: &g)
    drawPrompt(view, in: r, into: &g)
  }

  /// The last row: the pair number being typed, or why the last key did nothing.
  static func drawPrompt(_ view: Model, in r: Rect, into g: inout Grid) {
    let y = r.bottom - 1
    if let typed = view.step.goTo {
      let pairs = view.step.current?.pairs
      let x = g.put("go to pair: ", x: r.x, y: y, style: .heading)
      let after = g.put(typed, x: x, y: y, style: .normal)
      g.put(" ", x: after, y: y, style: .cursor)
      g.put(
        pairs.map { "  (1 to \($0); Enter go, Esc cancel)" } ?? "", x: after + 1, y: y, style: .dim,
        maxWidth: r.x + r.width - after - 1)
    } else if let message = view.step.message {
      g.put(message, x: r.x, y: y, style: .warning, maxWidth: r.width)
    }
  }
}
