import NgramEngine

/// What a cell means, not how it looks: the terminal driver maps roles to colours and attributes.
enum Style: UInt8, Sendable, Equatable, CaseIterable {
  /// Plain text.
  case normal
  /// Secondary text (hints, axes).
  case dim
  /// Headings and labels.
  case heading
  /// The active tab or a selected row.
  case selected
  /// Filled part of a bar or chart.
  case bar
  /// The empty track of a bar.
  case track
  /// A highlighted bar (the chosen token).
  case barChosen
  /// Something to notice: the newest token, a chosen row.
  case highlight
  /// Warnings and errors.
  case warning
  /// Good news (artifacts saved).
  case good
  /// The text cursor.
  case cursor
  /// The sampling-mode label.
  case sampling
  /// Tokens of a greedy cycle.
  case cycle
}

/// One terminal cell: a grapheme (or nothing, for the right half of a wide one) and its style.
struct Cell: Equatable, Sendable {
  /// The grapheme drawn here; empty for the second column of a wide character.
  var text: String
  /// How it is drawn.
  var style: Style

  /// A blank cell.
  static let blank = Cell(text: " ", style: .normal)
  /// Whether this cell is the continuation of a wide character to its left.
  var isContinuation: Bool { text.isEmpty }
}

/// An in-memory screen: views draw here; the terminal driver diffs frames and writes the changes.
struct Grid: Equatable, Sendable {
  /// Columns.
  let width: Int
  /// Rows.
  let height: Int
  /// Cells, row by row.
  private(set) var cells: [Cell]

  /// A blank grid of the given size.
  init(width: Int, height: Int) {
    self.width = max(0, width)
    self.height = max(0, height)
    cells = Array(repeating: .blank, count: self.width * self.height)
  }

  /// The cell at (x, y).
  subscript(x: Int, y: Int) -> Cell {
    get { cells[y * width + x] }
    set { cells[y * width + x] = newValue }
  }

  /// Writes `text` from column `x` of row `y`, clipped to `maxWidth` columns (and the grid);
  /// returns the column after the last one written.
  @discardableResult
  mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, maxWidth: Int? = nil) -> Int {
    guard y >= 0, y < height else { return x }
    let limit = min(width, maxWidth.map { x + max(0, $0) } ?? width)
    var col = x
    for ch in text {
      if let visible = DisplayWidth.escaped(ch) {
        // A control character from data: its escaped form, one ASCII cell per character.
        for e in visible {
          if col + 1 > limit { return col }
          if col >= 0 {
            clearWide(at: col, y: y)
            self[col, y] = Cell(text: String(e), style: style)
          }
          col += 1
        }
        continue
      }
      // A combining mark with nothing before it to combine with (a token may start with one) is
      // drawn on a dotted circle, as Unicode shows a lone mark, so it does not vanish; other
      // graphemes of no width (zero-width spaces, joiners) are invisible in any terminal.
      let glyph = DisplayWidth.glyph(ch)
      let alone = glyph == 0 && DisplayWidth.isLoneMark(ch)
      let w = alone ? 1 : glyph
      if w == 0 { continue }
      if col + w > limit { break }
      if col >= 0 {
        clearWide(at: col, y: y)
        self[col, y] = Cell(text: alone ? "\u{25CC}" + String(ch) : String(ch), style: style)
        if w == 2 {
          clearWide(at: col + 1, y: y)
          self[col + 1, y] = Cell(text: "", style: style)
        }
      }
      col += w
    }
    return col
  }

  /// Keeps wide characters whole when one of their halves is overwritten.
  private mutating func clearWide(at x: Int, y: Int) {
    guard x >= 0, x < width else { return }
    let c = self[x, y]
    if c.isContinuation, x > 0 {
      self[x - 1, y] = .blank
    } else if x + 1 < width, self[x + 1, y].isContinuation, DisplayWidth.of(c.text) == 2 {
      self[x + 1, y] = .blank
    }
  }

  /// Fills a rectangle with one character and style.
  mutating func fill(x: Int, y: Int, width w: Int, height h: Int, char: Character = " ", style: Style = .normal) {
    for row in max(0, y)..<min(height, y + h) {
      for col in max(0, x)..<min(width, x + w) { self[col, row] = Cell(text: String(char), style: style) }
    }
  }

  /// Calls `body(x, y, cell)` for every cell a terminal showing `previous` must write to show
  /// `self`: all cells (but the right halves of wide characters) when `previous` is nil or of
  /// another size, else those that changed (or whose right neighbour changed, so a wide
  /// character that shrank is redrawn). Returns the number of cells visited.
  @discardableResult
  func forEachChange(from previous: Grid?, _ body: (Int, Int, Cell) -> Void) -> Int {
    let prev = previous.flatMap { $0.width == width && $0.height == height ? $0 : nil }
    var n = 0
    cells.withUnsafeBufferPointer { cur in
      if let prev {
        prev.cells.withUnsafeBufferPointer { old in
          for y in 0..<height {
            let row = y * width
            for x in 0..<width {
              let i = row + x
              let cell = cur[i]
              if cell.isContinuation { continue }
              if old[i] == cell && (x + 1 >= width || old[i + 1] == cur[i + 1]) { continue }
              body(x, y, cell)
              n += 1
            }
          }
        }
      } else {
        for y in 0..<height {
          for x in 0..<width where !cur[y * width + x].isContinuation {
            body(x, y, cur[y * width + x])
            n += 1
          }
        }
      }
    }
    return n
  }

  /// Row `y` as text, trailing blanks removed.
  func line(_ y: Int) -> String {
    var s = ""
    for x in 0..<width { s += self[x, y].text }
    while s.last == " " { s.removeLast() }
    return s
  }

  /// The whole grid as text: one line per row, trailing blanks removed.
  var text: String { (0..<height).map(line).joined(separator: "\n") }

  /// A map of the styles: one letter per cell (`.` for normal), for style snapshots.
  var styleMap: String {
    let letters: [Style: Character] = [
      .normal: ".", .dim: "d", .heading: "h", .selected: "S", .bar: "b", .track: "t", .barChosen: "B",
      .highlight: "H", .warning: "W", .good: "g", .cursor: "C", .sampling: "s", .cycle: "c",
    ]
    return (0..<height).map { y in
      var s = ""
      for x in 0..<width { s.append(letters[self[x, y].style] ?? "?") }
      return s
    }.joined(separator: "\n")
  }
}

