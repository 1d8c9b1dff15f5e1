import NgramEngine

/// The Map screen: the points of `artifacts/03_token_embeddings.csv` as a scatter of braille
/// dots (ASCII without Unicode), labels on the most frequent contexts, the ranges shown, and
/// the search prompt or what the last key did.
enum MapView {
  /// What the Map screen shows.
  struct Model {
    let map: MapState
    let info: SessionInfo
    let glyphs: Glyphs
    let tokens: [String]
    let phase: TrainPhase
    let epochsDone: Int

    init(_ s: AppState) {
      map = s.map
      info = s.info
      glyphs = s.glyphs
      tokens = s.vocabulary.tokens
      phase = s.train.status.phase
      epochsDone = s.train.status.epochsDone
    }
  }

  /// The most labels drawn besides the highlighted points'.
  static let maxLabels = 12
  /// The widest label, in columns.
  static let maxLabelWidth = 20

  /// A label placed on the plot: its first column and row (in cells of the plot) and text.
  struct PlacedLabel: Equatable {
    let x: Int
    let y: Int
    let text: String
    let point: Int
    let highlighted: Bool
  }

  /// Places labels on a plot of `columns` × `rows` cells: the highlighted points' first, then
  /// the most frequent contexts' (never-seen ones get none), at most `maxLabels` of those. A
  /// label goes right of its point's cell, else left of it; it never overlaps another label
  /// (one blank column between two on a row) nor covers the cell of a labelled point, and a
  /// cell gets at most one label. `cells[i]` is point i's cell (nil when outside the view).
  static func placeLabels(
    cells: [(x: Int, y: Int)?], labels: [String], frequencies: [Int], order: [Int], highlighted: [Int],
    columns: Int, rows: Int, maxLabels: Int, ellipsis: String
  ) -> [PlacedLabel] {
    guard columns > 0, rows > 0 else { return [] }
    var taken = [[Bool]](repeating: [Bool](repeating: false, count: columns), count: rows)
    var labelledCells = Set<Int>()
    var out: [PlacedLabel] = []
    let marked = Set(highlighted)
    let candidates = highlighted + order.filter { !marked.contains($0) && frequencies[$0] > 0 }
    var plain = 0
    for i in candidates {
      let isMarked = marked.contains(i)
      if !isMarked && plain >= maxLabels { break }
      guard let c = cells[i], !labelledCells.contains(c.y * columns + c.x) else { continue }
      let text = DisplayWidth.truncate(labels[i], to: maxLabelWidth, ellipsis: ellipsis)
      let w = DisplayWidth.of(text)
      func fits(_ start: Int) -> Bool {
        guard start >= 0, start + w <= columns else { return false }
        for x in max(0, start - 1)..<min(columns, start + w + 1) where taken[c.y][x] { return false }
        for x in start..<(start + w) where labelledCells.contains(c.y * columns + x) { return false }
        return true
      }
      let start: Int
      if fits(c.x + 1) {
        start = c.x + 1
      } else if fits(c.x - w) {
        start = c.x - w
      } else {
        continue
      }
      for x in start..<(start + w) { taken[c.y][x] = true }
      labelledCells.insert(c.y * columns + c.x)
      out.append(PlacedLabel(x: start, y: c.y, text: text, point: i, highlighted: isMarked))
      if !isMarked { plain += 1 }
    }
    return out
  }

