/// The Help screen: every key on one page.
enum HelpView {
  /// The key table: (section, [(keys, what they do)]).
  static let sections: [(String, [(String, String)])] = [
    (
      "Everywhere",
      [
        ("Tab / Shift-Tab", "next / previous: Train, Explore, Generate, Compare"),
        ("? or F1", "this help (again, or Esc, to go back)"),
        ("q / Ctrl-C", "quit (q: not while typing; Ctrl-C: from anywhere)"),
      ]
    ),
    (
      "Train",
      [
        ("Space / n", "pause/resume / while paused: run one more epoch"),
        ("s", "skip the paced replay: show every finished epoch now"),
      ]
    ),
    (
      "Explore and Compare (one shared prompt)",
      [
        ("Enter", "predict from the last n tokens (Compare: n = 1, 2, 3)"),
        ("Up/Down  Tab", "history; complete a word (after a space: next screen)"),
        ("Left/Right Home End", "move; Backspace, Delete and Ctrl-U edit"),
        ("Esc", "leave the prompt (then q quits; Enter or / return)"),
        ("+ / -", "more / fewer predictions (when the prompt is empty)"),
        ("< >  PgUp PgDn", "bars back/forward one epoch / a tenth of the epochs"),
        ("Home End Left Right", "prompt empty: epoch 0 / trained model / one epoch"),
      ]
    ),
    (
      "Generate",
      [
        ("Space", "one step: greedy argmax (or a sample in sampling mode)"),
        ("Backspace / c", "undo the last step / restart from the start window"),
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
