/// A key press, as the state machine sees it (the terminal driver translates raw codes).
enum Key: Equatable, Sendable {
  /// A printable character.
  case char(Character)
  /// Enter / Return.
  case enter
  /// Tab.
  case tab
  /// Shift-Tab.
  case backTab
  /// Backspace.
  case backspace
  /// Delete (forward).
  case delete
  /// Escape.
  case escape
  /// Arrow keys.
  case up, down, left, right
  /// Home and End.
  case home, end
  /// Page Up and Page Down.
  case pageUp, pageDown
  /// F1 (help).
  case f1
  /// F2 (save the screen as text).
  case f2
  /// Ctrl-C: always quits.
  case ctrlC
  /// Ctrl-U: clears the prompt.
  case ctrlU
  /// The terminal was resized.
  case resize
  /// The terminal starts / ends a paste (bracketed paste): the keys between are text, never
  /// commands (`AppState.handle`).
  case pasteBegin, pasteEnd
}
