import NgramEngine

/// Draws the whole screen for a state: header, the active screen's view (given its view model),
/// the footer (from the key map) — or the too-small notice.
enum Render {
  /// The smallest terminal the views are laid out for.
  static let minWidth = 80
  /// The smallest terminal height the views are laid out for.
  static let minHeight = 24

  /// A fresh grid of `width`×`height` with `state` drawn into it.
  static func frame(_ state: AppState, width: Int, height: Int) -> Grid {
    var g = Grid(width: width, height: height)
    draw(state, into: &g)
    return g
  }

  /// Draws `state` into `grid` (which must be blank).
  static func draw(_ state: AppState, into g: inout Grid) {
    if g.width < minWidth || g.height < minHeight {
      TooSmallView.draw(into: &g)
      return
    }
    header(state, into: &g)
    let body = Rect(x: 1, y: 1, width: g.width - 2, height: g.height - 2)
    switch state.screen {
    case .train: TrainView.draw(TrainView.Model(state), in: body, into: &g)
    case .explore: ExploreView.draw(ExploreView.Model(state), in: body, into: &g)
    case .generate: GenerateView.draw(GenerateView.Model(state), in: body, into: &g)
    case .compare: CompareView.draw(CompareView.Model(state), in: body, into: &g)
    case .step: StepView.draw(StepView.Model(state), in: body, into: &g)
    case .map: MapView.draw(MapView.Model(state), in: body, into: &g)
    case .help: HelpView.draw(KeyMap.helpSections, from: state.beforeHelp, scroll: state.helpScroll, in: body, into: &g)
    }
    if let notice = state.notice {
      g.put(" " + notice, x: 0, y: g.height - 1, style: .highlight, maxWidth: g.width)
    } else {
      let hints = KeyMap.footer(state)
      g.put(" " + hints, x: 0, y: g.height - 1, style: .dim, maxWidth: g.width)
    }
  }

  /// The top line: the program name, the tabs, a training indicator and the global keys.
  static func header(_ state: AppState, into g: inout Grid) {
    var x = g.put(" ngram-tui ", x: 0, y: 0, style: .heading)
    x += 1
    for s in state.tabs {
      x = g.put(" \(s.title) ", x: x, y: 0, style: state.screen == s ? .selected : .normal)
      x += 1
    }
    if state.screen == .help { x = g.put(" Help ", x: x, y: 0, style: .selected) }
    var keys = "? help  q quit "
    var shortKeys = "? help "
    if state.isTyping {
      keys = "Esc leaves prompt  F1 help "
      shortKeys = "F1 help "
    }
    let t = state.train
    // The widest of: status and keys, status and the help key, status alone, that fits.
    var candidates = [keys, shortKeys]
    if let status = state.profile.status {
      candidates = [status + "   " + keys, status + "  " + shortKeys, status + " "]
    } else if state.screen != .train {
      let status: String
      switch t.status.phase {
      case .training:
        status =
          t.paused
          ? "training paused \(t.status.epochsDone)/\(t.totalEpochs)"
          : "training \(t.status.epochsDone)/\(t.totalEpochs)"
      case .writing: status = "saving artifacts"
      case .saved: status = "trained"
      case .failed: status = "training failed"
      case .cancelled: status = "cancelled"
      }
      candidates = [status + "   " + keys, status + "  " + shortKeys, status + " "]
    }
    if let right = candidates.first(where: { g.width - DisplayWidth.of($0) > x + 1 }) {
      g.put(right, x: g.width - DisplayWidth.of(right), y: 0, style: .dim)
    }
  }
}

/// A rectangle of the grid.
struct Rect: Equatable, Sendable {
  var x: Int
  var y: Int
  var width: Int
  var height: Int
  /// The row after the last.
  var bottom: Int { y + height }
}

