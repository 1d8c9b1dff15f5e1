/// A JSON value with ordered objects, written the way Python's `json.dumps` writes it.
public indirect enum JSONValue: Equatable, Sendable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object([(String, JSONValue)])

  /// Structural equality; strings compare by exact scalars, objects by members in order.
  public static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.null, .null): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.double(let x), .double(let y)): return x == y
    case (.string(let x), .string(let y)): return x.unicodeScalars.elementsEqual(y.unicodeScalars)
    case (.array(let x), .array(let y)): return x == y
    case (.object(let x), .object(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
    default: return false
    }
  }

  /// The member `key` of an object.
  public subscript(key: String) -> JSONValue? {
    if case .object(let members) = self {
      for (k, v) in members where k.unicodeScalars.elementsEqual(key.unicodeScalars) { return v }
    }
    return nil
  }

  /// Renders like `json.dumps(value, indent: indent, sort_keys: sortKeys, ensure_ascii: asciiOnly)`.
  public func rendered(indent: Int? = 2, sortKeys: Bool = true, asciiOnly: Bool = true) -> String {
    var out = ""
    write(into: &out, level: 0, indent: indent, sortKeys: sortKeys, asciiOnly: asciiOnly)
    return out
  }

  private func write(into out: inout String, level: Int, indent: Int?, sortKeys: Bool, asciiOnly: Bool) {
    func newline(_ l: Int) {
      if let indent {
        out += "\n"
        out += String(repeating: " ", count: indent * l)
      }
    }
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .int(let i): out += String(i)
    case .double(let d): out += d.isFinite ? PythonFloat.repr(d) : "null"
    case .string(let s): JSONValue.quote(s, into: &out, asciiOnly: asciiOnly)
    case .array(let items):
      if items.isEmpty { out += "[]"; return }
      out += "["
      for (i, item) in items.enumerated() {
        if i > 0 { out += indent == nil ? ", " : "," }
        newline(level + 1)
        item.write(into: &out, level: level + 1, indent: indent, sortKeys: sortKeys, asciiOnly: asciiOnly)
      }
      newline(level)
      out += "]"
    case .object(let members):
      if members.isEmpty { out += "{}"; return }
      let ordered =
        sortKeys
        ? members.sorted {
          Array($0.0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.0.unicodeScalars.map(\.value))
        } : members
      out += "{"
      for (i, (k, v)) in ordered.enumerated() {
        if i > 0 { out += indent == nil ? ", " : "," }
        newline(level + 1)
        JSONValue.quote(k, into: &out, asciiOnly: asciiOnly)
        out += ": "
        v.write(into: &out, level: level + 1, indent: indent, sortKeys: sortKeys, asciiOnly: asciiOnly)
      }
      newline(level)
      out += "}"
    }
  }

  static func quote(_ s: String, into out: inout String, asciiOnly: Bool) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      default:
        // DEL and C1 are escaped even when non-ASCII text is kept, so printed JSON cannot drive
        // a terminal; `json.dumps` with ensure_ascii (the artifacts) escapes them anyway.
        if u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) || (asciiOnly && u.value > 0x7E) {
          if u.value > 0xFFFF {
            let v = u.value - 0x10000
            out += hex4(0xD800 + (v >> 10))
            out += hex4(0xDC00 + (v & 0x3FF))
          } else {
            out += hex4(u.value)
          }
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    out += "\""
  }

  static func hex4(_ v: UInt32) -> String {
    let h = String(v, radix: 16)
    return "\\u" + String(repeating: "0", count: 4 - h.count) + h
  }
}

/// Python's `repr(float)`: the shortest round-trip digits, fixed notation for 1e-4 ≤ |x| < 1e16.
enum PythonFloat {
  static func repr(_ x: Double) -> String {
    if x.isNaN { return "nan" }
    if x.isInfinite { return x < 0 ? "-inf" : "inf" }
    if x == 0 { return x.sign == .minus ? "-0.0" : "0.0" }
    // Swift's description is also the shortest round-trip form; take its digits and exponent.
    var s = "\(abs(x))"
    var exp10 = 0
    if let e = s.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      exp10 = Int(s[s.index(after: e)...])!
      s = String(s[..<e])
    }
    var intPart = s
    var frac = ""
    if let dot = s.firstIndex(of: ".") {
      intPart = String(s[..<dot])
      frac = String(s[s.index(after: dot)...])
    }
    var digits = intPart + frac
    var point = intPart.count + exp10  // position of the decimal point within `digits`
    while digits.hasPrefix("0") && digits.count > 1 {
      digits.removeFirst()
      point -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    let sci = point - 1  // exponent of the first digit
    var out = x < 0 ? "-" : ""
    if sci >= -4 && sci < 16 {
      if point <= 0 {
        out += "0." + String(repeating: "0", count: -point) + digits
      } else if point >= digits.count {
        out += digits + String(repeating: "0", count: point - digits.count) + ".0"
      } else {
        let i = digits.index(digits.startIndex, offsetBy: point)
        out += digits[..<i] + "." + digits[i...]
      }
    } else {
      out += String(digits.first!)
      if digits.count > 1 { out += "." + digits.dropFirst() }
      out += "e" + (sci < 0 ? "-" : "+")
      let e = String(abs(sci))
      out += (e.count < 2 ? "0" : "") + e
    }
    return out
  }
}

/// A small JSON parser that reports the line of the first error.
///
/// Nesting deeper than `maxDepth` is an error rather than a stack overflow.
struct JSONParser {
  let bytes: [UInt8]
  var i = 0
  var line = 1
  var depth = 0
  var maxDepth = JSONParser.defaultMaxDepth

