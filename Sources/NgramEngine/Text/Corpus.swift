import Dispatch
import Synchronization
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A tokenized corpus: the token ids in corpus order, its vocabulary and the facts the meta records.
public struct Corpus: Sendable {
  /// The corpus file's path as it was located.
  public let path: String
  /// The file's bytes count.
  public let byteCount: Int
  /// SHA-256 of the raw bytes, lowercase hex.
  public let sha256: String
  /// Code points after turning `\r\n` and lone `\r` into `\n` (Python's universal newlines).
  public let numChars: Int
  /// Lines (as `str.splitlines` splits them) that are not all whitespace.
  public let numLines: Int
  /// Every token's vocabulary id, in corpus order.
  public let tokenIDs: [Int32]
  /// The distinct tokens in code-point order with their frequencies.
  public let vocabulary: Vocabulary

  /// Finds the corpus file: `corpusOverride` if given, else the single regular file in `DIR/corpus`.
  public static func locate(directory: String, corpusOverride: String?) throws -> String {
    if let c = corpusOverride {
      guard let kind = fileKind(c) else { throw NgramError.corpusFileMissing(file: c) }
      try refuseNonText(c, kind: kind)
      return c
    }
    let dir = Paths.join(directory, "corpus")
    guard fileKind(dir) == S_IFDIR else { throw NgramError.corpusDirectoryMissing(directory: dir) }
    let names = SetDirectory.list(dir).filter { name in
      guard let kind = fileKind(Paths.join(dir, name)) else { return false }
      return kind != S_IFDIR
    }
    if let raw = nonUTF8FileNames(in: dir).first {
      throw NgramError.corpusFileNameNotUTF8(file: Paths.join(dir, raw))
    }
    if names.isEmpty { throw NgramError.corpusDirectoryEmpty(directory: dir) }
    if names.count > 1 { throw NgramError.corpusDirectoryAmbiguous(directory: dir, files: names) }
    return Paths.join(dir, names[0])
  }

  /// The type bits (`S_IFDIR`, `S_IFREG`, …) of what `path` names, following symbolic links;
  /// nil when nothing is there.
  static func fileKind(_ path: String) -> mode_t? {
    var st = stat()
    guard stat(path, &st) == 0 else { return nil }
    return st.st_mode & S_IFMT
  }

  /// The whole file at `path`, or nil when it cannot be opened or read.
  static func readFile(_ path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var out: [UInt8] = []
    var st = stat()
    if fstat(fd, &st) == 0, st.st_size > 0 { out.reserveCapacity(Int(st.st_size)) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if n == 0 { return out }
      out.append(contentsOf: chunk[0..<n])
    }
  }

