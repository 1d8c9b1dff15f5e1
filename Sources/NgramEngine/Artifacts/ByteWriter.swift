import Glibc

/// The size and SHA-256 of a file as written, for the set's manifest.
struct FileDigest: Sendable, Equatable {
  /// Bytes written.
  var bytes: Int
  /// Lowercase hex SHA-256 of those bytes.
  var sha256: String
}

/// A buffered file writer for large CSV output, with Python-compatible number formatting.
/// It hashes what it writes (SHA-256) for the set's manifest.
///
/// The large writers format whole lines straight into the buffer: `reserve(n)` gives room for
/// `n` bytes as a `ByteCursor` (a local value, so writing through it costs no checks beyond the
/// pointer's), and `commit` takes back the cursor with the line written.
final class ByteWriter {
  private var hasher = SHA256()
  private var written = 0
  private var base: UnsafeMutablePointer<UInt8>
  private var capacity: Int
  private var count = 0
  private let file: UnsafeMutablePointer<FILE>
  let path: String
  /// Recently written shortest decimals (see `DecimalCache`).
  let shortest = DecimalCache()

  private var isOpen = true
  /// Whether the file has been closed (by `close`, `abandon` or `write`'s error path).
  var isClosed: Bool { !isOpen }

  /// The buffer is written out when it holds this much.
  static let flushSize = 1 << 20

  /// Creates (or truncates) `path`, calls `body` to fill it, and closes the file on every path:
  /// when `body` or the close throws, the file is closed and the error is rethrown.
  @discardableResult
  static func write(_ path: String, _ body: (ByteWriter) throws -> Void) throws -> FileDigest {
    let w = try ByteWriter(path: path)
    do {
      try body(w)
      try w.close()
      return FileDigest(bytes: w.written, sha256: w.hasher.hexDigest())
    } catch {
      w.abandon()
      throw error
    }
  }

  init(path: String) throws {
    guard let f = fopen(path, "wb") else {
      throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: errno))")
    }
    file = f
    self.path = path
    capacity = 2 * ByteWriter.flushSize
    base = .allocate(capacity: capacity)
  }

  /// Room for at least `n` more bytes (written out first when the buffer is full): write them
  /// through the cursor, then hand it to `commit`.
  @inline(__always) func reserve(_ n: Int) throws -> ByteCursor {
    if count + n > capacity { try makeRoom(n) }
    return ByteCursor(base + count)
  }

  /// Takes the bytes written through a cursor from `reserve` (at most the `n` reserved).
  @inline(__always) func commit(_ c: ByteCursor) { count = c.p - base }

  private func makeRoom(_ n: Int) throws {
    try flush()
    if n > capacity {
      base.deallocate()
      capacity = n
      base = .allocate(capacity: capacity)
    }
  }

  @inline(__always) private func append(raw u: UnsafeBufferPointer<UInt8>) {
    if count + u.count > capacity { try? makeRoomOrGrow(u.count) }
    (base + count).update(from: u.baseAddress!, count: u.count)
    count += u.count
  }

  /// Grows the buffer without writing (for the appends that cannot throw; the next
  /// `flushIfLarge` writes it out).
  private func makeRoomOrGrow(_ n: Int) throws {
    let bigger = max(2 * capacity, count + n)
    let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
    b.update(from: base, count: count)
    base.deallocate()
    base = b
    capacity = bigger
  }

  func append(_ s: String) {
    var s = s
    s.withUTF8 { if !$0.isEmpty { append(raw: $0) } }
  }
  func append(bytes: [UInt8]) { bytes.withUnsafeBufferPointer { if !$0.isEmpty { append(raw: $0) } } }
  func append(byte: UInt8) {
    if count + 1 > capacity { try? makeRoomOrGrow(1) }
    base[count] = byte
    count += 1
  }

  /// Appends a decimal integer.
  func appendInt(_ v: Int) {
    if count + 20 > capacity { try? makeRoomOrGrow(20) }
    var c = ByteCursor(base + count)
    c.put(int: v)
    commit(c)
  }

  /// Appends `v.description`: the shortest decimal that reads back as `v` (Swift's).
  func appendShortest(_ v: Double) {
    if count + DecimalCache.width > capacity { try? makeRoomOrGrow(DecimalCache.width) }
    var c = ByteCursor(base + count)
    c.put(shortest: v, shortest)
    commit(c)
  }

  /// Appends one CSV field with minimal quoting (Python's `csv.QUOTE_MINIMAL`).
  func appendField(_ s: String) {
    var s = s
    s.withUTF8 { appendField(raw: $0) }
  }

  /// Appends one CSV field given as UTF-8 bytes, with minimal quoting.
  func appendField(bytes: [UInt8]) { bytes.withUnsafeBufferPointer { appendField(raw: $0) } }

  private func appendField(raw u: UnsafeBufferPointer<UInt8>) {
    let n = 2 * u.count + 2
    if count + n > capacity { try? makeRoomOrGrow(n) }
    var c = ByteCursor(base + count)
    c.put(field: u)
    commit(c)
  }

  /// Appends a weight the reference's way: `0` for ±0, else `%.4f`.
  func appendWeight(_ v: Double, style: CSV.WeightStyle) {
    var tmp: [UInt8] = []
    CSV.appendWeight(v, style: style, to: &tmp)
    append(bytes: tmp)
  }

  func flushIfLarge() throws { if count >= ByteWriter.flushSize { try flush() } }

  func flush() throws {
    if count == 0 { return }
    let n = fwrite(base, 1, count, file)
    if n != count { throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: errno))") }
    hasher.update(UnsafeBufferPointer(start: base, count: count))
    written += n
    count = 0
  }

  /// Writes what is buffered, flushes the file to the disk (`fsync`) and closes it.
  func close() throws {
    guard isOpen else { return }
    try flush()
    let synced = fflush(file) == 0 && fsync(fileno(file)) == 0
    let failure = errno
    isOpen = false
    let closed = fclose(file) == 0
    guard synced, closed else {
      throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: synced ? errno : failure))")
    }
  }

  /// Closes the file without reporting errors (after a failure or a cancel).
  func abandon() {
    guard isOpen else { return }
    isOpen = false
    fclose(file)
  }

  deinit {
    abandon()
    base.deallocate()
  }
}

