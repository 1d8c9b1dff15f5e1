/// The Help screen: every key on one page.
enum HelpView {
  /// The key table: (section, [(keys, what they do)]).
  static let sections: [(String, [(String, String)])] = [
    (
      "Everywhere",
      [
        ("Tab / Shift-Tab", "next / previous screen: Train, Explore, Generate"),
        ("? or F1", "this help (again, or Esc, to go back)"),
        ("q", "quit (when not typing in the prompt)"),
        ("Ctrl-C", "quit at once, from anywhere"),
      ]
    ),
    (
      "Train",
      [
        ("Space", "pause / resume training (and the replay)"),
        ("n", "while paused: run (or show) one more epoch"),
        ("s", "skip the paced replay: show every finished epoch now"),
      ]
    ),
    (
      "Explore (prompt)",
      [
        ("Enter", "predict the next token after the last n tokens typed"),
        ("Up / Down", "previous / next entry of the history"),
        ("Tab", "complete the word being typed (no partial word: next screen)"),
        ("Left Right Home End", "move in the prompt; Backspace, Delete, Ctrl-U edit"),
        ("Esc", "leave the prompt (then q quits; Enter or / comes back)"),
        ("+ / -", "more / fewer predictions (when the prompt is empty)"),
      ]
    ),
    (
      "Generate",
      [
        ("Space", "one step: greedy argmax (or a sample in sampling mode)"),
        ("Backspace", "undo the last step"),
        ("c", "restart from the start window"),
        ("m", "switch greedy / sampling;  [ ] temperature -/+ 0.1;  r new seed"),
        ("+ / -", "more / fewer bars"),
      ]
    ),
  ]

  /// Draws into `r`; returns the footer's key hints.
  static func draw(_ state: AppState, in r: Rect, into g: inout Grid) -> String {
    var y = r.y
    g.put("Keys", x: r.x, y: y, style: .heading)
    y += 1
    let keyWidth = 22
    for (title, rows) in sections {
      if y >= r.bottom { break }
      y += 1
      g.put(title, x: r.x, y: y, style: .heading)
      y += 1
      for (k, what) in rows where y < r.bottom {
        g.put(k, x: r.x + 2, y: y, style: .highlight)
        g.put(what, x: r.x + 2 + keyWidth, y: y, maxWidth: r.width - keyWidth - 2)
        y += 1
      }
    }
    return "Esc or ? back  Tab next screen  q quit"
  }
}
