internal import NgramKernels

/// A small SHA-256 (FIPS 180-4), enough to fingerprint a corpus and check artifact files without
/// extra dependencies. Feed it with `update` in pieces of any size, then read `hexDigest()`.
/// The block function is the C kernel's (the CPU's SHA extensions where it has them).
struct SHA256 {
  private var h: [UInt32] = [
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19,
  ]
  private var pending: [UInt8] = []
  private var length: UInt64 = 0

  init() { pending.reserveCapacity(64) }

  /// The lowercase hex digest of `bytes`.
  static func hexDigest(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    var s = SHA256()
    s.update(bytes)
    return s.hexDigest()
  }

  /// Adds `bytes` to the message.
  mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
    guard let base = bytes.baseAddress, bytes.count > 0 else { return }
    length &+= UInt64(bytes.count)
    var off = 0
    if !pending.isEmpty {
      let take = min(64 - pending.count, bytes.count)
      pending.append(contentsOf: UnsafeBufferPointer(start: base, count: take))
      off = take
      if pending.count == 64 {
        pending.withUnsafeBufferPointer { p in blocks(p.baseAddress!, 1) }
        pending.removeAll(keepingCapacity: true)
      }
    }
    let whole = (bytes.count - off) / 64
    if whole > 0 {
      blocks(base + off, whole)
      off += whole * 64
    }
    if off < bytes.count {
      pending.append(contentsOf: UnsafeBufferPointer(start: base + off, count: bytes.count - off))
    }
  }

  /// Adds `bytes` to the message.
  mutating func update(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { update($0) } }

  /// The digest of everything added so far, as lowercase hex (the hasher is not changed).
  func hexDigest() -> String {
    var copy = self
    var tail = pending
    tail.append(0x80)
    while tail.count % 64 != 56 { tail.append(0) }
    let bits = length &* 8
    for i in (0..<8).reversed() { tail.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
    tail.withUnsafeBufferPointer { t in copy.blocks(t.baseAddress!, t.count / 64) }
    let hex: [Character] = Array("0123456789abcdef")
    var s = ""
    for v in copy.h {
      for sh in stride(from: 28, through: 0, by: -4) { s.append(hex[Int((v >> UInt32(sh)) & 0xF)]) }
    }
    return s
  }

  /// Compresses `count` 64-byte blocks starting at `p`.
  private mutating func blocks(_ p: UnsafePointer<UInt8>, _ count: Int) {
    h.withUnsafeMutableBufferPointer { st in ngk_sha256_blocks(st.baseAddress!, p, count) }
  }
}
