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
    s.withUTF8 { u in
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

  /// `%.4f` of a non-zero value, correctly rounded from its exact binary value (ties to even),
  /// as glibc's printf and Python's format do; computed with integers instead of a varargs call.
  static func appendFixed4(_ v: Double, to buffer: inout [UInt8]) {
    let a = abs(v)
    guard a < 1e14, v.isFinite else {
      appendFixed(v, decimals: 4, to: &buffer)
      return
    }
    let bits = a.bitPattern
    let expBits = Int((bits >> 52) & 0x7FF)
    var m = bits & ((1 << 52) - 1)
    let e: Int
    if expBits == 0 {
      e = -1074
    } else {
      m |= 1 << 52
      e = expBits - 1075
    }
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

  static func appendFixed(_ v: Double, decimals: Int32, to buffer: inout [UInt8]) {
    var tmp = [CChar](repeating: 0, count: 350)
    let n = withVaList([decimals, v]) { vsnprintf(&tmp, 350, "%.*f", $0) }
    tmp.withUnsafeBytes { buffer.append(contentsOf: $0.prefix(Int(n))) }
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
