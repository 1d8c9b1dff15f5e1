/// Strict UTF-8 validation with the same rules as Python's `bytes.decode("utf-8")`.
enum UTF8Validation {
  /// Returns the byte offset of the first invalid sequence, or `nil` when all bytes are valid.
  ///
  /// Overlong forms, surrogates (U+D800–U+DFFF) and values above U+10FFFF are rejected.
  static func firstInvalidOffset(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
    let n = p.count
    var i = 0
    while i < n {
      // ASCII fast path, eight bytes at a time.
      while i + 8 <= n {
        let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
        if word & 0x8080_8080_8080_8080 != 0 { break }
        i += 8
      }
      if i >= n { break }
      let b = p[i]
      if b < 0x80 { i += 1; continue }
      @inline(__always) func cont(_ j: Int) -> Bool { j < n && p[j] & 0xC0 == 0x80 }
      if b < 0xC2 { return i }
      if b < 0xE0 {
        if !cont(i + 1) { return i }
        i += 2
      } else if b < 0xF0 {
        guard i + 1 < n else { return i }
        let b1 = p[i + 1]
        let ok1: Bool
        switch b {
        case 0xE0: ok1 = b1 >= 0xA0 && b1 <= 0xBF
        case 0xED: ok1 = b1 >= 0x80 && b1 <= 0x9F
        default: ok1 = b1 & 0xC0 == 0x80
        }
        if !ok1 || !cont(i + 2) { return i }
        i += 3
      } else if b < 0xF5 {
        guard i + 1 < n else { return i }
        let b1 = p[i + 1]
        let ok1: Bool
        switch b {
        case 0xF0: ok1 = b1 >= 0x90 && b1 <= 0xBF
        case 0xF4: ok1 = b1 >= 0x80 && b1 <= 0x8F
        default: ok1 = b1 & 0xC0 == 0x80
        }
        if !ok1 || !cont(i + 2) || !cont(i + 3) { return i }
        i += 4
      } else {
        return i
      }
    }
    return nil
  }
}
