import Foundation

/// A buffered file writer for large CSV output, with Python-compatible number formatting.
final class ByteWriter {
  private var buffer: [UInt8] = []
  private let file: UnsafeMutablePointer<FILE>
  let path: String

  init(path: String) throws {
    guard let f = fopen(path, "wb") else {
      throw NgramError.io("cannot write \(path): \(String(cString: strerror(errno)))")
    }
    file = f
    self.path = path
    buffer.reserveCapacity(1 << 20)
  }

  @inline(__always) func append(_ s: String) { buffer.append(contentsOf: s.utf8) }
  @inline(__always) func append(bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
  @inline(__always) func append(byte: UInt8) { buffer.append(byte) }

  /// Appends one CSV field with minimal quoting (Python's `csv.QUOTE_MINIMAL`).
  func appendField(_ s: String) { buffer.append(contentsOf: CSV.quoted(s).utf8) }

  /// Appends a weight the reference's way: `0` for ±0, else `%.4f`.
  func appendWeight(_ v: Double) { CSV.appendWeight(v, to: &buffer) }

  func flushIfLarge() throws { if buffer.count >= 1 << 20 { try flush() } }

  func flush() throws {
    if buffer.isEmpty { return }
    let n = buffer.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    if n != buffer.count { throw NgramError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
    buffer.removeAll(keepingCapacity: true)
  }

  func close() throws {
    try flush()
    if fclose(file) != 0 { throw NgramError.io("cannot write \(path): \(String(cString: strerror(errno)))") }
  }

  deinit {}
}

/// CSV helpers shared by the writers and readers.
enum CSV {
  /// A field as Python's csv module writes it: quoted when it holds `,` `"` `\r` or `\n`.
  static func quoted(_ s: String) -> String {
    var needs = false
    for b in s.utf8 where b == 0x2C || b == 0x22 || b == 0x0D || b == 0x0A {
      needs = true
      break
    }
    if !needs { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// `0` for ±0, else the value with exactly four decimals (correctly rounded, like Python).
  static func appendWeight(_ v: Double, to buffer: inout [UInt8]) {
    if v == 0 {
      buffer.append(0x30)
      return
    }
    appendFixed(v, decimals: 4, to: &buffer)
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
