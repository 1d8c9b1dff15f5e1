import NgramEngine

/// The Compare screen: context lengths 1, 2 and 3 in three columns for the typed text, each with
/// its top-k for the last n tokens, training loss, held-out perplexity and how many contexts it saw.
enum CompareView {
  /// What the Compare screen shows.
  struct Model {
    let compare: CompareState
    let explore: ExploreState
    let info: SessionInfo
    let glyphs: Glyphs
    let vocabulary: Vocabulary
    /// The holdout the comparison scores with.
    let compareHoldout: Double
    /// Epochs trained so far.
    let epochsDone: Int
    let topK: Int
    /// The key hints under the prompt, from the key map.
    let hints: [String]

    init(_ s: AppState) {
      compare = s.compare
      explore = s.explore
      info = s.info
      glyphs = s.glyphs
      vocabulary = s.vocabulary
      compareHoldout = s.compareHoldout
      epochsDone = s.train.status.epochsDone
      topK = s.topK
      hints = s.headerHints
    }
  }

  /// Draws `view` into `r`.
  static func draw(_ view: Model, in r: Rect, into g: inout Grid) {
    let e = view.explore
    let c = view.compare
    var y = Header.prompt(e, label: "text> ", hints: view.hints, glyphs: view.glyphs, in: r, into: &g)

    // Where training is.
    var status: String?
    if c.waitingForTraining {
      status =
        "the three models train when the explorer's own training finishes (epoch \(view.epochsDone)/\(view.info.epochs))"
    } else if let since = c.trainingSince {
      let lengths = c.training.map(String.init).joined(separator: ", ")
      status =
        "training context length\(c.training.count == 1 ? "" : "s") \(lengths) in the background\(view.glyphs.ellipsis) \(Int(max(c.now - since, 0))) s (once for all texts)"
    }

    guard let words = c.words else {
      if let status {
        g.put(status, x: r.x, y: y, style: .dim, maxWidth: r.width)
        y += 2
      }
      Wrap.draw(
        "Compare context lengths: type some text (or ask on Explore first) and press Enter. Models reading the last 1, 2 and 3 tokens, trained on the same corpus (as `ngram-tui compare`), answer side by side: more context gives sharper answers, but fewer of the contexts met in new text were ever seen in training.",
        x: r.x, y: y, width: min(r.width, 76), maxRows: r.bottom - y, style: .dim, into: &g)
      return
    }
    if c.showModels {
      drawModels(
        view, words: words, status: status, in: Rect(x: r.x, y: y, width: r.width, height: r.bottom - y), into: &g)
      return
    }
    let text = "\"" + words.joined(separator: " ") + "\""
    let setting =
      "   each trained on the whole corpus: lr \(TrainView.lr(view.info.learningRate)), \(view.info.epochs) epochs"
    Header.line(
      [("comparing ", .heading), (text, .heading), (setting, .dim)], x: r.x, y: y, width: r.width, shrink: 1,
      ellipsis: view.glyphs.ellipsis, into: &g)
    y += 1
    if let status { g.put(status, x: r.x, y: y, style: .dim, maxWidth: r.width) }
    y += 1

    // Three columns.
    let gap = 2
    let columns = c.columns(vocabulary: view.vocabulary)
    let count = max(columns.count, 1)
    let colWidth = min((r.width - gap * (count - 1)) / count, 40)
    let models = columns.compactMap { col -> ContextComparison? in
      if case .answer(let a)? = col.column { return a }
      return nil
    }
    let bestPerplexity = models.compactMap(\.heldOutPerplexity).min()
    let summaryRows = models.count >= 2 ? 3 : 0
    var bottom = y
    for (i, col) in columns.enumerated() {
      let cx = r.x + i * (colWidth + gap)
      let used = drawColumn(
        col.contextLength, col.column, words: words, best: bestPerplexity, view: view,
        rect: Rect(x: cx, y: y, width: colWidth, height: max(0, r.bottom - y - summaryRows)), into: &g)
      bottom = max(bottom, y + used)
    }
    y = bottom + 1
    if summaryRows > 0 && y < r.bottom {
      Wrap.draw(
        "More context: lower training loss (sharper, more memorised answers), but more held-out contexts never seen in training. Held-out: a second run per length trained on the first \(Format.fixed((1 - view.compareHoldout) * 100, 0))% of the tokens, scored on the rest. * this explorer's context length. = compares SGD with MLE, add-k and Kneser-Ney.",
        x: r.x, y: y, width: min(r.width, 100), maxRows: r.bottom - y, style: .dim, into: &g)
    }
  }

