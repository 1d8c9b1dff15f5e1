import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// The Explore screen: the context prompt and, after Enter, the model's top-k beside the corpus counts.
enum ExploreView {
  /// What the Explore screen shows.
  struct Model {
    let explore: ExploreState
    let info: SessionInfo
    let glyphs: Glyphs
    let tokens: [String]
    /// The corpus's first n tokens (the example context).
    let defaultStart: [Int]
    /// Epochs trained so far.
    let epochsDone: Int
    let topK: Int
    /// The count-based column beside the bars, when `=` turned it on.
    let countColumn: CountColumn?
    /// Why the count column cannot be shown, if it cannot.
    let countFailure: String?
    /// Whether the model is trained here on a corpus (else there are no corpus columns).
    let trainsOnCorpus: Bool
    /// The text before the first answer (nil: the corpus one).
    let intro: String?
    /// The key hints under the prompt, from the key map.
    let hints: [String]

    init(_ s: AppState) {
      explore = s.explore
      info = s.info
      glyphs = s.glyphs
      tokens = s.vocabulary.tokens
      defaultStart = s.defaultStart
      epochsDone = s.train.status.epochsDone
      topK = s.topK
      if case .prediction(let p)? = s.explore.result {
        countColumn = CountColumn(s.counts, ids: p.ids)
      } else {
        countColumn = nil
      }
      countFailure = s.counts.failure
      trainsOnCorpus = s.profile.trainsOnCorpus
      intro = s.profile.exploreIntro
      hints = s.headerHints
    }
  }

