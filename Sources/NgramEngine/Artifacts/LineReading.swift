import Glibc

/// Line and number reading shared by the artifact readers.
enum LineReading {
  /// The longest line (and the largest meta) any reader accepts when nothing tighter is known:
  /// a file without newlines (or `/dev/zero`) fails after this many bytes, not at the end of memory.
  static let maxLineBytes = 16 << 20

  /// Calls `body` with each line of the file (without `\r\n` or `\n`) and its 1-based number,
  /// streamed through `ChunkedLines` with one reused line buffer; a line longer than
  /// `maxLineLength` bytes is an error naming it.
  static func forEachLine(
    path: String, maxLineLength: Int = maxLineBytes, _ body: (ArraySlice<UInt8>, Int) throws -> Void
  ) throws {
    var line: [UInt8] = []
    try ChunkedLines.forEach(path: path, maxLineLength: maxLineLength) { p, start, stop, number in
      line.removeAll(keepingCapacity: true)
      line.append(contentsOf: UnsafeBufferPointer(rebasing: p[start..<stop]))
      try body(line[...], number)
    }
  }

  /// Parses a decimal number; the fixed `%.4f` form on a fast path that rounds exactly like `float()`.
  @inline(__always)
  static func parseNumber(_ p: UnsafePointer<UInt8>, _ count: Int) -> Double? {
    var i = 0
    var neg = false
    if count > 0 && p[0] == 0x2D { neg = true; i = 1 }
    var mant: UInt64 = 0
    var digits = 0
    var fracDigits = 0
    var seenDot = false
    var simple = i < count
    while i < count {
      let b = p[i]
      if b >= 0x30 && b <= 0x39 {
        mant = mant &* 10 &+ UInt64(b - 0x30)
        digits += 1
        if seenDot { fracDigits += 1 }
      } else if b == 0x2E && !seenDot {
        seenDot = true
      } else {
        simple = false
        break
      }
      i += 1
    }
    if simple && digits > 0 && digits <= 15 && fracDigits <= 15 {
      let scale = pow10[fracDigits]
      let v = Double(mant) / scale
      return neg ? -v : v
    }
    let s = String(decoding: UnsafeBufferPointer(start: p, count: count), as: UTF8.self)
    return Double(s)
  }

  static let pow10: [Double] = (0...15).map { (0..<$0).reduce(1.0) { r, _ in r * 10 } }
}

/// Reads integers and doubles from one line without building strings.
struct LineScanner {
  let line: ArraySlice<UInt8>
  var i: Int

  init(line: ArraySlice<UInt8>) {
    self.line = line
    i = line.startIndex
  }

  var atEnd: Bool { i >= line.endIndex }

  mutating func take(_ b: UInt8) -> Bool {
    guard i < line.endIndex, line[i] == b else { return false }
    i += 1
    return true
  }

  mutating func int() -> Int? {
    var v = 0
    let s = i
    while i < line.endIndex, line[i] >= 0x30, line[i] <= 0x39, i - s < 18 {
      v = v * 10 + Int(line[i] - 0x30)
      i += 1
    }
    return i > s ? v : nil
  }

  /// A number as Swift's `description` writes it (round-trips exactly).
  mutating func double() -> Double? {
    let s = i
    while i < line.endIndex, line[i] != 0x20, line[i] != 0x09 { i += 1 }
    guard i > s else { return nil }
    return line[s..<i].withUnsafeBufferPointer { p in
      LineReading.parseNumber(p.baseAddress!, p.count) ?? wholeFieldStrtod(p)
    }
  }
}

