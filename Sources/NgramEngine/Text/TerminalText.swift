/// Text made safe to print on a terminal: no byte of it can start an escape sequence.
///
/// Tokens, file names and arguments come from data and may hold ESC, BEL, CSI (U+009B) and
/// other control characters that would let a corpus retitle or clear the user's terminal.
/// Every text line the command line prints passes through ``escape(_:)`` first.
public enum TerminalText {
  /// Whether `u` is a control character: C0 (U+0000–U+001F), DEL (U+007F) or C1 (U+0080–U+009F).
  public static func isControl(_ u: Unicode.Scalar) -> Bool {
    u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F)
  }

  /// `s` with every control character shown visibly: ESC as `\e`, tab, newline and carriage
  /// return as `\t`, `\n`, `\r`, every other one as `\u{XX}` (Swift's notation, hex digits in
  /// upper case: `\u{9B}`, `\u{7F}`, `\u{07}`). Everything else is kept as is, so text without
  /// control characters is returned unchanged.
  public static func escape(_ s: String) -> String {
    guard s.unicodeScalars.contains(where: isControl) else { return s }
    var out = String.UnicodeScalarView()
    for u in s.unicodeScalars {
      guard isControl(u) else {
        out.append(u)
        continue
      }
      let text: String
      switch u.value {
      case 0x1B: text = "\\e"
      case 0x09: text = "\\t"
      case 0x0A: text = "\\n"
      case 0x0D: text = "\\r"
      default:
        let hex = String(u.value, radix: 16, uppercase: true)
        text = "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
      }
      out.append(contentsOf: text.unicodeScalars)
    }
    return String(out)
  }
}
