#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The n-grams of an ARPA file as read, before the back-off trie is built: what the file says,
/// checked line by line (one error naming the file and line for anything malformed).
struct ARPAContents {
  /// Unigram words in file order (their ids).
  var words: [String]
  /// Per order (index 0 = unigrams): the entries' word ids (`order` per entry, flat), log10
  /// probabilities, log10 back-off weights (0 when the line has none) and 1-based line numbers.
  var orders: [RawOrder]

  struct RawOrder {
    let n: Int
    var ids: [Int32] = []
    var prob: [Float] = []
    var backoff: [Float] = []
    var line: [Int32] = []
    var count: Int { prob.count }
  }
}

/// Parses ARPA text the way KenLM reads it, with the leniencies real files need: text before
/// `\data\`, blank lines anywhere, missing back-off fields (= 0), `-99` (SRILM's log 0) and
/// `-inf` probabilities, CRLF line ends, and a missing `\end\` after complete sections.
enum ARPAReader {
  /// The largest order read (context length ``ContextLength/maximum`` + 1).
  static let maximumOrder = ContextLength.maximum + 1

  static func parse(_ bytes: [UInt8], file: String) throws -> ARPAContents {
    try bytes.withUnsafeBufferPointer { try parse($0, file: file) }
  }

  static func parse(_ buf: UnsafeBufferPointer<UInt8>, file: String) throws -> ARPAContents {
    if let bad = UTF8Validation.firstInvalidOffset(buf) {
      throw NgramError.invalidUTF8(file: file, offset: bad)
    }
    var lines = LineCursor(buf)
    func fail(_ line: Int, _ why: String) -> NgramError { .malformed(file: file, line: line, reason: why) }

    // Anything before \data\ is ignored (SRILM and others write comments there).
    var found = false
    while let l = lines.next() {
      if l.trimmedEquals("\\data\\") {
        found = true
        break
      }
    }
    guard found else {
      throw NgramError.malformed(
        file: file, line: max(lines.lineNumber, 1),
        reason: "no \\data\\ line: this is not an ARPA language model (expected \\data\\, ngram 1=N, \\1-grams:, …)")
    }

    // ngram k=count lines.
    var declared: [Int] = []
    var pending: Line?
    while let l = lines.next() {
      if l.isBlank { continue }
      if l.first == UInt8(ascii: "\\") {
        pending = l
        break
      }
      guard let (k, c) = l.ngramCountLine() else {
        throw fail(l.number, "expected a count line like 'ngram 1=1000' after \\data\\, found '\(l.text(limit: 60))'")
      }
      guard k == declared.count + 1 else {
        throw fail(l.number, "'ngram \(k)=' is out of order: count lines must be ngram 1=, ngram 2=, … in turn")
      }
      guard k <= maximumOrder else {
        throw fail(l.number, "order \(k) is more than ngram-tui reads (orders 1–\(maximumOrder))")
      }
      // Every k-gram line holds at least a number and k words with a separator after each, so
      // a count above bytes / (2k + 1) is wrong; refusing it here keeps the reservations below
      // bounded by the file (a hostile 'ngram 1=99999999999999' would otherwise abort).
      guard c <= buf.count / (2 * k + 1) else {
        throw fail(
          l.number,
          "'ngram \(k)=\(c)' declares more \(k)-grams than a file of \(buf.count) bytes can hold (is the count line wrong, or the file truncated?)"
        )
      }
      declared.append(c)
    }
    guard !declared.isEmpty else {
      throw fail(max(lines.lineNumber, 1), "no 'ngram 1=N' count line after \\data\\")
    }
    guard declared[0] > 0 else { throw fail(lines.lineNumber, "'ngram 1=0': the model has no words") }

    var contents = ARPAContents(words: [], orders: [])
    var table = WordTable(capacity: declared[0])
    for (index, count) in declared.enumerated() {
      let n = index + 1
      var header = pending
      pending = nil
      while header == nil || header!.isBlank {
        guard let l = lines.next() else {
          throw fail(
            lines.lineNumber, "the file ends before the \\\(n)-grams: section (truncated? the header declares \(count))"
          )
        }
        header = l
      }
      guard header!.trimmedEquals("\\\(n)-grams:") else {
        throw fail(header!.number, "expected '\\\(n)-grams:', found '\(header!.text(limit: 60))'")
      }
      var order = ARPAContents.RawOrder(n: n)
      order.ids.reserveCapacity(count * n)
      order.prob.reserveCapacity(count)
      order.backoff.reserveCapacity(count)
      order.line.reserveCapacity(count)
      let top = n == declared.count
      var fields = [Field](repeating: Field(start: 0, end: 0), count: n + 3)
      while true {
        guard let l = lines.next() else {
          if order.count == count && top { break }
          throw fail(
            lines.lineNumber,
            "the file ends inside the \\\(n)-grams: section after \(order.count) of \(count) entries (truncated?)")
        }
        if l.isBlank { continue }
        if l.first == UInt8(ascii: "\\") {
          pending = l
          break
        }
        let nf = l.split(into: &fields)
        guard nf == n + 1 || nf == n + 2 else {
          throw fail(
            l.number,
            "a \(n)-gram line needs a log10 probability, \(n) word\(n == 1 ? "" : "s") and an optional back-off weight; found \(min(nf, n + 3)) field\(nf == 1 ? "" : "s")\(nf > n + 2 ? " or more" : "")"
          )
        }
        guard let p = l.number(fields[0]), !p.isNaN, p != .infinity else {
          throw fail(l.number, "'\(l.shown(fields[0]))' is not a log10 probability")
        }
        guard p <= 0 else {
          throw fail(l.number, "positive log10 probability \(l.shown(fields[0])) (a probability above 1)")
        }
        var bo: Double = 0
        if nf == n + 2 {
          guard let b = l.number(fields[n + 1]), b.isFinite else {
            throw fail(l.number, "'\(l.shown(fields[n + 1]))' is not a log10 back-off weight")
          }
          if top && b != 0 {
            throw fail(
              l.number,
              "a back-off weight (\(l.shown(fields[n + 1]))) on a \(n)-gram of the highest order, which cannot have one"
            )
          }
          bo = b
        }
        if n == 1 {
          let f = fields[1]
          guard table.insert(l.base + f.start, f.end - f.start, id: Int32(contents.words.count)) else {
            throw fail(l.number, "the word '\(l.shown(f))' is listed twice among the 1-grams")
          }
          contents.words.append(l.text(f))
          order.ids.append(Int32(contents.words.count - 1))
        } else {
          for j in 1...n {
            let f = fields[j]
            guard let id = table.find(l.base + f.start, f.end - f.start) else {
              throw fail(
                l.number, "the word '\(l.shown(f))' of this \(n)-gram is not among the 1-grams (every word must be)")
            }
            order.ids.append(id)
          }
        }
        order.prob.append(Float(p))
        order.backoff.append(Float(bo))
        order.line.append(Int32(clamping: l.number))
        if order.count > count {
          throw fail(l.number, "more \(n)-grams than the \(count) that 'ngram \(n)=\(count)' declares")
        }
      }
      if order.count != count {
        throw fail(
          pending?.number ?? lines.lineNumber,
          "the \\\(n)-grams: section has \(order.count) entries but 'ngram \(n)=\(count)' declares \(count)")
      }
      contents.orders.append(order)
    }
    // After the last section: \end\ (optional when every section was complete), then nothing.
    var l = pending
    while l == nil || l!.isBlank {
      guard let next = lines.next() else { break }
      l = next
    }
    if let l, !l.isBlank, !l.trimmedEquals("\\end\\") {
      throw fail(
        l.number,
        "expected \\end\\ after the \\\(declared.count)-grams: section, found '\(l.text(limit: 60))' (is the header's order right?)"
      )
    }
    return contents
  }

