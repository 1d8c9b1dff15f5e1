import Foundation

/// The Explore screen: the context prompt and, after Enter, the model's top-k beside the corpus counts.
enum ExploreView {
  /// Draws into `r`; returns the footer's key hints.
  static func draw(_ state: AppState, in r: Rect, into g: inout Grid) -> String {
    let e = state.explore
    let n = state.info.contextLength
    var y = r.y

    // The prompt.
    let prompt = "context> "
    var x = g.put(prompt, x: r.x, y: y, style: e.focused ? .heading : .dim)
    let room = r.width - DisplayWidth.of(prompt) - 1
    let before = String(e.input[..<e.cursor])
    let after = String(e.input[e.cursor...])
    // Keep the cursor visible: drop leading text when the input is wider than the line.
    var visibleBefore = before
    while DisplayWidth.of(visibleBefore) > room - 1, !visibleBefore.isEmpty { visibleBefore.removeFirst() }
    x = g.put(visibleBefore, x: x, y: y, maxWidth: room)
    if e.focused {
      if let c = after.first {
        g.put(String(c), x: x, y: y, style: .cursor)
        g.put(String(after.dropFirst()), x: x + DisplayWidth.of(c), y: y, maxWidth: r.x + r.width - x - 1)
      } else {
        g.put(" ", x: x, y: y, style: .cursor)
      }
    } else {
      g.put(after, x: x, y: y, maxWidth: r.x + r.width - x)
    }
    y += 1
    let hint: String
    if let note = e.note {
      hint = note
    } else if e.focused {
      let d = " \(state.glyphs.dot) "
      hint =
        "type \(n == 0 ? "anything (unigram: no context)" : "\(n) token\(n == 1 ? "" : "s")"), then Enter" + d
        + "Tab completes a word" + d + "Up/Down history"
    } else {
      let d = " \(state.glyphs.dot) "
      hint = "prompt inactive: Enter or / to type" + d + "Tab next screen" + d + "+/- change k" + d + "q quit"
    }
    g.put(hint, x: r.x, y: y, style: e.note != nil ? .highlight : .dim, maxWidth: r.width)
    y += 2

    switch e.result {
    case nil:
      Wrap.draw(
        "Ask the model what comes next: type a context of \(n) token\(n == 1 ? "" : "s") from the corpus (for example the first ones, \(state.metaStart.map { state.vocabulary.tokens[$0] }.joined(separator: " "))) and press Enter. The bars show the model's probabilities for the next token; beside them, how often each actually followed that context in the corpus.",
        x: r.x, y: y, width: min(r.width, 76), maxRows: r.bottom - y, style: .dim, into: &g)
    case .needMore(let needed, let got)?:
      g.put(
        "this model reads \(needed) context token\(needed == 1 ? "" : "s"); you typed \(got). Type \(needed - got) more.",
        x: r.x, y: y, style: .warning, maxWidth: r.width)
    case .waiting(let ctx)?:
      g.put(
        "\"\(ctx.joined(separator: " "))\": the model is still training (epoch \(state.train.status.epochsDone)/\(state.info.epochs)); the answer appears when it finishes.",
        x: r.x, y: y, style: .dim, maxWidth: r.width)
    case .unknown(let list)?:
      for item in list where y < r.bottom {
        let s =
          item.suggestions.isEmpty
          ? "unknown token '\(item.token)': not in the vocabulary (no near entries)"
          : "unknown token '\(item.token)': not in the vocabulary. Did you mean \(item.suggestions.map { "'\($0)'" }.joined(separator: ", "))?"
        y += Wrap.draw(s, x: r.x, y: y, width: r.width, maxRows: 2, style: .warning, into: &g)
      }
      if y < r.bottom {
        g.put("Tab completes a partial word from the vocabulary.", x: r.x, y: y + 1, style: .dim, maxWidth: r.width)
      }
    case .prediction(let p)?:
      drawPrediction(p, state: state, r: Rect(x: r.x, y: y, width: r.width, height: r.bottom - y), into: &g)
    }
    return e.focused
      ? "Enter predict  Up/Down history  Tab complete  Esc leave prompt  Ctrl-C quit"
      : "Enter or / edit prompt  +/- k  Tab generate  Shift-Tab train  ? help  q quit"
  }