/// Reads a file in large chunks and hands out its lines (without `\r\n`/`\n`) in place.
enum ChunkedLines {
  /// Calls `body(buffer, start, stop, lineNumber)` for each line; `buffer[start..<stop]` is the line.
  /// A line longer than `maxLineLength` bytes is an error as soon as that many bytes without a
  /// newline have been read, so memory stays within `chunkSize` and `maxLineLength` plus one chunk.
  static func forEach(
    path: String, chunkSize: Int = 8 << 20, maxLineLength: Int = LineReading.maxLineBytes,
    _ body: (UnsafeBufferPointer<UInt8>, Int, Int, Int) throws -> Void
  ) throws {
    guard let f = fopen(path, "rb") else {
      throw NgramError.unreadable(file: path, reason: "cannot open the file")
    }
    defer { fclose(f) }
    func tooLong(_ line: Int) -> NgramError {
      NgramError.malformed(
        file: path, line: line,
        reason: "line longer than \(maxLineLength) bytes, more than this file can hold (not an artifact, or corrupt)")
    }
    var buf = [UInt8](repeating: 0, count: chunkSize)
    var filled = 0
    var lineNo = 1
    var eof = false
    while true {
      if !eof && filled < buf.count {
        let n = buf.withUnsafeMutableBytes { fread($0.baseAddress! + filled, 1, $0.count - filled, f) }
        if n == 0 { eof = true }
        filled += n
      }
      if filled == 0 { return }
      var consumed = 0
      try buf.withUnsafeBufferPointer { p in
        var start = 0
        while start < filled {
          guard let q = memchr(p.baseAddress! + start, 0x0A, filled - start) else { break }
          let end = p.baseAddress!.distance(to: q.assumingMemoryBound(to: UInt8.self))
          var stop = end
          if stop > start && p[stop - 1] == 0x0D { stop -= 1 }
          if stop - start > maxLineLength { throw tooLong(lineNo) }
          try body(p, start, stop, lineNo)
          lineNo += 1
          start = end + 1
        }
        consumed = start
        if eof && consumed < filled {
          // The last line has no newline.
          var stop = filled
          if stop > consumed && p[stop - 1] == 0x0D { stop -= 1 }
          if stop - consumed > maxLineLength { throw tooLong(lineNo) }
          try body(p, consumed, stop, lineNo)
          lineNo += 1
          consumed = filled
        }
      }
      if consumed == 0 && !eof {
        // A line longer than the buffer: grow it, up to the longest line allowed.
        if filled > maxLineLength + 1 { throw tooLong(lineNo) }
        buf.append(contentsOf: [UInt8](repeating: 0, count: min(buf.count, maxLineLength + 2)))
        continue
      }
      if consumed > 0 {
        buf.withUnsafeMutableBufferPointer { p in
          _ = memmove(p.baseAddress!, p.baseAddress! + consumed, filled - consumed)
        }
        filled -= consumed
      }
      if eof && filled == 0 { return }
    }
  }
}

/// `strtod` over the whole field, or nil when it is not entirely a number.
func wholeFieldStrtod(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
  var buf = [CChar](repeating: 0, count: p.count + 1)
  for j in 0..<p.count { buf[j] = CChar(bitPattern: p[j]) }
  return buf.withUnsafeMutableBufferPointer { b -> Double? in
    var end: UnsafeMutablePointer<CChar>?
    let d = strtod(b.baseAddress!, &end)
    guard let end, b.baseAddress!.distance(to: end) == p.count else { return nil }
    return d
  }
}

extension LineReading {
  /// Whether `path` names something that exists (following symbolic links).
  static func exists(_ path: String) -> Bool {
    var st = stat()
    return stat(path, &st) == 0
  }

  /// The whole file; more than `limit` bytes is an error (a meta is small; `/dev/zero` is not).
  static func readAll(_ path: String, limit: Int = maxLineBytes) throws -> [UInt8] {
    guard let f = fopen(path, "rb") else {
      throw NgramError.unreadable(file: path, reason: "cannot open the file")
    }
    defer { fclose(f) }
    var out: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, f) }
      if n == 0 { break }
      out.append(contentsOf: chunk[0..<n])
      if out.count > limit {
        throw NgramError.malformed(
          file: path, line: 1,
          reason: "larger than \(limit) bytes, more than this file can hold (not an artifact, or corrupt)")
      }
    }
    if ferror(f) != 0 { throw NgramError.unreadable(file: path, reason: "cannot read the file") }
    return out
  }
}

/// Path arithmetic on plain strings (no Foundation).
public enum Paths {
  /// `a/b`, without doubling a trailing slash.
  public static func join(_ a: String, _ b: String) -> String {
    if a.isEmpty { return b }
    return a.hasSuffix("/") ? a + b : a + "/" + b
  }

  /// The last component: `a/b/c.txt` → `c.txt`.
  public static func lastComponent(_ p: String) -> String {
    var s = Substring(p)
    while s.count > 1 && s.hasSuffix("/") { s = s.dropLast() }
    if let i = s.lastIndex(of: "/"), s.count > 1 { return String(s[s.index(after: i)...]) }
    return String(s)
  }

  /// The directory part: `a/b/c.txt` → `a/b`.
  public static func parent(_ p: String) -> String {
    guard let i = p.lastIndex(of: "/") else { return "." }
    return i == p.startIndex ? "/" : String(p[..<i])
  }

  /// The canonical absolute path (symbolic links resolved), or `p` made absolute when it does not exist.
  static func resolved(_ p: String) -> String {
    if let r = realpath(p, nil) {
      defer { free(r) }
      return String(cString: r)
    }
    if p.hasPrefix("/") { return p }
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buf, buf.count) != nil else { return p }
    return join(buf.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }, p)
  }
}
