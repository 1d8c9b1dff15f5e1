/// A model that can be written as an ARPA back-off file: its tokens, its highest order, and its
/// n-grams order by order. ``ARPAWriter`` turns one into the text KenLM, SRILM and ngram-tui read.
///
/// The n-grams must be what the back-off rule needs: every token as a 1-gram (including `<s>`,
/// `</s>` and `<unk>`, which KenLM expects), and the context (first n − 1 words) of every
/// n-gram as an (n − 1)-gram; the back-off weight of a context is what a word it does not list
/// gets added to the next-shorter context's answer. Suffixes may be missing (KenLM and
/// ngram-tui back off through them).
public protocol ARPASource {
  /// Tokens by id, as written (no spaces, tabs or line breaks; each once).
  var arpaTokens: [String] { get }
  /// The highest n-gram order, 1–6.
  var arpaOrder: Int { get }
  /// Calls `body` with every n-gram of order `n` (1…``arpaOrder``): its token ids, oldest
  /// first; its log10 probability (−∞ for 0); its log10 back-off weight (0 for none; ignored
  /// at the highest order).
  func forEachARPANgram(
    order n: Int, _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void
  ) rethrows
}

/// Writes ARPA files: the `\data\` header with each order's count, one `\n-grams:` section per
/// order (log10 probability, tab, the words separated by spaces, tab, back-off weight), `\end\`.
///
/// Numbers are written as the shortest decimal that reads back as the same 32-bit float (KenLM
/// stores 32-bit floats, so a reader gets exactly the value the model would), −∞ as `-inf`.
public enum ARPAWriter {
  /// The ARPA text of `source`.
  ///
  /// Throws ``NgramError/invalidOption(_:)`` when a token cannot be written in ARPA (empty, or
  /// containing a space, tab or line break), is listed twice, or an id is out of range.
  public static func render(_ source: some ARPASource) throws -> [UInt8] {
    let order = source.arpaOrder
    guard (1...ARPAReader.maximumOrder).contains(order) else {
      throw NgramError.invalidOption("cannot write an ARPA file of order \(order): orders 1–\(ARPAReader.maximumOrder)")
    }
    let tokens = source.arpaTokens
    var seen = Set<[UInt8]>()  // bytes: é and e + U+0301 are different words
    let utf8: [[UInt8]] = try tokens.map { t in
      let b = Array(t.utf8)
      if b.isEmpty || b.contains(where: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) {
        throw NgramError.invalidOption(
          "the token '\(TerminalText.escape(t))' cannot be written in an ARPA file (it is empty or contains a space, tab or line break)"
        )
      }
      guard seen.insert(b).inserted else {
        throw NgramError.invalidOption("the token '\(TerminalText.escape(t))' appears twice; ARPA words must be unique")
      }
      return b
    }
    var sections: [[UInt8]] = []
    var counts: [Int] = []
    for n in 1...order {
      var text: [UInt8] = Array("\n\\\(n)-grams:\n".utf8)
      var count = 0
      try source.forEachARPANgram(order: n) { ids, p, bo in
        guard ids.count == n else {
          throw NgramError.invalidOption("an n-gram of order \(n) has \(ids.count) tokens")
        }
        guard !p.isNaN && p <= 0 && !bo.isNaN && bo != .infinity && bo != -.infinity else {
          throw NgramError.invalidOption(
            "cannot write the \(n)-gram '\(ids.map { $0 >= 0 && $0 < tokens.count ? tokens[$0] : "#\($0)" }.joined(separator: " "))': log10 probability \(p), back-off \(bo)"
          )
        }
        appendNumber(p, to: &text)
        text.append(0x09)
        for (j, id) in ids.enumerated() {
          guard id >= 0 && id < utf8.count else {
            throw NgramError.invalidOption("token id \(id) is outside the \(utf8.count) tokens")
          }
          if j > 0 { text.append(0x20) }
          text.append(contentsOf: utf8[id])
        }
        if n < order {
          text.append(0x09)
          appendNumber(bo, to: &text)
        }
        text.append(0x0A)
        count += 1
      }
      sections.append(text)
      counts.append(count)
    }
    var out: [UInt8] = Array("\\data\\\n".utf8)
    for (i, c) in counts.enumerated() { out.append(contentsOf: "ngram \(i + 1)=\(c)\n".utf8) }
    for s in sections { out.append(contentsOf: s) }
    out.append(contentsOf: "\n\\end\\\n".utf8)
    return out
  }

  /// Writes `source` to `path` as ARPA text, gzip-compressed when `path` ends in `.gz`.
  public static func write(_ source: some ARPASource, to path: String) throws {
    try ARPAFile.write(render(source), to: path)
  }

  static func appendNumber(_ x: Double, to out: inout [UInt8]) {
    if x == -.infinity {
      out.append(contentsOf: "-inf".utf8)
      return
    }
    let f = Float(x)
    if f == 0 {
      out.append(0x30)
      return
    }
    var s = f.description
    if s.hasSuffix(".0") { s.removeLast(2) }
    out.append(contentsOf: s.utf8)
  }
}