  /// Draws one context length's column; returns the rows used.
  static func drawColumn(
    _ n: Int, _ column: CompareColumn?, words: [String], best: Double?, view: Model, rect: Rect,
    title: String? = nil, into g: inout Grid
  ) -> Int {
    let w = rect.width
    var y = rect.y
    guard rect.height > 0, w > 4 else { return 0 }
    var x = g.put(title ?? "context \(n)", x: rect.x, y: y, style: .heading)
    if n == view.info.contextLength && title == nil { x = g.put("*", x: x, y: y, style: .heading) }
    let ctx = words.suffix(n).joined(separator: " ")
    // The models view names the model (its heading already shows the context): the context
    // only where it fits whole.
    if words.count >= n && (title == nil || x + DisplayWidth.of(": \"" + ctx + "\"") <= rect.x + w) {
      x = g.put(": ", x: x, y: y, style: .heading, maxWidth: rect.x + w - x)
      g.put("\"" + ctx + "\"", x: x, y: y, style: .heading, maxWidth: rect.x + w - x)
    }
    y += 1
    func line(_ s: String, _ style: Style = .normal, or shorter: String...) {
      putLine([s] + shorter, style, rect: rect, y: &y, into: &g)
    }
    switch column {
    case nil:
      line("waiting", .dim)
    case .queued?:
      line("queued (the cores are busy)", .dim, or: "queued")
    case .training(let since)?:
      line("training\(view.glyphs.ellipsis) \(Int(max(view.compare.now - since, 0))) s", .dim)
    case .needsTokens(let typed)?:
      y += Wrap.draw(
        "needs \(n) typed tokens (got \(typed))", x: rect.x, y: y, width: w, maxRows: rect.bottom - y, style: .dim,
        into: &g)
    case .unknown(let tokens)?:
      y += Wrap.draw(
        "unknown token\(tokens.count == 1 ? "" : "s") " + tokens.map { "'\($0)'" }.joined(separator: ", ")
          + ": not in the vocabulary", x: rect.x, y: y, width: w, maxRows: rect.bottom - y, style: .warning,
        into: &g)
    case .failed(let message)?:
      y += Wrap.draw(
        "failed: \(message)", x: rect.x, y: y, width: w, maxRows: rect.bottom - y, style: .warning, into: &g)
    case .answer(let a)?:
      line("training loss \(Format.fixed(a.trainingLoss, 4))", or: "loss \(Format.fixed(a.trainingLoss, 4))")
      if let p = a.heldOutPerplexity {
        line("held-out ppl \(Format.fixed(p, 2))", p == best ? .good : .normal, or: "ppl \(Format.fixed(p, 2))")
      } else {
        line("held-out ppl --", .dim, or: "ppl --")
      }
      line("\(Format.count(a.contexts)) contexts", .dim, or: "\(Format.count(a.contexts)) ctx")
      if let u = a.heldOutUnseen {
        line("held-out unseen \(Format.percent(u))", .dim, or: "unseen \(Format.percent(u))")
      }
      if a.contextSeen {
        line("context seen in training", .dim, or: "seen in training", "seen")
      } else {
        line("never seen: all equal", .warning, or: "never seen")
      }
      drawBars(Array(a.topK.prefix(view.topK)), view: view, rect: rect, y: &y, into: &g)
    }
    return y - rect.y
  }