  static func drawPrediction(_ p: ExplorePrediction, state: AppState, r: Rect, into g: inout Grid) {
    let tokens = state.vocabulary.tokens
    let f = p.followers
    var y = r.y
    let ctxText = p.context.isEmpty ? "(no context)" : "\"" + p.context.joined(separator: " ") + "\""
    g.put("next token after \(ctxText)", x: r.x, y: y, style: .heading, maxWidth: r.width)
    y += 1
    let seen =
      p.context.isEmpty
      ? "unigram model: every token of the corpus counts"
      : f.occurrences == 0
        ? "never seen in the corpus: an untrained row, all \(tokens.count) tokens equally likely"
        : "seen \(Format.count(f.occurrences)) time\(f.occurrences == 1 ? "" : "s") in the corpus; on the right, how often each token followed"
    g.put(seen, x: r.x, y: y, style: f.occurrences == 0 && !p.context.isEmpty ? .warning : .dim, maxWidth: r.width)
    y += 2

    let footerRows = 6
    let k = state.topK
    let top = p.distribution.top(k)
    let maxRows = max(1, r.bottom - y - footerRows)
    let used = Bars.draw(
      top, tokens: tokens, glyphs: state.glyphs,
      extra: { id in
        let c = f.counts.first { $0.id == id }?.count ?? 0
        guard c > 0 else { return "-" }
        let share = DisplayWidth.padLeft(Format.percent(f.frequency(of: id)), to: 6)
        return "\(Format.count(c)) \(share)"
      }, extraHeading: "in corpus", x: r.x, y: y, width: min(r.width, 100), maxRows: maxRows, into: &g)
    y += used
    if used - 1 < top.count {
      g.put(
        "(\(used - 1) of top \(k) shown: enlarge the terminal for more)", x: r.x, y: y, style: .dim, maxWidth: r.width)
    }
    y += 1

    let h = p.distribution.entropyBits
    let ppl = Foundation.pow(2.0, h)
    var stats = "entropy \(Format.fixed(h, 4)) bits  perplexity \(Format.fixed(ppl, 2))"
    if f.occurrences > 0 {
      stats += "  KL(corpus||model) \(Format.fixed(f.klDivergenceBits(from: p.distribution), 4)) bits"
    }
    stats += "  k=\(k)"
    g.put(stats, x: r.x, y: y, maxWidth: r.width)
    y += 1
    if let best = top.first, p.history.count > 1 {
      let curve = p.history.map { $0.probability(of: best.id) }
      let label = "p(\(DisplayWidth.truncate(tokens[best.id], to: 16, ellipsis: state.glyphs.ellipsis))) by epoch  "
      let first = Format.percent(curve[0])
      let last = Format.percent(curve[curve.count - 1])
      var x = g.put(label, x: r.x, y: y, style: .dim)
      x = g.put("0: \(first) ", x: x, y: y, style: .dim)
      let room = r.x + r.width - x - DisplayWidth.of(" \(curve.count - 1): \(last)")
      x = Sparkline.draw(curve, x: x, y: y, width: min(room, 60), glyphs: state.glyphs, into: &g)
      g.put(" \(curve.count - 1): \(last)", x: x, y: y, style: .dim)
    } else if p.history.isEmpty && f.occurrences > 0 {
      g.put("(no learning curve: this context is too frequent to replay quickly)", x: r.x, y: y, style: .dim)
    }
    y += 2
    if !p.context.isEmpty && f.occurrences > 0 {
      let list = f.counts.map { "\(tokens[$0.id]) \(Format.count($0.count))" }
      Wrap.items(
        list, prefix: "what followed in the corpus (\(f.counts.count) distinct): ", x: r.x, y: y, width: r.width,
        maxRows: max(0, r.bottom - y), style: .dim, into: &g)
    }
  }
}

/// A one-row chart of non-negative values scaled to their maximum, sampled to fit `width`.
enum Sparkline {
  /// Draws the sparkline; returns the column after it.
  static func draw(_ values: [Double], x: Int, y: Int, width: Int, glyphs: Glyphs, into g: inout Grid) -> Int {
    guard width > 0, !values.isEmpty else { return x }
    let n = min(width, values.count)
    let top = values.filter(\.isFinite).max() ?? 1
    let scale = top > 0 ? top : 1
    var col = x
    for i in 0..<n {
      let v = values[n == 1 ? values.count - 1 : i * (values.count - 1) / (n - 1)]
      let level = v.isFinite ? Int((min(max(v / scale, 0), 1) * 8).rounded()) : 8
      let ch = level == 0 ? glyphs.baseline : glyphs.levels[min(level, 8) - 1]
      col = g.put(String(ch), x: col, y: y, style: .bar)
    }
    return col
  }
}
