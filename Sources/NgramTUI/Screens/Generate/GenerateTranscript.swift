import NgramEngine

extension GenerateState {
  /// The steps so far as Markdown: the start, the mode, then per step the context window, the
  /// top k and the token chosen, and the whole text.
  func transcript(tokens: [String], info: SessionInfo, topK: Int) -> String {
    func md(_ s: String) -> String {
      var out = ""
      for ch in TerminalText.escape(s) {
        if "|\\`*_[]<>#".contains(ch) { out.append("\\") }
        out.append(ch)
      }
      return out
    }
    func words(_ ids: [Int]) -> String {
      ids.isEmpty ? "(no context)" : ids.map { md(tokens[$0]) }.joined(separator: " ")
    }
    var out = ["# ngram-tui generation transcript", ""]
    out.append(
      "- corpus: \(md(info.corpusName)), context length \(info.contextLength), \(info.epochs) epochs, learning rate \(info.learningRate)"
    )
    out.append("- start: \(words(start ?? [])) (\(md(origin)))")
    let sampled = steps.contains { $0.sampled }
    out.append(
      "- decoding: "
        + (sampled
          ? "sampling (seed \(seed); each step's temperature below)" : "greedy (the most probable token each step)"))
    out.append("")
    out.append("| step | context | top \(topK) | chosen |")
    out.append("|---:|---|---|---|")
    for (i, s) in steps.enumerated() {
      let top = s.distribution.top(topK).map { "\(md(tokens[$0.id])) \(fixed(100 * $0.probability, 1))%" }
        .joined(separator: ", ")
      let how = s.sampled ? "sampled, T = \(fixed(s.temperature, 1))" : "greedy"
      out.append(
        "| \(i + 1) | \(words(s.window)) | \(top) | **\(md(tokens[s.chosen]))** \(fixed(100 * s.distribution.probability(of: s.chosen), 1))% (\(how)) |"
      )
    }
    out.append("")
    out.append("Text: " + ids.map { md(tokens[$0]) }.joined(separator: " "))
    return out.joined(separator: "\n") + "\n"
  }
}
