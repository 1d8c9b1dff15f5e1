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
        ("Tab", "complete the typed word (after a space: next screen)"),
        ("Left/Right Home End", "move; Backspace, Delete and Ctrl-U edit"),
        ("Esc", "leave the prompt (then q quits; Enter or / return)"),
        ("+ / -", "more / fewer predictions (when the prompt is empty)"),
      ]
    ),
    (
      "Generate",
      [
        ("Space", "one step: greedy argmax (or a sample in sampling mode)"),
        ("Backspace", "undo the last step"),
        ("c", "restart from the start window"),
        ("m  [  ]  r", "sampling on/off; temperature -/+ 0.1; new seed+restart"),
        ("+ / -", "more / fewer bars"),
      ]
    ),
  ]

  /// Draws into `r`; returns the footer's key hints.
  static func draw(_ state: AppState, in r: Rect, into g: inout Grid) -> String {
    var y = r.y
    let keyWidth = 22
    let lines = sections.reduce(0) { $0 + 1 + $1.1.count }
    let spaced = r.height >= lines + sections.count
    for (title, rows) in sections {
      if y >= r.bottom { break }
      g.put(title, x: r.x, y: y, style: .heading)
      y += 1
      for (k, what) in rows where y < r.bottom {
        g.put(k, x: r.x + 2, y: y, style: .highlight)
        g.put(what, x: r.x + 2 + keyWidth, y: y, maxWidth: r.width - keyWidth - 2)
        y += 1
      }
      if spaced { y += 1 }
    }
    return "Esc or ? back  Tab next screen  q quit"
  }
}
