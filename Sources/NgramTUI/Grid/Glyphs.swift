/// The characters used for bars, charts and markers: Unicode block elements, or plain ASCII.
struct Glyphs: Sendable, Equatable {
  /// Whether these are the Unicode glyphs.
  let unicode: Bool
  /// A full bar cell.
  let full: Character
  /// Partial bar cells, from 1/8 to 7/8 of a cell (ASCII: none).
  let partials: [Character]
  /// The empty track behind a bar.
  let track: Character
  /// Vertical chart levels, 1/8 … 8/8 of a cell.
  let levels: [Character]
  /// The marker in front of a chosen row.
  let chosen: String
  /// The ellipsis for truncated text.
  let ellipsis: String
  /// The left border of a chart's plot area.
  let axis: Character
  /// The chart's baseline.
  let baseline: Character
  /// The arrow between a window and its choice.
  let arrow: String
  /// A separator dot.
  let dot: String
  /// The text cursor shown at the end of the prompt.
  let cursor: Character

  /// Block elements and box drawing.
  static let unicodeSet = Glyphs(
    unicode: true, full: "█", partials: ["▏", "▎", "▍", "▌", "▋", "▊", "▉"], track: "░",
    levels: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], chosen: "▶", ellipsis: "…", axis: "│", baseline: "─",
    arrow: "→", dot: "·", cursor: "▏")

  /// Seven-bit ASCII only.
  static let asciiSet = Glyphs(
    unicode: false, full: "#", partials: [], track: ".", levels: ["_", "_", ".", ".", "o", "o", "#", "#"],
    chosen: ">", ellipsis: "~", axis: "|", baseline: "-", arrow: "->", dot: "-", cursor: "_")

  /// A horizontal bar of `width` cells filled to `fraction`: (filled part, track part).
  func bar(fraction: Double, width: Int) -> (String, String) {
    guard width > 0 else { return ("", "") }
    let f = fraction.isFinite ? min(max(fraction, 0), 1) : 0
    let eighths = Int((f * Double(width) * 8).rounded())
    var filled = String(repeating: full, count: eighths / 8)
    let rem = eighths % 8
    var used = eighths / 8
    if rem > 0 && used < width {
      if partials.isEmpty {
        if rem >= 4 {
          filled.append(full)
          used += 1
        }
      } else {
        filled.append(partials[rem - 1])
        used += 1
      }
    }
    return (filled, String(repeating: track, count: max(0, width - used)))
  }
}
