/// What the explorer needs from a terminal: its size, keys, and a way to show a frame.
///
/// The ncurses implementation is the only code that imports `CNcursesw`; tests need no terminal.
protocol TerminalDriver: AnyObject {
  /// The current size in cells.
  var size: (width: Int, height: Int) { get }
  /// Whether the terminal can show the Unicode glyphs (UTF-8 locale and not `--ascii`).
  var supportsUnicode: Bool { get }
  /// Waits up to `timeoutMilliseconds` for a key; nil when none arrived.
  func readKey(timeoutMilliseconds: Int32) -> Key?
  /// Shows `grid`, writing only the cells that changed since the last frame.
  func present(_ grid: Grid)
  /// Restores the terminal (idempotent).
  func stop()
}
