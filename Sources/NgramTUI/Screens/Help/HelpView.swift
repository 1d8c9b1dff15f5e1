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

  /// Draws the key map's help rows, section by section, into `r`. When they do not all fit,
  /// the keys of `from` (the screen Help was opened from) come right after Everywhere, and the
  /// last row says how many rows are hidden.
  static func draw(_ sections: [(HelpSection, [HelpRow])], from: Screen? = nil, in r: Rect, into g: inout Grid) {
    var y = r.y
    let keyWidth = 22
    let lines = sections.reduce(0) { $0 + 1 + $1.1.count }
    let fits = r.height >= lines
    let spaced = r.height >= lines + sections.count
    var ordered = sections
    if !fits, let own = from.flatMap(section(of:)), let i = ordered.firstIndex(where: { $0.0 == own }) {
      let s = ordered.remove(at: i)
      ordered.insert(s, at: min(1, ordered.count))
    }
    let bottom = fits ? r.bottom : r.bottom - 1
    var shown = 0
    for (section, rows) in ordered {
      if y >= bottom { break }
      g.put(section.title, x: r.x, y: y, style: .heading)
      y += 1
      shown += 1
      for row in rows where y < bottom {
        g.put(row.keys, x: r.x + 2, y: y, style: .highlight)
        g.put(row.text, x: r.x + 2 + keyWidth, y: y, maxWidth: r.width - keyWidth - 2)
        y += 1
        shown += 1
      }
      if spaced { y += 1 }
    }
    if !fits && r.height > 0 {
      g.put(
        "... \(lines - shown) more rows: enlarge the terminal to see every key", x: r.x, y: r.bottom - 1, style: .dim,
        maxWidth: r.width)
    }
  }
}