/// Recently written shortest decimals, direct-mapped by the value's bits: the rows of one
/// training class share their weights, so most values of a large weights file repeat.
/// Also used for fixed decimals (one cache per format).
final class DecimalCache {
  static let slots = 4096
  static let width = 32
  let bits = UnsafeMutablePointer<UInt64>.allocate(capacity: DecimalCache.slots)
  let length = UnsafeMutablePointer<UInt8>.allocate(capacity: DecimalCache.slots)
  let text = UnsafeMutablePointer<UInt8>.allocate(capacity: DecimalCache.slots * DecimalCache.width)

  init() {
    bits.initialize(repeating: 0, count: DecimalCache.slots)
    length.initialize(repeating: 0, count: DecimalCache.slots)
  }

  deinit {
    bits.deallocate()
    length.deallocate()
    text.deallocate()
  }

  @inline(__always) static func slot(_ b: UInt64) -> Int {
    Int(truncatingIfNeeded: (b &* 0x9E37_79B9_7F4A_7C15) >> 52)
  }
}

/// A write position in a `ByteWriter`'s buffer (from `reserve`): formatting without checks
/// beyond the room reserved.
struct ByteCursor {
  var p: UnsafeMutablePointer<UInt8>

  @inline(__always) init(_ p: UnsafeMutablePointer<UInt8>) { self.p = p }

  @inline(__always) mutating func put(_ b: UInt8) {
    p.pointee = b
    p += 1
  }

  @inline(__always) mutating func put(_ u: UnsafeBufferPointer<UInt8>) {
    if u.isEmpty { return }
    p.update(from: u.baseAddress!, count: u.count)
    p += u.count
  }

  @inline(__always) mutating func put(_ q: UnsafePointer<UInt8>, count n: Int) {
    p.update(from: q, count: n)
    p += n
  }

