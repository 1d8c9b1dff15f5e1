import NgramEngine

/// The Generate screen: greedy (or sampled) decoding one token per key, with each step's window and bars.
enum GenerateView {
  /// What the Generate screen shows.
  struct Model {
    let generate: GenerateState
    let info: SessionInfo
    let glyphs: Glyphs
    let tokens: [String]
    /// The model asked (nil while training).
    let model: (any LanguageModel)?
    /// The `ngram-tui infer` options that select the model ("" for DIR's trained one).
    let inferOptions: String
    /// Epochs trained so far.
    let epochsDone: Int
    let topK: Int

    init(_ s: AppState) {
      generate = s.generate
      info = s.info
      glyphs = s.glyphs
      tokens = s.vocabulary.tokens
      model = s.languageModel
      inferOptions = s.profile.inferOptions
      epochsDone = s.train.status.epochsDone
      topK = s.topK
    }
  }

  /// Draws `view` into `r`.
  static func draw(_ view: Model, in r: Rect, into g: inout Grid) {
    let gen = view.generate
    let tokens = view.tokens
    let n = view.info.contextLength
    var y = r.y
    guard let start = gen.start, let model = view.model else {
      g.put(
        "The model is still training (epoch \(view.epochsDone)/\(view.info.epochs)); generation starts when it finishes.",
        x: r.x, y: y, style: .dim, maxWidth: r.width)
      return
    }

    // Mode.
    if gen.sampling {
      let label = " SAMPLING  temperature \(Format.fixed(gen.temperature, 1))  seed \(gen.seed) "
      Header.line(
        [(label, .sampling), ("  draws from p^(1/T), not greedy ([ ] T, r seed, m greedy)", .dim)], x: r.x, y: y,
        width: r.width, into: &g)
    } else {
      Header.line(
        [(" GREEDY ", .selected), ("  each step takes the most probable token (m: sampling)", .dim)], x: r.x, y: y,
        width: r.width, into: &g)
    }
    y += 1
    let startText = start.map { tokens[$0] }.joined(separator: " ")
    g.put(
      "start: \(startText.isEmpty ? "(no context)" : startText)   from \(gen.origin)", x: r.x, y: y, style: .dim,
      maxWidth: r.width)
    y += 2

    // The latest step (or the next one).
    let windowName = n == 2 ? " (prev, curr) =" : n == 1 ? " (curr) =" : n == 0 ? "" : " ="
    func show(_ w: [Int]) -> String {
      n == 0 ? "(none: unigram)" : "(" + w.map { tokens[$0] }.joined(separator: ", ") + ")"
    }
    let dist: Distribution
    let ranked: [Distribution.Entry]
    var chosen: Int? = nil
    if let last = gen.steps.last {
      dist = last.distribution
      ranked = last.top
      chosen = last.chosen
      let how = last.sampled ? "sampled" : "greedy"
      g.put(
        "step \(gen.steps.count): window\(windowName) \(show(last.window)) \(view.glyphs.arrow) \(tokens[last.chosen])  (\(how))",
        x: r.x, y: y, style: .heading, maxWidth: r.width)
    } else {
      // Worked out when the generation started (a state made without a model: now).
      let preview =
        gen.preview
        ?? {
          let d = model.distribution(after: TokenContext(ids: gen.window))
          return (d, d.top(AppState.maxK))
        }()
      dist = preview.distribution
      ranked = preview.top
      g.put(
        "next: window\(windowName) \(show(gen.window))   press Space to take a step", x: r.x, y: y, style: .heading,
        maxWidth: r.width)
    }
    y += 1
    let reserve = 8
    let k = view.topK
    var top = Array(ranked.prefix(k))
    if let c = chosen, !top.contains(where: { $0.id == c }) {
      top.append(Distribution.Entry(id: c, probability: dist.probability(of: c)))  // a sampled token outside the top k still shows
    }
    let used = Bars.draw(
      top, tokens: tokens, glyphs: view.glyphs, chosen: chosen, x: r.x, y: y, width: min(r.width, 100),
      maxRows: max(1, r.bottom - y - reserve), into: &g)
    y += used + 1

    // The text so far, newest token marked, a greedy cycle underlined.
    let ids = gen.ids
    let repeated = gen.repeatedWindow
    let cycleRange = repeated.map { ($0.first + start.count)..<($0.again + start.count) }
    g.put("text so far (\(gen.steps.count) generated):", x: r.x, y: y, style: .heading)
    y += 1
    let words = ids.map { tokens[$0] }
    let lines = Wrap.lines(words, width: r.width)
    let maxTextRows = max(1, r.bottom - y - 3)
    let visible = lines.suffix(maxTextRows)
    for line in visible {
      var x = r.x
      for i in line {
        let style: Style
        if i == ids.count - 1 && !gen.steps.isEmpty {
          style = .highlight
        } else if let c = cycleRange, c.contains(i), repeated?.greedy == true {
          style = .cycle
        } else {
          style = i < start.count ? .dim : .normal
        }
        x = g.put(words[i], x: x, y: y, style: style) + 1
      }
      y += 1
    }
    if n > 0, let options = gen.cliEquivalent {
      let startArgs = start.map { Shell.quote(tokens[$0]) }.joined(separator: " ")
      let cmd =
        "same as: ngram-tui infer \(view.inferOptions)--start-tokens \(startArgs) --num-tokens \(gen.steps.count)"
        + (options.isEmpty ? "" : " " + options)
      y += Wrap.draw(cmd, x: r.x, y: y, width: r.width, maxRows: 2, style: .dim, into: &g)
    }
    y += 1

    // Cycle detection.
    if let rep = repeated {
      let s0 = start.count
      let again = ids[(s0 + rep.again - n)..<(s0 + rep.again)]
      let cycle = ids[(s0 + rep.first)..<(s0 + rep.again)].map { tokens[$0] }.joined(separator: " ")
      let whereFirst = rep.first == 0 ? "the start window" : "the one after step \(rep.first)"
      let msg =
        n == 0 && rep.greedy
        ? "cycle: a unigram model has no context, so greedy decoding repeats its most probable token forever: \(cycle)"
        : rep.greedy
          ? "cycle: after step \(rep.again) the window \(show(Array(again))) is \(whereFirst). Greedy decoding of a fixed-context model always cycles; from here it repeats these \(rep.again - rep.first) tokens forever: \(cycle)"
          : "after step \(rep.again) the window \(show(Array(again))) is \(whereFirst); with sampling the text can still leave the loop."
      Wrap.draw(
        msg, x: r.x, y: y, width: r.width, maxRows: max(0, r.bottom - y), style: rep.greedy ? .warning : .dim, into: &g)
    }
  }
}