/// Terminal column widths of characters, independent of the C locale (so tests and the driver agree).
enum DisplayWidth {
  /// How a cell is drawn when the locale's character set is not UTF-8 (`LC_ALL=C`): ncurses
  /// cannot draw a non-ASCII character there and shows junk bytes, so two different tokens could
  /// look alike. A cell holding one is drawn as `?` in each of its columns (nil: the cell is ASCII
  /// and drawn as it is).
  static func nonUTF8Fallback(_ text: String) -> String? {
    guard text.unicodeScalars.contains(where: { !$0.isASCII }) else { return nil }
    let columns = text.first.map { of($0) } ?? 1
    return String(repeating: "?", count: max(1, columns))
  }

  /// Columns taken by a grapheme: 0 (combining), 1, or 2 (East Asian wide, emoji); one holding a
  /// control character takes the columns of its escaped form (see `escaped`), and a lone
  /// combining mark the one of the dotted circle it is drawn on (see `isLoneMark`).
  static func of(_ ch: Character) -> Int {
    if let visible = escaped(ch) { return visible.count }
    let columns = glyph(ch)
    return columns == 0 && isLoneMark(ch) ? 1 : columns
  }

  /// Whether a grapheme of no columns starts with a combining mark: one with no base character
  /// before it (Swift makes a mark that follows a base part of the base's grapheme). Asked only
  /// of graphemes whose width is 0, so text of ordinary widths never looks up categories.
  static func isLoneMark(_ ch: Character) -> Bool {
    guard let first = ch.unicodeScalars.first, first.value >= 0x300 else { return false }
    switch first.properties.generalCategory {
    case .nonspacingMark, .enclosingMark, .spacingMark: return true
    default: return false
    }
  }

  /// Columns of a grapheme that holds no control character (`escaped` is nil): its first scalar's.
  static func glyph(_ ch: Character) -> Int {
    guard let first = ch.unicodeScalars.first else { return 0 }
    return of(scalar: first)
  }

  /// How a grapheme holding a control character (C0, DEL, C1: a token may hold one) is drawn:
  /// visibly, as the command line prints it (`TerminalText.escape`: `\e`, `\t`, `\u{07}`, …),
  /// never as the raw byte; nil for every other grapheme.
  static func escaped(_ ch: Character) -> String? {
    if let a = ch.asciiValue, a >= 0x20, a != 0x7F, ch.unicodeScalars.count == 1 { return nil }
    guard ch.unicodeScalars.contains(where: TerminalText.isControl) else { return nil }
    return TerminalText.escape(String(ch))
  }

  /// Columns taken by the text.
  static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

  /// Columns of one scalar, as ncurses places it (glibc's `wcwidth` in a UTF-8 locale, from
  /// the generated `DisplayWidthTable`): 0 for controls and combining marks, 2 for East Asian
  /// wide characters and emoji, else 1.
  static func of(scalar u: Unicode.Scalar) -> Int {
    let v = u.value
    if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
    if v < 0x300 { return 1 }
    if contains(DisplayWidthTable.wide, v) { return 2 }
    if contains(DisplayWidthTable.zero, v) { return 0 }
    return 1
  }

  /// Whether one of the sorted, disjoint `ranges` holds `v` (a binary search).
  private static func contains(_ ranges: [ClosedRange<UInt32>], _ v: UInt32) -> Bool {
    var lo = 0
    var hi = ranges.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if ranges[mid].upperBound < v {
        lo = mid + 1
      } else if ranges[mid].lowerBound > v {
        hi = mid
      } else {
        return true
      }
    }
    return false
  }

  /// `s` cut to at most `width` columns, ending with `…` (or `~`) when cut.
  static func truncate(_ s: String, to width: Int, ellipsis: String = "…") -> String {
    if of(s) <= width { return s }
    guard width > 0 else { return "" }
    var out = ""
    var w = 0
    let ew = of(ellipsis)
    for ch in s {
      let cw = of(ch)
      if w + cw > width - ew { break }
      out.append(ch)
      w += cw
    }
    return out + ellipsis
  }

  /// `s` padded with spaces on the right to `width` columns (truncated first when longer).
  static func pad(_ s: String, to width: Int, ellipsis: String = "…") -> String {
    let t = truncate(s, to: width, ellipsis: ellipsis)
    return t + String(repeating: " ", count: max(0, width - of(t)))
  }

  /// `s` padded with spaces on the left to `width` columns.
  static func padLeft(_ s: String, to width: Int) -> String {
    String(repeating: " ", count: max(0, width - of(s))) + s
  }
}
