import CZlib

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whole-file reads and writes for ARPA files, plain or gzip-compressed (zlib).
enum ARPAFile {
  /// The bytes of `path`, decompressed when the file starts with the gzip magic bytes 1f 8b
  /// (whatever its name), so `model.arpa.gz` and a renamed copy both load.
  static func read(_ path: String) throws -> [UInt8] {
    // fopen opens a directory too, and its size then reads as 2^63 - 1: name it instead.
    if Corpus.fileKind(path) == S_IFDIR {
      throw NgramError.unreadable(file: path, reason: "is a directory, expected an ARPA file")
    }
    guard let f = fopen(path, "rb") else {
      let why = errno == ENOENT ? "no such file (check the path)" : String(cString: strerror(errno))
      throw NgramError.unreadable(file: path, reason: why)
    }
    var magic: [UInt8] = [0, 0]
    let got = fread(&magic, 1, 2, f)
    if got == 2 && magic == [0x1F, 0x8B] {
      fclose(f)
      return try gunzip(path)
    }
    defer { fclose(f) }
    var bytes: [UInt8] = Array(magic.prefix(got))
    if fseek(f, 0, SEEK_END) == 0 {
      let size = ftell(f)
      if size > 0 { bytes.reserveCapacity(Int(size)) }
      fseek(f, Int(got), SEEK_SET)
    }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, f) }
      if n > 0 { bytes.append(contentsOf: chunk[0..<n]) }
      if n < chunk.count {
        if ferror(f) != 0 { throw NgramError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        break
      }
    }
    return bytes
  }

  /// Decompresses a gzip file (all members) with zlib.
  static func gunzip(_ path: String) throws -> [UInt8] {
    guard let gz = gzopen(path, "rb") else {
      throw NgramError.unreadable(file: path, reason: String(cString: strerror(errno)))
    }
    defer { gzclose(gz) }
    gzbuffer(gz, 1 << 18)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { gzread(gz, $0.baseAddress!, UInt32($0.count)) }
      var code: Int32 = 0
      let why = gzerror(gz, &code).map { String(cString: $0) } ?? ""
      // A truncated stream still hands out what it has; zlib reports it in gzerror.
      if n < 0 || (code != Z_OK && code != Z_STREAM_END) {
        throw NgramError.unreadable(
          file: path,
          reason: "the gzip data is damaged (\(why.isEmpty ? "zlib error \(code)" : why)); check it with `gzip -t`")
      }
      if n == 0 { break }
      bytes.append(contentsOf: chunk[0..<Int(n)])
    }
    return bytes
  }

  /// Writes `bytes` to `path`, gzip-compressed when `path` ends in `.gz`.
  static func write(_ bytes: [UInt8], to path: String) throws {
    if path.hasSuffix(".gz") {
      guard let gz = gzopen(path, "wb6") else {
        throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: errno))")
      }
      var offset = 0
      var failed = false
      bytes.withUnsafeBytes { p in
        while offset < p.count {
          let n = min(p.count - offset, 1 << 20)
          let w = gzwrite(gz, p.baseAddress! + offset, UInt32(n))
          if w <= 0 { failed = true; return }
          offset += Int(w)
        }
      }
      let closed = gzclose(gz)
      if failed || closed != Z_OK { throw NgramError.io("cannot write \(path): gzip compression failed (disk full?)") }
      return
    }
    guard let f = fopen(path, "wb") else {
      throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: errno))")
    }
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
    let closed = fclose(f)
    if written != bytes.count || closed != 0 {
      throw NgramError.io("cannot write \(path): \(NgramError.reason(errno: errno))")
    }
  }
}
