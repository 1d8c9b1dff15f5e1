import NgramEngine
import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Typed text split the way the corpus is split (the engine's rule, Python's `str.split()`).
enum Tokens {
  /// Whether `s` is one of the whitespace scalars Python's `str.split()` splits on.
  static func isSeparator(_ s: Unicode.Scalar) -> Bool { s.isPythonWhitespace }

  /// Splits `text` on Python's whitespace, keeping every other scalar exactly as typed.
  static func split(_ text: String) -> [String] { text.pythonSplit() }
}

/// Number formatting shared by the views.
enum Format {
  /// `value` with `decimals` decimals (C `printf` rounding, like the CLI).
  static func fixed(_ value: Double, _ decimals: Int) -> String {
    NgramEngine.fixed(value, decimals)
  }

  /// `fields` on one line of at most `width` columns: joined by the first of `separators`
  /// that makes them fit, else by the last one and cut with `…` (never silently, so a cut
  /// `holdout 10.0%` cannot read as `holdout 1`).
  static func fields(_ fields: [String], width: Int, separators: [String] = ["   ", "  ", " "]) -> String {
    var line = ""
    for sep in separators {
      line = fields.filter { !$0.isEmpty }.joined(separator: sep)
      if DisplayWidth.of(line) <= width { return line }
    }
    return DisplayWidth.truncate(line, to: width)
  }

  /// A probability as a percentage with one decimal: `40.0%`.
  static func percent(_ p: Double) -> String { fixed(p * 100, 1) + "%" }

  /// A count with thousands separators: `12,345`.
  static func count(_ n: Int) -> String {
    let s = String(n.magnitude)
    var out = ""
    for (i, ch) in s.enumerated() {
      if i > 0 && (s.count - i) % 3 == 0 { out.append(",") }
      out.append(ch)
    }
    return (n < 0 ? "-" : "") + out
  }

  /// A duration for humans: `0.42 s`, `12 s`, `3 min 05 s`.
  static func duration(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0 else { return "--" }
    if seconds < 10 { return fixed(seconds, 2) + " s" }
    if seconds < 60 { return fixed(seconds, 0) + " s" }
    let m = Int(seconds) / 60
    let s = Int(seconds) % 60
    return "\(m) min \(s < 10 ? "0" : "")\(s) s"
  }

  /// A rate: `1,234,567 pairs/s`.
  static func rate(_ perSecond: Double) -> String {
    guard perSecond.isFinite, perSecond > 0 else { return "--" }
    return count(Int(perSecond.rounded()))
  }
}

/// Quoting for the command lines the views suggest.
enum Shell {
  /// `s` as one POSIX shell word: unchanged when plain, else single-quoted.
  static func quote(_ s: String) -> String {
    let plain =
      !s.isEmpty
      && s.unicodeScalars.allSatisfy { u in
        (u.value >= 0x30 && u.value <= 0x39) || (u.value >= 0x41 && u.value <= 0x5A)
          || (u.value >= 0x61 && u.value <= 0x7A) || "._-/+:,=@%".unicodeScalars.contains(u) || u.value >= 0x80
      }
    return plain ? s : "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
  }
}

/// Writes `text` to standard error, unbuffered.
public func writeStandardError(_ text: String) {
  var bytes = Array(text.utf8)
  var done = 0
  while done < bytes.count {
    let n = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress! + done, $0.count - done) }
    if n <= 0 { break }
    done += n
  }
}
