import Glibc

/// CSV helpers shared by the writers and readers.
enum CSV {
  /// A field as Python's csv module writes it: quoted when it holds `,` `"` `\r` or `\n`.
  static func quoted(_ s: String) -> String {
    var out: [UInt8] = []
    appendQuoted(s, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Appends `s` with minimal quoting, without building intermediate strings.
  static func appendQuoted(_ s: String, to buffer: inout [UInt8]) {
    var s = s
    s.withUTF8 { u in appendQuoted(bytes: u, to: &buffer) }
  }

  /// Appends the UTF-8 text `u` with minimal quoting.
  static func appendQuoted(bytes u: UnsafeBufferPointer<UInt8>, to buffer: inout [UInt8]) {
    var needs = false
    for b in u where b == 0x2C || b == 0x22 || b == 0x0D || b == 0x0A {
      needs = true
      break
    }
    if !needs {
      buffer.append(contentsOf: u)
      return
    }
    buffer.append(0x22)
    for b in u {
      if b == 0x22 { buffer.append(0x22) }
      buffer.append(b)
    }
    buffer.append(0x22)
  }

  /// `0` for ±0, else the value with exactly four decimals (correctly rounded, like Python).
  /// How weights are written: the context-2 reference (and unigram/bigram) write `0` or `%.4f`;
  /// the context-3 reference (train-400) writes every weight with `%.8f`.
  enum WeightStyle {
    case zeroOrFourDecimals
    case eightDecimals

    static func forContextLength(_ n: Int) -> WeightStyle { n == 3 ? .eightDecimals : .zeroOrFourDecimals }
  }

  /// Appends a weight in the given style.
  static func appendWeight(_ v: Double, style: WeightStyle, to buffer: inout [UInt8]) {
    switch style {
    case .zeroOrFourDecimals: appendWeight(v, to: &buffer)
    case .eightDecimals: appendFixed(v, decimals: 8, to: &buffer)
    }
  }

  static func appendWeight(_ v: Double, to buffer: inout [UInt8]) {
    if v == 0 {
      buffer.append(0x30)
      return
    }
    appendFixed4(v, to: &buffer)
  }

  /// The integers `m` and `e` with `a == m * 2^e` exactly, for a finite `a >= 0` (subnormals
  /// included).
  @inline(__always)
  static func exactBinary(_ a: Double) -> (m: UInt64, e: Int) {
    let bits = a.bitPattern
    let expBits = Int((bits >> 52) & 0x7FF)
    let m = bits & ((1 << 52) - 1)
    return expBits == 0 ? (m, -1074) : (m | 1 << 52, expBits - 1075)
  }

  /// `%.4f` of a non-zero value, correctly rounded from its exact binary value (ties to even),
  /// as glibc's printf and Python's format do; computed with integers instead of a varargs call.
  static func appendFixed4(_ v: Double, to buffer: inout [UInt8]) {
    let a = abs(v)
    guard a < 1e14, v.isFinite else {
      appendFixed(v, decimals: 4, to: &buffer)
      return
    }
    let (m, e) = exactBinary(a)
    let num = UInt128(m) * 10000
    var q: UInt128
    if e >= 0 {
      q = num << e
    } else if -e >= 127 {
      q = 0
    } else {
      let s = -e
      q = num >> s
      let rem = num - (q << s)
      let half = UInt128(1) << (s - 1)
      if rem > half || (rem == half && q & 1 == 1) { q += 1 }
    }
    if v < 0 { buffer.append(0x2D) }
    let intPart = UInt64(q / 10000)
    let frac = Int(q % 10000)
    if intPart == 0 {
      buffer.append(0x30)
    } else {
      var digits: [UInt8] = []
      var x = intPart
      while x > 0 {
        digits.append(UInt8(0x30 + x % 10))
        x /= 10
      }
      buffer.append(contentsOf: digits.reversed())
    }
    buffer.append(0x2E)
    buffer.append(UInt8(0x30 + frac / 1000))
    buffer.append(UInt8(0x30 + frac / 100 % 10))
    buffer.append(UInt8(0x30 + frac / 10 % 10))
    buffer.append(UInt8(0x30 + frac % 10))
  }

  /// `%.{decimals}f` of `v`: exact integer arithmetic for |v| < 1e9 and up to 9 decimals (the
  /// training log, context-3 weights), the C library's printf otherwise.
  static func appendFixed(_ v: Double, decimals: Int32, to buffer: inout [UInt8]) {
    if appendFixedExact(v, decimals: Int(decimals), to: &buffer) { return }
    var tmp = [CChar](repeating: 0, count: 350)
    let n = withVaList([decimals, v]) { vsnprintf(&tmp, 350, "%.*f", $0) }
    tmp.withUnsafeBytes { buffer.append(contentsOf: $0.prefix(Int(n))) }
  }

  /// `%.{decimals}f` of a finite `v` with |v| < 1e9 and at most 9 decimals, correctly rounded
  /// from its exact binary value (ties to even) as glibc's printf does, without a varargs call;
  /// returns false (appending nothing) for other values.
  static func appendFixedExact(_ v: Double, decimals d: Int, to buffer: inout [UInt8]) -> Bool {
    // At most a sign, 9 integer digits, the point and 9 decimals.
    var room: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    return withUnsafeMutableBytes(of: &room) { r in
      let start = r.baseAddress!.assumingMemoryBound(to: UInt8.self)
      var c = ByteCursor(start)
      guard putFixedExact(v, decimals: d, to: &c) else { return false }
      buffer.append(contentsOf: UnsafeBufferPointer(start: start, count: c.p - start))
      return true
    }
  }

  /// `appendFixedExact` through a cursor (at most 20 bytes).
  @inline(__always)
  static func putFixedExact(_ v: Double, decimals d: Int, to c: inout ByteCursor) -> Bool {
    let a = abs(v)
    guard d >= 0, d <= 9, a < 1e9 else { return false }  // also false for NaN
    let (m, e) = exactBinary(a)
    var scale: UInt64 = 1
    for _ in 0..<d { scale &*= 10 }
    // a < 2^30, so e <= -23: the value is m * 10^d / 2^-e, rounded half to even.
    let s = -e
    var q: UInt64
    if s >= 127 {
      q = 0
    } else if s < 64 && m.multipliedFullWidth(by: scale).high == 0 {
      // The product fits 64 bits (always for d <= 3; for larger d when m is small enough).
      let num = m &* scale
      let qq = num >> UInt64(s)
      let rem = num &- (qq << UInt64(s))
      let half: UInt64 = 1 << UInt64(s - 1)
      q = qq
      if rem > half || (rem == half && q & 1 == 1) { q += 1 }
    } else {
      let num = UInt128(m) * UInt128(scale)
      let qq = num >> s
      let rem = num - (qq << s)
      let half = UInt128(1) << (s - 1)
      q = UInt64(qq)
      if rem > half || (rem == half && q & 1 == 1) { q += 1 }
    }
    if v.sign == .minus { c.put(0x2D) }
    c.put(unsigned: q / scale)
    if d > 0 {
      var frac = q % scale
      c.put(0x2E)
      var j = d
      while j > 0 {
        j -= 1
        c.p[j] = UInt8(0x30 &+ frac % 10)
        frac /= 10
      }
      c.p += d
    }
    return true
  }

  static func fixed(_ v: Double, decimals: Int32) -> String {
    var b: [UInt8] = []
    appendFixed(v, decimals: decimals, to: &b)
    return String(decoding: b, as: UTF8.self)
  }

  /// Splits one CSV record (without its line ending) into fields, undoing minimal quoting.
  static func fields(_ line: ArraySlice<UInt8>) -> [String]? {
    var out: [String] = []
    var i = line.startIndex
    let end = line.endIndex
    while true {
      if i < end && line[i] == 0x22 {
        var field: [UInt8] = []
        i += 1
        while true {
          guard i < end else { return nil }
          if line[i] == 0x22 {
            if i + 1 < end && line[i + 1] == 0x22 {
              field.append(0x22)
              i += 2
              continue
            }
            i += 1
            break
          }
          field.append(line[i])
          i += 1
        }
        out.append(String(decoding: field, as: UTF8.self))
        if i == end { return out }
        guard line[i] == 0x2C else { return nil }
        i += 1
      } else {
        var j = i
        while j < end && line[j] != 0x2C { j += 1 }
        out.append(String(decoding: line[i..<j], as: UTF8.self))
        if j == end { return out }
        i = j + 1
      }
    }
  }
}