  /// Draws `view` into `r`.
  static func draw(_ view: Model, in r: Rect, into g: inout Grid) {
    let e = view.explore
    let n = view.info.contextLength
    var y = Header.prompt(e, label: "context> ", hints: view.hints, glyphs: view.glyphs, in: r, into: &g)

    switch e.result {
    case nil:
      Wrap.draw(
        view.intro
          ?? "Ask the model what comes next: type a context of \(n) token\(n == 1 ? "" : "s") from the corpus (for example the first ones, \(view.defaultStart.map { view.tokens[$0] }.joined(separator: " "))) and press Enter. The bars show the model's probabilities for the next token; beside them, how often each actually followed that context in the corpus.",
        x: r.x, y: y, width: min(r.width, 76), maxRows: r.bottom - y, style: .dim, into: &g)
    case .needMore(let needed, let got)?:
      g.put(
        "this model reads \(needed) context token\(needed == 1 ? "" : "s"); you typed \(got). Type \(needed - got) more.",
        x: r.x, y: y, style: .warning, maxWidth: r.width)
    case .waiting(let ctx)?:
      g.put(
        "\"\(ctx.joined(separator: " "))\": the model is still training (epoch \(view.epochsDone)/\(view.info.epochs)); the answer appears when it finishes.",
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
      drawPrediction(p, view: view, r: Rect(x: r.x, y: y, width: r.width, height: r.bottom - y), into: &g)
    }
  }

  /// The prompt line (shared with Compare): `label`, the text, and the cursor when focused.
  static func drawPrompt(_ e: ExploreState, label: String, x x0: Int, y: Int, width: Int, into g: inout Grid) {
    var x = g.put(label, x: x0, y: y, style: e.focused ? .heading : .dim)
    let room = width - DisplayWidth.of(label) - 1
    // Keep the cursor visible: drop leading text when the input is wider than the line.
    let shown = PromptLayout.visible(e.input, cursor: e.cursor, room: room, width: DisplayWidth.of)
    let visibleBefore = String(e.input[shown.lowerBound..<e.cursor])
    let after = String(e.input[e.cursor..<shown.upperBound])
    x = g.put(visibleBefore, x: x, y: y, maxWidth: room)
    if e.focused {
      if let c = after.first {
        g.put(String(c), x: x, y: y, style: .cursor)
        g.put(String(after.dropFirst()), x: x + DisplayWidth.of(c), y: y, maxWidth: x0 + width - x - 1)
      } else {
        g.put(" ", x: x, y: y, style: .cursor)
      }
    } else {
      g.put(after, x: x, y: y, maxWidth: x0 + width - x)
    }
  }

  static func drawPrediction(_ p: ExplorePrediction, view: Model, r: Rect, into g: inout Grid) {
    let tokens = view.tokens
    let f = p.followers
    let scrubbable = p.history.count > 1
    let last = p.finalEpoch
    let epoch = min(view.explore.epoch ?? last, last)
    var y = r.y
    let ctxText = p.context.isEmpty ? "(no context)" : "\"" + p.context.joined(separator: " ") + "\""
    let when: String?
    if scrubbable {
      let what =
        epoch == last ? "the trained model" : epoch == 0 ? "untrained: uniform" : "time travel; End returns"
      when = "after epoch \(epoch) of \(last) (\(what))"
    } else if p.historyPending {
      when = "replaying its \(view.info.epochs) epochs for time travel\(view.glyphs.ellipsis)"
    } else {
      when = nil
    }
    let whenSegments: [(String, Style)] = when.map { [("   ", .normal), ($0, epoch < last ? .highlight : .dim)] } ?? []
    Header.line(
      [("next token after ", .heading), (ctxText, .heading)] + whenSegments, x: r.x, y: y, width: r.width,
      shrink: 1, ellipsis: view.glyphs.ellipsis, into: &g)
    y += 1
    if !view.trainsOnCorpus {
      drawModelOnly(p, view: view, r: Rect(x: r.x, y: y, width: r.width, height: r.bottom - y), into: &g)
      return
    }
    let seen =
      p.context.isEmpty
      ? "unigram model: every token of the corpus counts"
      : f.occurrences == 0
        ? "never seen in the corpus: an untrained row, all \(tokens.count) tokens equally likely"
        : "seen \(Format.count(f.occurrences)) time\(f.occurrences == 1 ? "" : "s") in the corpus; on the right, how often each token followed"
    g.put(seen, x: r.x, y: y, style: f.occurrences == 0 && !p.context.isEmpty ? .warning : .dim, maxWidth: r.width)
    y += 2

    // The chart of the trained model's top tokens over the epochs, when there is a history.
    let k = view.topK
    let charted = Array(p.curves.prefix(min(3, k)))
    let chartRows = charted.isEmpty ? 1 : charted.count + 1
    let column = view.countColumn
    let countNote = column?.warning ?? view.countFailure
    let footerRows = 1 + 1 + chartRows + 1 + 1 + (column != nil || countNote != nil ? 1 : 0)
    let shown = view.explore.shownStats(p)
    let top = Array(shown.top.prefix(k))
    let maxRows = max(1, r.bottom - y - footerRows)
    let columnWidth = max(6, column.map { DisplayWidth.of($0.name) } ?? 0)
    let used = Bars.draw(
      top, tokens: tokens, glyphs: view.glyphs,
      extra: { id in
        let c = shown.observed[id] ?? 0
        let share = DisplayWidth.padLeft(
          Format.percent(f.occurrences > 0 ? Double(c) / Double(f.occurrences) : 0), to: 6)
        let corpusText = c > 0 ? "\(Format.count(c)) \(share)" : "-"
        guard let column else { return corpusText }
        return DisplayWidth.padLeft(corpusText, to: 12) + "  " + DisplayWidth.padLeft(column.text(id), to: columnWidth)
      },
      extraHeading: column.map {
        DisplayWidth.padLeft("in corpus", to: 12) + "  " + DisplayWidth.padLeft($0.name, to: columnWidth)
      } ?? "in corpus", x: r.x, y: y, width: min(r.width, 100), maxRows: maxRows, into: &g)
    y += used
    putCutNote(barLines: used, of: top.count, k: k, r: r, y: &y, into: &g)

    let h = shown.entropyBits
    let ppl = pow(2.0, h)
    var stats = "entropy \(Format.fixed(h, 4)) bits  perplexity \(Format.fixed(ppl, 2))"
    if let kl = shown.klBits {
      stats += "  KL(corpus||model) \(Format.fixed(kl, 4)) bits"
    }
    stats += "  k=\(k)"
    g.put(stats, x: r.x, y: y, maxWidth: r.width)
    y += 1
    if let note = countNote {
      g.put(note, x: r.x, y: y, style: .warning, maxWidth: r.width)
      y += 1
    } else if let column {
      g.put(column.caption, x: r.x, y: y, style: .dim, maxWidth: r.width)
      y += 1
    }
    if !charted.isEmpty && y + chartRows <= r.bottom {
      y += EpochChart.draw(
        charted, epochs: p.history.count, epoch: epoch, tokens: tokens, glyphs: view.glyphs, x: r.x, y: y,
        width: min(r.width, 100), into: &g)
    } else if p.historyPending {
      g.put("(the learning curves appear when the replay finishes)", x: r.x, y: y, style: .dim, maxWidth: r.width)
      y += 1
    } else if !scrubbable && f.occurrences > 0 {
      g.put(
        "(no time travel: this context is too frequent to replay quickly)", x: r.x, y: y, style: .dim,
        maxWidth: r.width)
      y += 1
    }
    y += 1
    if !p.context.isEmpty && f.occurrences > 0 && y < r.bottom {
      let list = f.counts.map { "\(tokens[$0.id]) \(Format.count($0.count))" }
      Wrap.items(
        list, prefix: "what followed in the corpus (\(f.counts.count) distinct): ", x: r.x, y: y, width: r.width,
        maxRows: max(0, r.bottom - y), style: .dim, into: &g)
    }
  }
}

extension ExploreView {
  /// After the bars (`barLines` lines, their heading included): when the terminal cut the list
  /// of `count`, a dim line saying how many of the top `k` are shown; then one line down.
  static func putCutNote(barLines: Int, of count: Int, k: Int, r: Rect, y: inout Int, into g: inout Grid) {
    if barLines - 1 < count {
      g.put(
        "(\(barLines - 1) of top \(k) shown: enlarge the terminal for more)", x: r.x, y: y, style: .dim,
        maxWidth: r.width)
    }
    y += 1
  }