  // MARK: - Lines and fields

  struct Field {
    var start: Int
    var end: Int
  }

  struct Line {
    let base: UnsafePointer<UInt8>
    let count: Int
    let number: Int

    var first: UInt8? {
      var i = 0
      while i < count, base[i] == 0x20 || base[i] == 0x09 { i += 1 }
      return i < count ? base[i] : nil
    }

    var isBlank: Bool {
      for i in 0..<count
      where !(base[i] == 0x20 || base[i] == 0x09 || base[i] == 0x0D || base[i] == 0x0B || base[i] == 0x0C) {
        return false
      }
      return true
    }

    func trimmedEquals(_ s: String) -> Bool {
      var a = 0
      var b = count
      while a < b, base[a] == 0x20 || base[a] == 0x09 { a += 1 }
      while b > a, base[b - 1] == 0x20 || base[b - 1] == 0x09 || base[b - 1] == 0x0D { b -= 1 }
      let u = Array(s.utf8)
      guard u.count == b - a else { return false }
      for i in 0..<u.count where base[a + i] != u[i] { return false }
      return true
    }

    /// Splits on runs of spaces and tabs (KenLM's separators), ignoring a trailing `\r`; returns
    /// the number of fields, filling at most `fields.count` of them.
    func split(into fields: inout [Field]) -> Int {
      var nf = 0
      var i = 0
      var end = count
      if end > 0 && base[end - 1] == 0x0D { end -= 1 }
      while i < end {
        while i < end, base[i] == 0x20 || base[i] == 0x09 { i += 1 }
        if i >= end { break }
        let s = i
        while i < end, base[i] != 0x20 && base[i] != 0x09 { i += 1 }
        if nf < fields.count { fields[nf] = Field(start: s, end: i) }
        nf += 1
      }
      return nf
    }

