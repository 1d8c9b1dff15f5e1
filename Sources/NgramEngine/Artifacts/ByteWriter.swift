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
final class ByteWriter {
  private var hasher = SHA256()
  private var written = 0
  private var buffer: [UInt8] = []
  private let file: UnsafeMutablePointer<FILE>
  let path: String

  private var isOpen = true
  /// Whether the file has been closed (by `close`, `abandon` or `write`'s error path).
  var isClosed: Bool { !isOpen }

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
    buffer.reserveCapacity(1 << 20)
    cacheLength.initialize(repeating: 0, count: ByteWriter.cacheSlots)
    cacheBits.initialize(repeating: 0, count: ByteWriter.cacheSlots)
  }

  @inline(__always) func append(_ s: String) { buffer.append(contentsOf: s.utf8) }
  @inline(__always) func append(bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
  @inline(__always) func append(byte: UInt8) { buffer.append(byte) }

  /// Appends a decimal integer.
  @inline(__always) func appendInt(_ v: Int) {
    if v < 0 {
      buffer.append(0x2D)
      appendInt(-v)
      return
    }
    if v < 10 {
      buffer.append(UInt8(0x30 + v))
      return
    }
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8
      ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = 0
    var x = v
    withUnsafeMutableBytes(of: &digits) { d in
      while x > 0 {
        d[n] = UInt8(0x30 + x % 10)
        x /= 10
        n += 1
      }
      while n > 0 {
        n -= 1
        buffer.append(d[n])
      }
    }
  }

  /// Recently written shortest decimals, direct-mapped by the value's bits: the rows of one
  /// training class share their weights, so most values of a large weights file repeat.
  private static let cacheSlots = 4096
  private static let cacheWidth = 32
  private let cacheBits = UnsafeMutablePointer<UInt64>.allocate(capacity: ByteWriter.cacheSlots)
  private let cacheLength = UnsafeMutablePointer<UInt8>.allocate(capacity: ByteWriter.cacheSlots)
  private let cacheText = UnsafeMutablePointer<UInt8>.allocate(
    capacity: ByteWriter.cacheSlots * ByteWriter.cacheWidth)

  /// Appends `v.description`: the shortest decimal that reads back as `v` (Swift's).
  @inline(__always) func appendShortest(_ v: Double) {
    let bits = v.bitPattern
    let slot = Int(truncatingIfNeeded: (bits &* 0x9E37_79B9_7F4A_7C15) >> 52)
    let len = Int(cacheLength[slot])
    if len > 0 && cacheBits[slot] == bits {
      buffer.append(contentsOf: UnsafeBufferPointer(start: cacheText + slot * ByteWriter.cacheWidth, count: len))
      return
    }
    var text = v.description
    text.withUTF8 { u in
      buffer.append(contentsOf: u)
      if u.count <= ByteWriter.cacheWidth {
        cacheBits[slot] = bits
        cacheLength[slot] = UInt8(u.count)
        (cacheText + slot * ByteWriter.cacheWidth).update(from: u.baseAddress!, count: u.count)
      }
    }
  }

  /// Appends one CSV field with minimal quoting (Python's `csv.QUOTE_MINIMAL`).
  func appendField(_ s: String) { CSV.appendQuoted(s, to: &buffer) }

  /// Appends one CSV field given as UTF-8 bytes, with minimal quoting.
  func appendField(bytes: [UInt8]) { bytes.withUnsafeBufferPointer { CSV.appendQuoted(bytes: $0, to: &buffer) } }

  /// Appends a weight the reference's way: `0` for ±0, else `%.4f`.
  func appendWeight(_ v: Double, style: CSV.WeightStyle) { CSV.appendWeight(v, style: style, to: &buffer) }

  func flushIfLarge() throws { if buffer.count >= 1 << 20 { try flush() } }

  func flush() throws {
    if buffer.isEmpty { return }
    let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    if n != buffer.count { throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: errno))") }
    buffer.withUnsafeBufferPointer { hasher.update($0) }
    written += n
    buffer.removeAll(keepingCapacity: true)
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
    cacheBits.deallocate()
    cacheLength.deallocate()
    cacheText.deallocate()
  }
}
