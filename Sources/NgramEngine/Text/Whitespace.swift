/// The whitespace set of Python's `str.split()` / `str.isspace()`, recognised directly in UTF-8.
enum PythonWhitespace {
  /// The length in bytes of the whitespace character starting at `i`, or 0 if there is none.
  ///
  /// The bytes must already be valid UTF-8. The set is U+0009–U+000D, U+001C–U+0020, U+0085,
  /// U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F and U+3000.
  @inline(__always)
  static func length(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let b = p[i]
    if b < 0x80 {
      return (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x20) ? 1 : 0
    }
    switch b {
    case 0xC2:
      let b1 = p[i + 1]
      return b1 == 0x85 || b1 == 0xA0 ? 2 : 0
    case 0xE1:
      return p[i + 1] == 0x9A && p[i + 2] == 0x80 ? 3 : 0
    case 0xE2:
      let b1 = p[i + 1]
      let b2 = p[i + 2]
      if b1 == 0x80 {
        return (b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF ? 3 : 0
      }
      return b1 == 0x81 && b2 == 0x9F ? 3 : 0
    case 0xE3:
      return p[i + 1] == 0x80 && p[i + 2] == 0x80 ? 3 : 0
    default:
      return 0
    }
  }

  /// Whether the scalar is in Python's whitespace set.
  static func contains(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F,
      0x205F, 0x3000:
      return true
    default:
      return false
    }
  }

  /// Whether the scalar ends a line for Python's `str.splitlines()`.
  static func isLineBoundary(_ s: UInt32) -> Bool {
    switch s {
    case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
    default: return false
    }
  }
}

extension Unicode.Scalar {
  /// Whether the scalar is whitespace to Python's `str.split()` (the corpus tokenizer's rule).
  public var isPythonWhitespace: Bool { PythonWhitespace.contains(self) }
}

extension String {
  /// Splits like Python's `str.split()` with no arguments (the corpus tokenizer's rule).
  public func pythonSplit() -> [String] {
    var out: [String] = []
    var cur = String.UnicodeScalarView()
    for s in unicodeScalars {
      if PythonWhitespace.contains(s) {
        if !cur.isEmpty { out.append(String(cur)); cur = String.UnicodeScalarView() }
      } else {
        cur.append(s)
      }
    }
    if !cur.isEmpty { out.append(String(cur)) }
    return out
  }
}
