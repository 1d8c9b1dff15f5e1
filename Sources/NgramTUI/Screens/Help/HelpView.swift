/// The Help screen: every key on one page, from the key map.
enum HelpView {
  /// The Help section of `screen`'s own keys.
  static func section(of screen: Screen) -> HelpSection? {
    switch screen {
    case .train: return .train
    case .explore, .compare: return .prompt
    case .generate: return .generate
    case .step: return .step
    case .map: return .map
    case .help: return nil
    }
  }

  /// Rows of `sections` on one page: a title per section, a row per key.
  static func lineCount(_ sections: [(HelpSection, [HelpRow])]) -> Int {
    sections.reduce(0) { $0 + 1 + $1.1.count }
  }

  /// Draws the key map's help rows, section by section, into `r`. When they do not all fit,
  /// the keys of `from` (the screen Help was opened from) come right after Everywhere, the
  /// rows shown start at `scroll` (Up/Down, PgUp/PgDn), and the last row says which are shown.
  static func draw(
    _ sections: [(HelpSection, [HelpRow])], from: Screen? = nil, scroll: Int = 0, in r: Rect, into g: inout Grid
  ) {
    let keyWidth = 22
    let lines = lineCount(sections)
    let fits = r.height >= lines
    let spaced = r.height >= lines + sections.count
    var ordered = sections
    if !fits, let own = from.flatMap(section(of:)), let i = ordered.firstIndex(where: { $0.0 == own }) {
      let s = ordered.remove(at: i)
      ordered.insert(s, at: min(1, ordered.count))
    }
    // Every row in order: a section title (nil keys) or a key row.
    var rows: [(keys: String?, text: String)] = []
    for (section, sectionRows) in ordered {
      rows.append((nil, section.title))
      for row in sectionRows { rows.append((row.keys, row.text)) }
      if spaced { rows.append(("", "")) }
    }
    let visible = fits ? r.height : max(0, r.height - 1)
    let first = fits ? 0 : min(max(0, scroll), max(0, rows.count - visible))
    var y = r.y
    for row in rows.dropFirst(first).prefix(visible) {
      if let keys = row.keys {
        g.put(keys, x: r.x + 2, y: y, style: .highlight)
        g.put(row.text, x: r.x + 2 + keyWidth, y: y, maxWidth: r.width - keyWidth - 2)
      } else {
        g.put(row.text, x: r.x, y: y, style: .heading)
      }
      y += 1
    }
    if !fits && r.height > 0 {
      let last = min(rows.count, first + visible)
      g.put(
        "rows \(first + 1)-\(last) of \(rows.count): Up/Down and PgUp/PgDn scroll", x: r.x, y: r.bottom - 1,
        style: .dim, maxWidth: r.width)
    }
  }
}