/// Horizontal probability bars, shared by Explore and Generate.
enum Bars {
  /// One row per prediction: marker, token, bar, percentage, then `extra` (e.g. the corpus count).
  /// Returns the rows used.
  @discardableResult
  static func draw(
    _ rows: [Distribution.Entry], tokens: [String], glyphs: Glyphs, chosen: Int? = nil,
    extra: ((Int) -> String)? = nil, extraHeading: String? = nil, x: Int, y: Int, width: Int, maxRows: Int,
    into g: inout Grid
  ) -> Int {
    guard maxRows > 0 else { return 0 }
    let tokenWidth = min(max(rows.map { DisplayWidth.of(tokens[$0.id]) }.max() ?? 1, 5), 24)
    let extraWidth = extra == nil ? 0 : max(12, DisplayWidth.of(extraHeading ?? ""))
    let markerWidth = DisplayWidth.of(glyphs.chosen) + 1
    let barWidth = max(8, width - markerWidth - tokenWidth - 2 - 1 - 6 - (extraWidth > 0 ? extraWidth + 3 : 0))
    var row = y
    var used = 0
    if let extraHeading, extra != nil {
      let col = x + markerWidth + tokenWidth + 2 + barWidth + 1 + 6 + 3
      g.put("token", x: x + markerWidth, y: row, style: .dim)
      g.put("model", x: x + markerWidth + tokenWidth + 2, y: row, style: .dim)
      g.put(DisplayWidth.padLeft(extraHeading, to: extraWidth), x: col, y: row, style: .dim)
      row += 1
      used += 1
    }
    for p in rows {
      if used >= maxRows { break }
      let isChosen = chosen == p.id
      var cx = x
      if isChosen { g.put(glyphs.chosen, x: cx, y: row, style: .highlight) }
      cx += markerWidth
      let name = DisplayWidth.pad(tokens[p.id], to: tokenWidth, ellipsis: glyphs.ellipsis)
      g.put(name, x: cx, y: row, style: isChosen ? .highlight : .normal)
      cx += tokenWidth + 2
      let (filled, track) = glyphs.bar(fraction: p.probability, width: barWidth)
      let after = g.put(filled, x: cx, y: row, style: isChosen ? .barChosen : .bar)
      g.put(track, x: after, y: row, style: .track)
      cx += barWidth + 1
      g.put(
        DisplayWidth.padLeft(Format.percent(p.probability), to: 6), x: cx, y: row,
        style: isChosen ? .highlight : .normal)
      cx += 6 + 3
      if let extra {
        g.put(DisplayWidth.padLeft(extra(p.id), to: extraWidth), x: cx, y: row, style: .dim)
      }
      row += 1
      used += 1
    }
    return used
  }
}

/// Word wrapping for the views.
enum Wrap {
  /// Splits `words` into lines of at most `width` columns, keeping each word's index.
  static func lines(_ words: [String], width: Int) -> [[Int]] {
    var out: [[Int]] = [[]]
    var w = 0
    for (i, word) in words.enumerated() {
      let ww = DisplayWidth.of(word)
      if w > 0 && w + 1 + ww > width {
        out.append([])
        w = 0
      }
      out[out.count - 1].append(i)
      w += (w > 0 ? 1 : 0) + ww
    }
    return out
  }

  /// Draws `items` separated by `gap` spaces, wrapped between items (never inside one); the
  /// first line starts with `prefix`. Returns the rows used.
  @discardableResult
  static func items(
    _ items: [String], prefix: String, gap: Int = 3, x: Int, y: Int, width: Int, maxRows: Int, style: Style,
    into g: inout Grid
  ) -> Int {
    guard maxRows > 0 else { return 0 }
    var row = 0
    var col = x
    col = g.put(prefix, x: col, y: y, style: style, maxWidth: width)
    var first = true
    for item in items {
      let w = DisplayWidth.of(item)
      let need = (first ? 0 : gap) + w
      if col + need > x + width && !first {
        row += 1
        if row >= maxRows { return row }
        col = x
        first = true
      }
      col = g.put(item, x: col + (first ? 0 : gap), y: y + row, style: style, maxWidth: x + width - col)
      first = false
    }
    return row + 1
  }

  /// Draws `text` word-wrapped at `width`, at most `maxRows` rows; returns the rows used.
  @discardableResult
  static func draw(_ text: String, x: Int, y: Int, width: Int, maxRows: Int, style: Style, into g: inout Grid) -> Int {
    let words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let ls = lines(words, width: width)
    for (r, idx) in ls.prefix(maxRows).enumerated() {
      g.put(idx.map { words[$0] }.joined(separator: " "), x: x, y: y + r, style: style, maxWidth: width)
    }
    return min(ls.count, maxRows)
  }
}

/// The notice shown below the minimum size; `q` still quits.
enum TooSmallView {
  /// Draws the notice centred (wrapped to whatever fits).
  static func draw(into g: inout Grid) {
    let text = [
      "terminal too small",
      "\(g.width)x\(g.height), needs at least \(Render.minWidth)x\(Render.minHeight)",
      "enlarge the window, or press q to quit",
    ]
    var lines: [String] = []
    for t in text {
      let words = t.split(separator: " ").map(String.init)
      for idx in Wrap.lines(words, width: max(1, g.width)) {
        lines.append(idx.map { words[$0] }.joined(separator: " "))
      }
    }
    let top = max(0, (g.height - lines.count) / 2)
    for (i, l) in lines.enumerated() where top + i < g.height {
      let x = max(0, (g.width - DisplayWidth.of(l)) / 2)
      g.put(l, x: x, y: top + i, style: i == 0 ? .warning : .normal)
    }
  }
}