  /// The models view (`=`): this context length's SGD model beside MLE, add-k and Kneser–Ney
  /// fitted on the same corpus, then the ARPA models of `--compare-arpa`, each answering the same
  /// text, with its held-out perplexity (as `ngram-tui compare --models
  /// sgd,mle,add-k,kneser-ney,arpa:FILE`).
  static func drawModels(_ view: Model, words: [String], status: String?, in r: Rect, into g: inout Grid) {
    let c = view.compare
    let n = view.info.contextLength
    var y = r.y
    let ctx = Array(words.suffix(n))
    Header.line(
      [
        ("models after ", .heading),
        (ctx.isEmpty ? "(no context)" : "\"" + ctx.joined(separator: " ") + "\"", .heading),
        ("   context \(n), all from the same corpus", .dim),
      ], x: r.x, y: y, width: r.width, into: &g)
    y += 1
    if let status { g.put(status, x: r.x, y: y, style: .dim, maxWidth: r.width) }
    y += 1
    let sgd: CompareColumn? =
      CompareState.contextLengths.contains(n)
      ? c.columns(vocabulary: view.vocabulary).first { $0.contextLength == n }?.column : nil
    var perplexities: [Double] = []
    if case .answer(let a)? = sgd, let p = a.heldOutPerplexity { perplexities.append(p) }
    for e in CompareState.countEstimators {
      if case .ready(let f)? = c.countModels[e.name], let h = f.heldOut, h.perplexity.isFinite {
        perplexities.append(h.perplexity)
      }
    }
    for a in c.arpaModels {
      if case .ready(let h) = a.heldOut, h.perplexity.isFinite { perplexities.append(h.perplexity) }
    }
    let best = perplexities.min()
    let gap = 2
    let count = 1 + CompareState.countEstimators.count + c.arpaModels.count
    let colWidth = min((r.width - gap * (count - 1)) / count, 30)
    let noteRows = 3
    let height = max(0, r.bottom - y - noteRows)
    var bottom = y
    // SGD: the Compare model of this context length (trained as `ngram-tui compare` trains it).
    let sgdRect = Rect(x: r.x, y: y, width: colWidth, height: height)
    if CompareState.contextLengths.contains(n) {
      bottom = max(
        bottom,
        y + drawColumn(n, sgd, words: words, best: best, view: view, rect: sgdRect, title: "sgd", into: &g))
    } else {
      g.put("sgd", x: r.x, y: y, style: .heading)
      bottom = max(
        bottom,
        y + 1
          + Wrap.draw(
            "Compare trains context lengths 1-3; this session's is \(n)", x: r.x, y: y + 1, width: colWidth,
            maxRows: max(0, height - 1), style: .dim, into: &g))
    }
    for (i, e) in CompareState.countEstimators.enumerated() {
      let rect = Rect(x: r.x + (i + 1) * (colWidth + gap), y: y, width: colWidth, height: height)
      bottom = max(
        bottom,
        y + drawCountColumn(e, c.countModels[e.name], words: words, best: best, view: view, rect: rect, into: &g))
    }
    for (i, a) in c.arpaModels.enumerated() {
      let column = 1 + CompareState.countEstimators.count + i
      let rect = Rect(x: r.x + column * (colWidth + gap), y: y, width: colWidth, height: height)
      bottom = max(bottom, y + drawARPAColumn(a, best: best, view: view, rect: rect, into: &g))
    }
    y = bottom + 1
    if y < r.bottom {
      let arpaNote =
        c.arpaModels.isEmpty
        ? ""
        : " ARPA files are not fitted here: each scores the same held-out tokens (out-of-vocabulary ones left out)."
      Wrap.draw(
        "The same corpus counted (NLTK's numbers): held-out, each is fitted again on the first \(Format.fixed((1 - view.compareHoldout) * 100, 0))% of the tokens and scored on the rest. MLE gives 0 to what it never saw (infinite perplexity); add-k and Kneser-Ney smooth. SGD's rows approach the MLE counts.\(arpaNote) = context lengths.",
        x: r.x, y: y, width: min(r.width, 100), maxRows: r.bottom - y, style: .dim, into: &g)
    }
  }