  /// Two ASCII digits per value below 100.
  static let pairs: [UInt8] = {
    var d: [UInt8] = []
    for i in 0..<100 {
      d.append(UInt8(0x30 + i / 10))
      d.append(UInt8(0x30 + i % 10))
    }
    return d
  }()

  /// A decimal integer (at most 20 bytes).
  @inline(__always) mutating func put(int v: Int) {
    if v < 0 {
      put(0x2D)
      put(unsigned: UInt64(v.magnitude))
    } else {
      put(unsigned: UInt64(v))
    }
  }

  @inline(__always) mutating func put(unsigned v: UInt64) {
    if v < 10 {
      put(UInt8(0x30 &+ v))
      return
    }
    var digits = 1
    var t = v
    while t >= 10 {
      t /= 10
      digits += 1
    }
    var x = v
    var e = p + digits
    ByteCursor.pairs.withUnsafeBufferPointer { d in
      while x >= 100 {
        let r = Int(x % 100) * 2
        x /= 100
        e -= 2
        e[0] = d[r]
        e[1] = d[r + 1]
      }
      if x >= 10 {
        let r = Int(x) * 2
        e -= 2
        e[0] = d[r]
        e[1] = d[r + 1]
      } else {
        e -= 1
        e[0] = UInt8(0x30 &+ x)
      }
    }
    p += digits
  }

  /// Writes the cached text of the number whose bits are `b` (in `slot`) and says true, or says
  /// false when the cache does not hold it.
  @inline(__always) private mutating func putCached(_ b: UInt64, _ slot: Int, _ cache: DecimalCache) -> Bool {
    let len = Int(cache.length[slot])
    guard len > 0 && cache.bits[slot] == b else { return false }
    put(cache.text + slot * DecimalCache.width, count: len)
    return true
  }

  /// `v.description` (at most `DecimalCache.width` bytes), from the cache when it is there.
  @inline(__always) mutating func put(shortest v: Double, _ cache: DecimalCache) {
    let b = v.bitPattern
    let slot = DecimalCache.slot(b)
    if putCached(b, slot, cache) { return }
    putShortestSlow(v, b, slot, cache)
  }

  private mutating func putShortestSlow(_ v: Double, _ b: UInt64, _ slot: Int, _ cache: DecimalCache) {
    var text = v.description
    text.withUTF8 { u in
      put(u)
      if u.count <= DecimalCache.width {
        cache.bits[slot] = b
        cache.length[slot] = UInt8(u.count)
        (cache.text + slot * DecimalCache.width).update(from: u.baseAddress!, count: u.count)
      }
    }
  }

  /// A weight in `style` (at most `DecimalCache.width` bytes for |v| < 1e9; longer values are
  /// not cached), from the cache when it is there.
  @inline(__always) mutating func put(weight v: Double, style: CSV.WeightStyle, _ cache: DecimalCache) {
    let b = v.bitPattern
    let slot = DecimalCache.slot(b)
    if putCached(b, slot, cache) { return }
    let start = p
    let done: Bool
    switch style {
    case .zeroOrFourDecimals:
      if v == 0 {
        put(0x30)
        done = true
      } else {
        done = CSV.putFixedExact(v, decimals: 4, to: &self)
      }
    case .eightDecimals: done = CSV.putFixedExact(v, decimals: 8, to: &self)
    }
    if done {
      let n = p - start
      if n <= DecimalCache.width {
        cache.bits[slot] = b
        cache.length[slot] = UInt8(n)
        (cache.text + slot * DecimalCache.width).update(from: start, count: n)
      }
    } else {
      var tmp: [UInt8] = []
      CSV.appendWeight(v, style: style, to: &tmp)
      tmp.withUnsafeBufferPointer { put($0) }
    }
  }

  /// One CSV field with minimal quoting (at most `2 * u.count + 2` bytes).
  @inline(__always) mutating func put(field u: UnsafeBufferPointer<UInt8>) {
    var needs = false
    for b in u where b == 0x2C || b == 0x22 || b == 0x0D || b == 0x0A {
      needs = true
      break
    }
    if !needs {
      put(u)
      return
    }
    put(0x22)
    for b in u {
      if b == 0x22 { put(0x22) }
      put(b)
    }
    put(0x22)
  }
}
