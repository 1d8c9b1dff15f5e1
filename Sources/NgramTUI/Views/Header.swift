/// The header rows the screens share: a line of styled segments side by side (a heading, then
/// its dim explanation), and the prompt block of Explore and Compare (the prompt, then its key
/// hints from the key map, or the latest note).
enum Header {
  /// Draws `segments` one after the other on row `y` from `x`, cut at `width` cells; returns the
  /// column after the last one drawn. When they do not fit, the segment at index `shrink` (data
  /// of any length: a context, a typed text, a path) is cut first, ending with `ellipsis`, so the
  /// segments after it (an epoch, a target) stay on screen.
  @discardableResult
  static func line(
    _ segments: [(String, Style)], x: Int, y: Int, width: Int, shrink: Int? = nil, ellipsis: String = "…",
    into g: inout Grid
  ) -> Int {
    var segments = segments
    if let i = shrink, segments.indices.contains(i) {
      let total = segments.reduce(0) { $0 + DisplayWidth.of($1.0) }
      if total > width {
        let own = DisplayWidth.of(segments[i].0)
        let room = max(DisplayWidth.of(ellipsis), own - (total - width))
        segments[i].0 = DisplayWidth.truncate(segments[i].0, to: room, ellipsis: ellipsis)
      }
    }
    var at = x
    for (text, style) in segments where at < x + width {
      at = g.put(text, x: at, y: y, style: style, maxWidth: x + width - at)
    }
    return at
  }

  /// The prompt block: `label` and the typed text on the first row; on the second, the note
  /// if there is one, else `hints` (the key map's header hints for the state) joined with dots.
  /// Returns the row after the block and its blank line.
  static func prompt(
    _ e: ExploreState, label: String, hints: [String], glyphs: Glyphs, in r: Rect, into g: inout Grid
  ) -> Int {
    ExploreView.drawPrompt(e, label: label, x: r.x, y: r.y, width: r.width, into: &g)
    let text = e.note ?? hints.joined(separator: " \(glyphs.dot) ")
    g.put(text, x: r.x, y: r.y + 1, style: e.note != nil ? .highlight : .dim, maxWidth: r.width)
    return r.y + 3
  }
}