  /// The answer of a model without a corpus (read from a file) below the heading: the part of
  /// the context it used (`LanguageModel.usedContextLength`), the words it read as unknown, the
  /// bars with each word's log10 probability, entropy and perplexity.
  static func drawModelOnly(_ p: ExplorePrediction, view: Model, r: Rect, into g: inout Grid) {
    let tokens = view.tokens
    let order = view.info.contextLength + 1
    var y = r.y
    let used = p.contextUsed
    let unknown = p.unknownWords
    let usedText =
      p.context.isEmpty
      ? "no context: the 1-gram probabilities"
      : used == 0
        ? "no suffix of the context is an n-gram of the file: the 1-gram probabilities (plus back-off weights)"
        : used == p.context.count
          ? "the whole context is an n-gram of the file (order \(order))"
          : "backed off: only \"\(p.context.suffix(used).joined(separator: " "))\" is an n-gram of the file"
    g.put(usedText, x: r.x, y: y, style: used < p.context.count ? .warning : .dim, maxWidth: r.width)
    y += 1
    if !unknown.isEmpty {
      g.put(
        "not in the vocabulary, read as <unk>: \(unknown.joined(separator: ", "))", x: r.x, y: y, style: .warning,
        maxWidth: r.width)
      y += 1
    }
    y += 1
    let k = view.topK
    let stats = view.explore.shownStats(p)
    let top = Array(stats.top.prefix(k))
    let probability = Dictionary(top.map { ($0.id, $0.probability) }, uniquingKeysWith: { a, _ in a })
    let maxRows = max(1, r.bottom - y - 3)
    let shown = Bars.draw(
      top, tokens: tokens, glyphs: view.glyphs,
      extra: { id in DisplayWidth.padLeft(Format.fixed(log10(probability[id] ?? 0), 6), to: 10) },
      extraHeading: DisplayWidth.padLeft("log10", to: 10), x: r.x, y: y, width: min(r.width, 100), maxRows: maxRows,
      into: &g)
    y += shown
    putCutNote(barLines: shown, of: top.count, k: k, r: r, y: &y, into: &g)
    let h = stats.entropyBits
    g.put(
      "entropy \(Format.fixed(h, 4)) bits  perplexity \(Format.fixed(pow(2.0, h), 2))  k=\(k)  vocabulary \(Format.count(tokens.count))",
      x: r.x, y: y, maxWidth: r.width)
  }
}

/// Probabilities over the epochs, one sparkline per token on a shared scale, with the scrubbed
/// epoch's cell marked and its value at the end of the row, and an axis row with a caret under it.
enum EpochChart {
  /// Draws `ids.count` rows plus the axis; returns the rows used.
  static func draw(
    _ curves: [(id: Int, values: [Double])], epochs count: Int, epoch: Int, tokens: [String], glyphs: Glyphs, x: Int,
    y: Int, width: Int, into g: inout Grid
  ) -> Int {
    let ids = curves.map(\.id)
    guard count > 1, !ids.isEmpty else { return 0 }
    let last = count - 1
    let label = "p by epoch  "
    let nameWidth = min(max(ids.map { DisplayWidth.of(tokens[$0]) }.max() ?? 1, 3), 16)
    let valueWidth = 7
    let lineX = x + DisplayWidth.of(label) + nameWidth + 1
    let room = x + width - lineX - valueWidth - 1
    guard room >= 4 else { return 0 }
    let columns = min(room, count)
    // Column c shows epoch c·last/(columns−1) (rounded down); the scrubbed epoch's column is the nearest.
    let epochs = (0..<columns).map { columns == 1 ? last : $0 * last / (columns - 1) }
    let mark = columns == 1 ? 0 : Int((Double(epoch) * Double(columns - 1) / Double(last)).rounded())
    let scale = max(curves.flatMap(\.values).filter(\.isFinite).max() ?? 1, 1e-12)
    for (row, id) in ids.enumerated() {
      let yy = y + row
      if row == 0 { g.put(label, x: x, y: yy, style: .dim) }
      g.put(
        DisplayWidth.pad(tokens[id], to: nameWidth, ellipsis: glyphs.ellipsis), x: x + DisplayWidth.of(label), y: yy)
      for (c, e) in epochs.enumerated() {
        let v = curves[row].values[e]
        let level = v.isFinite ? Int((min(max(v / scale, 0), 1) * 8).rounded()) : 8
        let ch = level == 0 ? glyphs.baseline : glyphs.levels[min(level, 8) - 1]
        g.put(String(ch), x: lineX + c, y: yy, style: c == mark ? .barChosen : .bar)
      }
      g.put(
        DisplayWidth.padLeft(Format.percent(curves[row].values[epoch]), to: valueWidth), x: lineX + columns, y: yy,
        style: .highlight)
    }
    // The axis: 0 at the left, the last epoch at the right, a caret and the epoch under the mark.
    let ay = y + ids.count
    g.put("epoch", x: lineX - 6, y: ay, style: .dim)
    let caret = glyphs.unicode ? "▲" : "^"
    let tag = "\(caret) \(epoch)"
    let tagX = min(lineX + mark, lineX + columns - DisplayWidth.of(tag))
    if tagX > lineX + 1 { g.put("0", x: lineX, y: ay, style: .dim) }
    let end = "\(last)"
    if tagX + DisplayWidth.of(tag) < lineX + columns - DisplayWidth.of(end) {
      g.put(end, x: lineX + columns - DisplayWidth.of(end), y: ay, style: .dim)
    }
    if lineX + mark == tagX {
      g.put(tag, x: tagX, y: ay, style: .highlight)
    } else {
      // Near the right edge: the caret stays under its column, the number before it.
      let num = "\(epoch) "
      g.put(num, x: lineX + mark - DisplayWidth.of(num), y: ay, style: .highlight)
      g.put(caret, x: lineX + mark, y: ay, style: .highlight)
    }
    return ids.count + 1
  }
}

/// Which part of the prompt's input fits on its line, found in time proportional to the line's
/// width rather than the input's length (a long paste must not make every frame quadratic).
enum PromptLayout {
  /// The range of `input` to draw in `room` columns so that the cursor stays visible: the
  /// characters before `cursor` whose widths fit in `room - 1` columns (the cursor's cell takes
  /// the last), then those after it up to `room` columns. `width` is called at most once per
  /// character it returns plus two, never for the rest of the input.
  static func visible(_ input: [Character], cursor: Int, room: Int, width: (Character) -> Int) -> Range<Int> {
    let cursor = min(max(cursor, 0), input.count)
    var start = cursor
    var used = 0
    while start > 0 {
      let w = width(input[start - 1])
      if used + w > room - 1 { break }
      used += w
      start -= 1
    }
    var end = cursor
    var ahead = used
    while end < input.count, ahead <= room {
      ahead += width(input[end])
      end += 1
    }
    return start..<end
  }
}