  /// One count-based model's column in the models view; returns the rows used.
  static func drawCountColumn(
    _ e: CountEstimator, _ slot: CountSlot?, words: [String], best: Double?, view: Model, rect: Rect,
    into g: inout Grid
  ) -> Int {
    let w = rect.width
    var y = rect.y
    guard rect.height > 0, w > 4 else { return 0 }
    putLine(headings(e), .heading, rect: rect, y: &y, into: &g)
    func line(_ s: String, _ style: Style = .normal, or shorter: String...) {
      putLine([s] + shorter, style, rect: rect, y: &y, into: &g)
    }
    switch slot {
    case nil, .fitting?:
      line("fitting\(view.glyphs.ellipsis)", .dim)
    case .failed(let message)?:
      y += Wrap.draw(message, x: rect.x, y: y, width: w, maxRows: max(0, rect.bottom - y), style: .warning, into: &g)
    case .ready(let f)?:
      let model = f.model
      let n = model.contextLength.value
      guard words.count >= n, let ctx = try? model.context(for: words) else {
        line("needs \(n) typed tokens (got \(words.count))", .dim, or: "needs \(n) tokens")
        return y - rect.y
      }
      if let h = f.heldOut {
        for l in heldOutLines(h, best: best) { putLine(l.forms, l.style, rect: rect, y: &y, into: &g) }
      } else {
        line("held-out ppl --", .dim, or: "ppl --")
      }
      let seen = model.occurrences(of: ctx)
      if seen == 0 {
        line("context never seen", .warning, or: "never seen")
      } else {
        line("context seen \(Format.count(seen))x", .dim, or: "seen \(Format.count(seen))x")
      }
      let unknown = model.unknownWords(in: words)
      if !unknown.isEmpty {
        let words = unknown.map { "'\($0)'" }.joined(separator: ", ")
        putLine(
          unknownWordForms(words, as: "<UNK>", width: w, ellipsis: view.glyphs.ellipsis), .warning, rect: rect,
          y: &y, into: &g)
      }
      if model.note(after: ctx) == .mleUnseenContext {
        y += Wrap.draw(
          "undefined: this context is never followed by anything in the corpus (0/0)", x: rect.x, y: y, width: w,
          maxRows: max(0, rect.bottom - y), style: .warning, into: &g)
        return y - rect.y
      }
      let top = model.topK(after: ctx, k: view.topK).filter { $0.probability > 0 }
      drawBars(top, view: view, rect: rect, y: &y, into: &g)
    }
    return y - rect.y
  }

  /// A held-out score's lines in a model's column (count-based and ARPA models are scored
  /// alike): the perplexity (the best one marked), the share of unseen contexts, and the
  /// held-out words outside the vocabulary, which are left out as SRILM's `ngram -ppl` does.
  /// Each line comes with shorter forms for narrow columns (`putLine` takes the first that fits).
  static func heldOutLines(_ h: HeldOutScore, best: Double?) -> [(forms: [String], style: Style)] {
    var out: [(forms: [String], style: Style)] = []
    if h.perplexity.isFinite {
      let ppl = Format.fixed(h.perplexity, 2)
      out.append((["held-out ppl \(ppl)", "ppl \(ppl)"], h.perplexity == best ? .good : .normal))
    } else if h.scored == 0 {
      out.append((["held-out ppl -- (no word known)", "ppl -- (no word known)", "ppl --"], .warning))
    } else {
      out.append(
        (["held-out ppl inf (\(h.zeroProbability) zero)", "ppl inf (\(h.zeroProbability) zero)", "ppl inf"], .warning))
    }
    out.append(
      (["unseen ctx \(Format.percent(h.unseenContexts))", "unseen \(Format.percent(h.unseenContexts))"], .dim))
    if h.oov > 0 { out.append((["\(Format.count(h.oov)) oov left out", "\(Format.count(h.oov)) oov"], .dim)) }
    return out
  }

  /// A count-based model's heading and a shorter one: `kneser-ney (D=0.75)`, `KN (D=0.75)`.
  static func headings(_ e: CountEstimator) -> [String] {
    let full = e.description
    guard full.hasPrefix("kneser-ney") else { return [full] }
    return [full, "KN" + full.dropFirst("kneser-ney".count)]
  }