  /// Draws `view` into `r`.
  static func draw(_ view: Model, in r: Rect, into g: inout Grid) {
    let state = view.map
    let messageRow = r.bottom - 1
    defer { drawPrompt(view, row: messageRow, in: r, into: &g) }
    let file = "artifacts/03_token_embeddings.csv"
    guard case .ready(let d) = state.load, let v = state.shown else {
      let text: String
      var style = Style.normal
      switch state.load {
      case .failed(let why):
        text = "Cannot draw the map: \(why)"
        style = .warning
      case .loading:
        text = "Reading \(file) ..."
      default:
        switch view.phase {
        case .training, .writing:
          text =
            "Training writes \(file) when it finishes (epoch \(view.epochsDone)/\(view.info.epochs)): the map appears then."
        case .failed, .cancelled:
          text = "Training did not save its artifacts, so there is no \(file) to draw."
          style = .warning
        case .saved:
          text = "Reading \(file) ..."
        }
      }
      Wrap.draw(text, x: r.x, y: r.y, width: r.width, maxRows: max(1, r.height - 1), style: style, into: &g)
      return
    }

    // What a point is, honestly.
    let n = d.contextLength
    let t0 = view.tokens.first.map { TerminalText.escape($0) } ?? "?"
    let t1 = view.tokens.count > 1 ? TerminalText.escape(view.tokens[1]) : nil
    let count = Format.count(d.points.count)
    let what =
      n == 0
      ? "\(count) point\(d.points.count == 1 ? "" : "s"), the one row (no context)"
      : n == 1
        ? "\(count) point\(d.points.count == 1 ? "" : "s"), one per token (as the context)"
        : "\(count) point\(d.points.count == 1 ? "" : "s"), one per \(n)-token context"
    Header.line([(file + ": ", .heading), (what, .heading)], x: r.x, y: r.y, width: r.width, into: &g)
    let axes = "x = weight for '\(t0)' (token 0), y = " + (t1.map { "for '\($0)' (token 1)" } ?? "0 (one token)")
    let seenText = d.neverSeen == 0 ? "" : "; \(Format.count(d.neverSeen)) unseen, at (0, 0)"
    g.put(axes + seenText, x: r.x, y: r.y + 1, style: .dim, maxWidth: r.width)

    // The plot: y range on the left, x range below.
    let yTop = Format.fixed(v.maxY, 4)
    let yBottom = Format.fixed(v.minY, 4)
    let yw = max(DisplayWidth.of(yTop), DisplayWidth.of(yBottom))
    let plotX = r.x + yw + 1
    let plotY = r.y + 2
    let columns = r.x + r.width - plotX
    let rows = messageRow - 2 - plotY
    guard columns > 4, rows > 2 else { return }
    for row in plotY..<(plotY + rows) { g.put(String(view.glyphs.axis), x: plotX - 1, y: row, style: .dim) }
    g.put(DisplayWidth.padLeft(yTop, to: yw), x: r.x, y: plotY, style: .dim)
    g.put(DisplayWidth.padLeft(yBottom, to: yw), x: r.x, y: plotY + rows - 1, style: .dim)
    g.put(
      String(repeating: view.glyphs.baseline, count: columns + 1), x: plotX - 1, y: plotY + rows, style: .dim)
    let xLeft = Format.fixed(v.minX, 4)
    let xRight = Format.fixed(v.maxX, 4)
    g.put(xLeft, x: plotX, y: plotY + rows + 1, style: .dim)
    g.put(xRight, x: plotX + columns - DisplayWidth.of(xRight), y: plotY + rows + 1, style: .dim)
    if let fit = MapState.fitted(d), fit != v {
      let zoom = fit.halfWidth / v.halfWidth
      let z = zoom >= 1 ? "zoom \(Format.fixed(zoom, zoom < 10 ? 1 : 0))x" : "zoom 1/\(Format.fixed(1 / zoom, 0))x"
      g.put(z, x: plotX + (columns - DisplayWidth.of(z)) / 2, y: plotY + rows + 1, style: .dim)
    }

    // The dots.
    var canvas = DotCanvas(columns: columns, rows: rows)
    var cells: [(x: Int, y: Int)?] = []
    cells.reserveCapacity(d.points.count)
    for p in d.points {
      if let dot = ScatterMap.dot(x: p.x, y: p.y, viewport: v, dotsWide: canvas.dotsWide, dotsHigh: canvas.dotsHigh) {
        canvas.set(dotX: dot.x, dotY: dot.y)
        cells.append((dot.x / 2, dot.y / 4))
      } else {
        cells.append(nil)
      }
    }
    var marked = Set<Int>()
    for i in state.highlighted { if let c = cells[i] { marked.insert(c.y * columns + c.x) } }
    for cy in 0..<rows {
      for cx in 0..<columns {
        let mask = canvas.mask(column: cx, row: cy)
        guard mask != 0 else { continue }
        let ch = view.glyphs.unicode ? DotCanvas.braille(mask) : DotCanvas.ascii(mask)
        g.put(
          String(ch), x: plotX + cx, y: plotY + cy, style: marked.contains(cy * columns + cx) ? .highlight : .bar)
      }
    }
    let placed = placeLabels(
      cells: cells, labels: d.labels, frequencies: d.frequencies, order: d.byFrequency, highlighted: state.highlighted,
      columns: columns, rows: rows, maxLabels: maxLabels, ellipsis: view.glyphs.ellipsis)
    for l in placed {
      g.put(l.text, x: plotX + l.x, y: plotY + l.y, style: l.highlighted ? .highlight : .normal)
    }
  }

  /// The last row: the search being typed, else what the last key did, else the search shown.
  static func drawPrompt(_ view: Model, row: Int, in r: Rect, into g: inout Grid) {
    let state = view.map
    if let q = state.query {
      let x = g.put("find: ", x: r.x, y: row, style: .heading)
      let shown = TerminalText.escape(q)
      let room = r.x + r.width - x - 1
      let tail = DisplayWidth.of(shown) > room ? String(shown.suffix(max(0, room))) : shown
      let end = g.put(tail, x: x, y: row, style: .normal, maxWidth: room)
      g.put(String(view.glyphs.cursor), x: end, y: row, style: .cursor)
    } else if let m = state.message {
      g.put(m, x: r.x, y: row, style: state.messageWarns ? .warning : .highlight, maxWidth: r.width)
    } else if let s = state.searched, !state.highlighted.isEmpty {
      g.put("highlighted: '\(s)' (0 clears)", x: r.x, y: row, style: .dim, maxWidth: r.width)
    }
  }
}