  /// The files in `dir` whose names are not valid UTF-8, each spelt with its bad bytes as
  /// `\xE9` (Foundation's listing cannot name them).
  static func nonUTF8FileNames(in dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var out: [String] = []
    while let entry = readdir(d) {
      let name: [UInt8] = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
      guard String(validating: name, as: UTF8.self) == nil else { continue }
      var st = stat()
      let full = Array(dir.utf8) + [UInt8(ascii: "/")] + name + [0]
      let isFile = full.withUnsafeBufferPointer { p in
        p.withMemoryRebound(to: CChar.self) { stat($0.baseAddress!, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG }
      }
      if isFile { out.append(spellBytes(name)) }
    }
    return out.sorted()
  }

  /// `bytes` as text: valid UTF-8 kept, each invalid byte written `\xHH`.
  static func spellBytes(_ bytes: [UInt8]) -> String {
    var out = ""
    var parser = Unicode.UTF8.ForwardParser()
    var it = bytes.makeIterator()
    var pos = 0
    while true {
      switch parser.parseScalar(from: &it) {
      case .valid(let e):
        out.unicodeScalars.append(Unicode.UTF8.decode(e))
        pos += e.count
      case .error(let length):
        for b in bytes[pos..<(pos + length)] {
          let h = String(b, radix: 16, uppercase: true)
          out += "\\x" + (h.count < 2 ? "0" : "") + h
        }
        pos += length
      case .emptyInput:
        return out
      }
    }
  }

  /// Refuses what `path` names when it is of `kind` no corpus can be read from: a directory, or
  /// a device (`/dev/zero` or `/dev/urandom` never end, and were read until memory ran out, a
  /// Swift abort); a pipe (`--corpus <(cat …)`, /dev/stdin) still reads.
  static func refuseNonText(_ path: String, kind: mode_t) throws {
    switch kind {
    case S_IFDIR: throw NgramError.unreadable(file: path, reason: "is a directory, expected a text file")
    case S_IFCHR, S_IFBLK:
      throw NgramError.unreadable(
        file: path, reason: "is a device, expected a text file (a stream reads through a pipe: <(cat FILE))")
    default: break
    }
  }

  /// Reads and tokenizes the file at `path`.
  public static func load(path: String) throws -> Corpus {
    guard let kind = fileKind(path) else {
      throw NgramError.unreadable(file: path, reason: "no such file (check the path)")
    }
    try refuseNonText(path, kind: kind)
    guard let bytes = readFile(path) else {
      throw NgramError.unreadable(file: path, reason: "cannot open the file (check it exists and is readable)")
    }
    return try Corpus(bytes: bytes, path: path)
  }

  /// Tokenizes `bytes` as the corpus file `path`; `path` is used in messages and the meta.
  public init(bytes: [UInt8], path: String) throws {
    self.path = path
    self.byteCount = bytes.count
    var result: (Int, Int, [Int32], Vocabulary, String)?
    var badOffset: Int?
    bytes.withUnsafeBufferPointer { p in
      if let off = UTF8Validation.firstInvalidOffset(p) {
        badOffset = off
        return
      }
      // Counting and hashing on a second thread while this one tokenizes.
      let counted = Mutex<(Int, Int, String)?>(nil)
      let text = UnsafeSendableBytes(p)
      let tokenized = Mutex<([Int32], Vocabulary)?>(nil)
      DispatchQueue.concurrentPerform(iterations: 2) { i in
        if i == 0 {
          let r = Tokenizer.tokenize(text.bytes)
          tokenized.withLock { $0 = r }
        } else {
          let (chars, lines) = Corpus.countCharsAndLines(text.bytes)
          let sha = SHA256.hexDigest(text.bytes)
          counted.withLock { $0 = (chars, lines, sha) }
        }
      }
      let (chars, lines, sha) = counted.withLock { $0 }!
      let (ids, vocab) = tokenized.withLock { $0 }!
      result = (chars, lines, ids, vocab, sha)
    }
    if let off = badOffset { throw NgramError.invalidUTF8(file: path, offset: off) }
    let r = result!
    numChars = r.0
    numLines = r.1
    tokenIDs = r.2
    vocabulary = r.3
    sha256 = r.4
  }

  /// The number of tokens.
  public var tokenCount: Int { tokenIDs.count }

  static func countCharsAndLines(_ p: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
    var chars = 0
    var lines = 0
    var hasText = false
    var i = 0
    let n = p.count
    var prevCR = false
    while i < n {
      let b = p[i]
      var scalar: UInt32
      var len: Int
      if b < 0x80 {
        scalar = UInt32(b); len = 1
      } else if b < 0xE0 {
        scalar = UInt32(b & 0x1F) << 6 | UInt32(p[i + 1] & 0x3F); len = 2
      } else if b < 0xF0 {
        scalar = UInt32(b & 0x0F) << 12 | UInt32(p[i + 1] & 0x3F) << 6 | UInt32(p[i + 2] & 0x3F); len = 3
      } else {
        scalar =
          UInt32(b & 0x07) << 18 | UInt32(p[i + 1] & 0x3F) << 12 | UInt32(p[i + 2] & 0x3F) << 6
          | UInt32(p[i + 3] & 0x3F)
        len = 4
      }
      i += len
      if scalar == 0x0A && prevCR { prevCR = false; continue }  // "\r\n" is one "\n"
      prevCR = scalar == 0x0D
      chars += 1
      if PythonWhitespace.isLineBoundary(scalar) {
        if hasText { lines += 1 }
        hasText = false
      } else if let s = Unicode.Scalar(scalar), !PythonWhitespace.contains(s) {
        hasText = true
      }
    }
    if hasText { lines += 1 }
    return (chars, lines)
  }
}

/// Splits UTF-8 bytes on Python's whitespace and interns the tokens by their exact bytes.
enum Tokenizer {
  /// Returns the token ids in corpus order and the vocabulary (ids in code-point order).
  static func tokenize(_ p: UnsafeBufferPointer<UInt8>) -> ([Int32], Vocabulary) {
    let n = p.count
    var provisional: [Int32] = []
    provisional.reserveCapacity(n / 5 + 16)
    var starts: [Int] = []
    var lengths: [Int] = []
    var counts: [Int] = []
    var cap = 1024
    var table = [Int32](repeating: -1, count: cap)
    var hashes: [UInt64] = []
    func hashOf(_ s: Int, _ l: Int) -> UInt64 {
      var h: UInt64 = 0xcbf2_9ce4_8422_2325
      for j in s..<(s + l) { h = (h ^ UInt64(p[j])) &* 0x100_0000_01b3 }
      return h ^ (h >> 29)
    }
    func grow() {
      cap *= 2
      table = [Int32](repeating: -1, count: cap)
      for (id, h) in hashes.enumerated() {
        var slot = Int(truncatingIfNeeded: h) & (cap - 1)
        while table[slot] >= 0 { slot = (slot + 1) & (cap - 1) }
        table[slot] = Int32(id)
      }
    }
    var i = 0
    while i < n {
      let w = PythonWhitespace.length(p, at: i)
      if w > 0 { i += w; continue }
      let s = i
      while i < n && PythonWhitespace.length(p, at: i) == 0 { i += 1 }
      let l = i - s
      let h = hashOf(s, l)
      var slot = Int(truncatingIfNeeded: h) & (cap - 1)
      var found: Int32 = -1
      while true {
        let e = table[slot]
        if e < 0 { break }
        let ei = Int(e)
        if hashes[ei] == h && lengths[ei] == l && memcmp(p.baseAddress! + starts[ei], p.baseAddress! + s, l) == 0 {
          found = e
          break
        }
        slot = (slot + 1) & (cap - 1)
      }
      if found < 0 {
        found = Int32(starts.count)
        table[slot] = found
        starts.append(s); lengths.append(l); hashes.append(h); counts.append(0)
        if starts.count * 2 > cap { grow() }
      }
      counts[Int(found)] += 1
      provisional.append(found)
    }
    // Code-point order is UTF-8 byte order.
    let order = (0..<starts.count).sorted { a, b in
      let la = lengths[a], lb = lengths[b]
      let c = memcmp(p.baseAddress! + starts[a], p.baseAddress! + starts[b], min(la, lb))
      return c != 0 ? c < 0 : la < lb
    }
    var remap = [Int32](repeating: 0, count: starts.count)
    var tokens: [String] = []
    var freqs: [Int] = []
    tokens.reserveCapacity(order.count)
    for (newID, old) in order.enumerated() {
      remap[old] = Int32(newID)
      let slice = UnsafeBufferPointer(rebasing: p[starts[old]..<(starts[old] + lengths[old])])
      tokens.append(String(decoding: slice, as: UTF8.self))
      freqs.append(counts[old])
    }
    for j in provisional.indices { provisional[j] = remap[Int(provisional[j])] }
    return (provisional, Vocabulary(tokens: tokens, frequencies: freqs))
  }
}

/// Read-only bytes handed to the threads of one `concurrentPerform`.
///
/// Why `@unchecked Sendable` is sound: the buffer is only read, by threads that all finish
/// (`concurrentPerform` joins them) before the caller's `withUnsafeBufferPointer` returns.
struct UnsafeSendableBytes: @unchecked Sendable {
  let bytes: UnsafeBufferPointer<UInt8>
  init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}