  /// One ARPA model's column in the models view (`--compare-arpa FILE`); returns the rows used.
  static func drawARPAColumn(_ a: ComparedARPA, best: Double?, view: Model, rect: Rect, into g: inout Grid) -> Int {
    let w = rect.width
    var y = rect.y
    guard rect.height > 0, w > 4 else { return 0 }
    func line(_ s: String, _ style: Style = .normal, or shorter: String...) {
      putLine([s] + shorter, style, rect: rect, y: &y, into: &g)
    }
    let file = TerminalText.escape(Paths.lastComponent(a.model.path))
    line(file, .heading, or: DisplayWidth.pad(file, to: w, ellipsis: view.glyphs.ellipsis))
    line("arpa, order \(a.model.order)", .dim)
    switch a.heldOut {
    case .notAsked, .scoring:
      line("held-out ppl \(view.glyphs.ellipsis)", .dim, or: "ppl \(view.glyphs.ellipsis)")
    case .failed(let message):
      y += Wrap.draw(message, x: rect.x, y: y, width: w, maxRows: max(0, rect.bottom - y), style: .warning, into: &g)
    case .ready(let h):
      for l in heldOutLines(h, best: best) { putLine(l.forms, l.style, rect: rect, y: &y, into: &g) }
    }
    guard let answer = a.answer else { return y - rect.y }
    let used = answer.contextUsed.map { TerminalText.escape($0) }.joined(separator: " ")
    if answer.contextUsed.count == answer.context.count {
      if answer.context.isEmpty {
        line("no context (1-grams)", .dim, or: "1-grams")
      } else {
        line("n-gram context: all", .dim, or: "context: all", "all used")
      }
    } else if answer.contextUsed.isEmpty {
      line("backed off to 1-grams", .warning, or: "off to 1-grams")
    } else {
      line("backed off: \(used)", .warning, or: "off: \(used)")
    }
    if !answer.unknownWords.isEmpty {
      let words = answer.unknownWords.map { "'\(TerminalText.escape($0))'" }.joined(separator: ", ")
      putLine(
        unknownWordForms(words, as: "<unk>", width: w, ellipsis: view.glyphs.ellipsis), .warning, rect: rect,
        y: &y, into: &g)
    }
    drawBars(answer.topK.prefix(view.topK).filter { $0.probability > 0 }, view: view, rect: rect, y: &y, into: &g)
    return y - rect.y
  }

  /// Draws on row `y` of a column the first of `forms` (a line, then shorter ways to say it)
  /// that fits its width, else the last cut at the width, and moves `y` to the next row; past
  /// the bottom of `rect` it draws nothing and leaves `y` where it is.
  static func putLine(_ forms: [String], _ style: Style, rect: Rect, y: inout Int, into g: inout Grid) {
    guard y < rect.bottom, let last = forms.last else { return }
    let s = forms.first { DisplayWidth.of($0) <= rect.width } ?? last
    g.put(s, x: rect.x, y: y, style: style, maxWidth: rect.width)
    y += 1
  }

  /// The forms of the line naming the typed `quoted` words a model reads as `marker` (`<UNK>`,
  /// `<unk>`), longest first: the shorter ones keep the marker in a narrow column (it was cut to
  /// "'cat' read as"), and the last is cut at `width` with `ellipsis`.
  static func unknownWordForms(_ quoted: String, as marker: String, width: Int, ellipsis: String) -> [String] {
    [
      quoted + " read as " + marker, quoted + " as " + marker, marker + ": " + quoted,
      DisplayWidth.truncate(marker + ": " + quoted, to: width, ellipsis: ellipsis),
    ]
  }

  /// Predictions as rows of token, probability bar and percentage, from row `y` (advanced past
  /// the rows drawn) to the bottom of `rect`; the token column fits the longest token (3 to a
  /// third of the width).
  static func drawBars(_ top: [Prediction], view: Model, rect: Rect, y: inout Int, into g: inout Grid) {
    let w = rect.width
    let tokenWidth = min(max(top.map { DisplayWidth.of($0.token) }.max() ?? 1, 3), max(3, w / 3))
    let barWidth = max(1, w - tokenWidth - 1 - 1 - 6)
    for p in top where y < rect.bottom {
      let cx = g.put(DisplayWidth.pad(p.token, to: tokenWidth, ellipsis: view.glyphs.ellipsis), x: rect.x, y: y) + 1
      let (filled, track) = view.glyphs.bar(fraction: p.probability, width: barWidth)
      let after = g.put(filled, x: cx, y: y, style: .bar)
      g.put(track, x: after, y: y, style: .track)
      g.put(DisplayWidth.padLeft(Format.percent(p.probability), to: 6), x: cx + barWidth + 1, y: y)
      y += 1
    }
  }
}
