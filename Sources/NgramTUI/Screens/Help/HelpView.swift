/// The Help screen: every key on one page, from the key map.
enum HelpView {
  /// Draws the key map's help rows, section by section, into `r`.
  static func draw(_ sections: [(HelpSection, [HelpRow])], in r: Rect, into g: inout Grid) {
    var y = r.y
    let keyWidth = 22
    let lines = sections.reduce(0) { $0 + 1 + $1.1.count }
    let spaced = r.height >= lines + sections.count
    for (section, rows) in sections {
      if y >= r.bottom { break }
      g.put(section.title, x: r.x, y: y, style: .heading)
      y += 1
      for row in rows where y < r.bottom {
        g.put(row.keys, x: r.x + 2, y: y, style: .highlight)
        g.put(row.text, x: r.x + 2 + keyWidth, y: y, maxWidth: r.width - keyWidth - 2)
        y += 1
      }
      if spaced { y += 1 }
    }
  }
}