    func number(_ f: Field) -> Double? {
      LineReading.parseNumber(base + f.start, f.end - f.start)
    }

    /// A field for an error message, control characters escaped.
    func shown(_ f: Field) -> String { TerminalText.escape(text(f)) }

    func text(_ f: Field) -> String {
      String(decoding: UnsafeBufferPointer(start: base + f.start, count: f.end - f.start), as: UTF8.self)
    }

    /// The line for an error message: at most `limit` characters, control characters escaped.
    func text(limit: Int) -> String {
      var end = count
      if end > 0 && base[end - 1] == 0x0D { end -= 1 }
      let s = String(decoding: UnsafeBufferPointer(start: base, count: end), as: UTF8.self)
      let cut = s.count > limit ? String(s.prefix(limit)) + "…" : s
      return TerminalText.escape(cut)
    }

    /// `ngram K=C` → (K, C).
    func ngramCountLine() -> (Int, Int)? {
      var fields = [Field](repeating: Field(start: 0, end: 0), count: 4)
      let nf = split(into: &fields)
      let joined: String
      if nf == 2, text(fields[0]) == "ngram" {
        joined = text(fields[1])
      } else if nf == 4, text(fields[0]) == "ngram", text(fields[2]) == "=" {
        joined = text(fields[1]) + "=" + text(fields[3])
      } else if nf == 3, text(fields[0]) == "ngram" {
        joined = text(fields[1]) + text(fields[2])
      } else {
        return nil
      }
      let parts = joined.split(separator: "=", omittingEmptySubsequences: false)
      guard parts.count == 2, let k = Int(parts[0]), let c = Int(parts[1]), k >= 1, c >= 0 else { return nil }
      return (k, c)
    }
  }

  struct LineCursor {
    let buf: UnsafeBufferPointer<UInt8>
    var pos = 0
    var lineNumber = 0

    init(_ buf: UnsafeBufferPointer<UInt8>) { self.buf = buf }

    mutating func next() -> Line? {
      guard pos < buf.count, let base = buf.baseAddress else { return nil }
      let start = pos
      let end: Int
      if let q = memchr(base + start, 0x0A, buf.count - start) {
        end = base.distance(to: q.assumingMemoryBound(to: UInt8.self))
        pos = end + 1
      } else {
        end = buf.count
        pos = buf.count
      }
      lineNumber += 1
      return Line(base: base + start, count: end - start, number: lineNumber)
    }
  }
}

/// An open-addressing hash table from a word's bytes (in the file buffer) to its id, so that
/// looking up the words of a million n-grams allocates nothing.
struct WordTable {
  private var slots: [Int32]
  private var keys: [(UnsafePointer<UInt8>, Int)] = []
  private var mask: Int

  init(capacity: Int) {
    var size = 16
    while size < capacity * 2 { size <<= 1 }
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    keys.reserveCapacity(capacity)
  }

  @inline(__always) static func hash(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for i in 0..<n { h = (h ^ UInt64(p[i])) &* 0x0000_0100_0000_01B3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  @inline(__always) private func same(_ a: (UnsafePointer<UInt8>, Int), _ p: UnsafePointer<UInt8>, _ n: Int) -> Bool {
    a.1 == n && memcmp(a.0, p, n) == 0
  }

  func find(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int32? {
    var i = WordTable.hash(p, n) & mask
    while true {
      let s = slots[i]
      if s < 0 { return nil }
      if same(keys[Int(s)], p, n) { return s }
      i = (i + 1) & mask
    }
  }

  /// Inserts a new word with id `keys.count` (ids are dense, in insertion order); false if present.
  mutating func insert(_ p: UnsafePointer<UInt8>, _ n: Int, id: Int32) -> Bool {
    if (keys.count + 1) * 2 > slots.count { grow() }
    var i = WordTable.hash(p, n) & mask
    while true {
      let s = slots[i]
      if s < 0 { break }
      if same(keys[Int(s)], p, n) { return false }
      i = (i + 1) & mask
    }
    slots[i] = id
    keys.append((p, n))
    return true
  }

  private mutating func grow() {
    let size = slots.count * 2
    slots = [Int32](repeating: -1, count: size)
    mask = size - 1
    for (id, k) in keys.enumerated() {
      var i = WordTable.hash(k.0, k.1) & mask
      while slots[i] >= 0 { i = (i + 1) & mask }
      slots[i] = Int32(id)
    }
  }
}