  /// Deep enough for any meta the programs write (three levels), far from the stack's limit.
  static let defaultMaxDepth = 64

  struct Failure: Error {
    let line: Int
    let reason: String
  }

  static func parse(_ text: [UInt8], maxDepth: Int = defaultMaxDepth) throws(Failure) -> JSONValue {
    var p = JSONParser(bytes: text, maxDepth: maxDepth)
    p.skip()
    let v = try p.value()
    p.skip()
    if p.i < p.bytes.count { throw Failure(line: p.line, reason: "unexpected text after the JSON value") }
    return v
  }

  mutating func skip() {
    while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) {
      if bytes[i] == 0x0A { line += 1 }
      i += 1
    }
  }

  mutating func fail(_ why: String) -> Failure { Failure(line: line, reason: why) }

  mutating func value() throws(Failure) -> JSONValue {
    guard i < bytes.count else { throw fail("unexpected end of file (truncated JSON)") }
    guard bytes[i] == UInt8(ascii: "{") || bytes[i] == UInt8(ascii: "[") else { return try element() }
    guard depth < maxDepth else { throw fail("JSON nested deeper than \(maxDepth) levels") }
    depth += 1
    defer { depth -= 1 }
    return try element()
  }

  /// One value at `i`, which is in bounds; containers recurse through `value()`.
  mutating func element() throws(Failure) -> JSONValue {
    switch bytes[i] {
    case UInt8(ascii: "{"):
      i += 1
      var members: [(String, JSONValue)] = []
      skip()
      if i < bytes.count && bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
      while true {
        skip()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
        let k = try string()
        skip()
        guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
        i += 1
        skip()
        members.append((k, try value()))
        skip()
        guard i < bytes.count else { throw fail("unexpected end of file (truncated JSON)") }
        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        throw fail("expected ',' or '}'")
      }
    case UInt8(ascii: "["):
      i += 1
      var items: [JSONValue] = []
      skip()
      if i < bytes.count && bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
      while true {
        skip()
        items.append(try value())
        skip()
        guard i < bytes.count else { throw fail("unexpected end of file (truncated JSON)") }
        if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        throw fail("expected ',' or ']'")
      }
    case UInt8(ascii: "\""):
      return .string(try string())
    case UInt8(ascii: "t"): return try literal("true", .bool(true))
    case UInt8(ascii: "f"): return try literal("false", .bool(false))
    case UInt8(ascii: "n"): return try literal("null", .null)
    default:
      let s = i
      while i < bytes.count, "+-0123456789.eE".utf8.contains(bytes[i]) { i += 1 }
      let text = String(decoding: bytes[s..<i], as: UTF8.self)
      if text.isEmpty { throw fail("unexpected character") }
      if let n = Int(text) { return .int(n) }
      if let d = Double(text) { return .double(d) }
      throw fail("invalid number '\(text)'")
    }
  }

  mutating func literal(_ word: String, _ v: JSONValue) throws(Failure) -> JSONValue {
    let w = Array(word.utf8)
    guard i + w.count <= bytes.count, Array(bytes[i..<(i + w.count)]) == w else { throw fail("unexpected character") }
    i += w.count
    return v
  }

  mutating func string() throws(Failure) -> String {
    i += 1
    var scalars = String.UnicodeScalarView()
    var raw: [UInt8] = []
    func flush() {
      if !raw.isEmpty {
        scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
        raw.removeAll()
      }
    }
    while true {
      guard i < bytes.count else { throw fail("unterminated string (truncated JSON)") }
      let b = bytes[i]
      if b == UInt8(ascii: "\"") { i += 1; break }
      if b == 0x0A { throw fail("newline inside a string") }
      if b == UInt8(ascii: "\\") {
        flush()
        guard i + 1 < bytes.count else { throw fail("unterminated escape") }
        let e = bytes[i + 1]
        i += 2
        switch e {
        case UInt8(ascii: "n"): scalars.append("\n")
        case UInt8(ascii: "r"): scalars.append("\r")
        case UInt8(ascii: "t"): scalars.append("\t")
        case UInt8(ascii: "b"): scalars.append("\u{08}")
        case UInt8(ascii: "f"): scalars.append("\u{0C}")
        case UInt8(ascii: "/"): scalars.append("/")
        case UInt8(ascii: "\\"): scalars.append("\\")
        case UInt8(ascii: "\""): scalars.append("\"")
        case UInt8(ascii: "u"):
          var v = try hex4()
          if v >= 0xD800 && v < 0xDC00 {
            // A high surrogate must be followed by an escaped low surrogate.
            guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
              throw fail("unpaired surrogate \(JSONValue.hex4(v)) in a string")
            }
            i += 2
            let lo = try hex4()
            guard lo >= 0xDC00 && lo < 0xE000 else {
              throw fail("invalid surrogate pair \(JSONValue.hex4(v))\(JSONValue.hex4(lo)) in a string")
            }
            v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00)
          } else if v >= 0xDC00 && v < 0xE000 {
            throw fail("unpaired surrogate \(JSONValue.hex4(v)) in a string")
          }
          guard let s = Unicode.Scalar(v) else { throw fail("invalid \\u escape") }
          scalars.append(s)
        default: throw fail("invalid escape")
        }
      } else {
        raw.append(b)
        i += 1
      }
    }
    flush()
    return String(scalars)
  }

  mutating func hex4() throws(Failure) -> UInt32 {
    guard i + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + 4)], as: UTF8.self), radix: 16)
    else { throw fail("invalid \\u escape") }
    i += 4
    return v
  }
}
