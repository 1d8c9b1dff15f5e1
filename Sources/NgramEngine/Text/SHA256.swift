/// A small SHA-256 (FIPS 180-4), enough to fingerprint a corpus and check artifact files without
/// extra dependencies. Feed it with `update` in pieces of any size, then read `hexDigest()`.
struct SHA256 {
  private static let k: [UInt32] = [
    0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
    0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
    0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
    0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
    0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
    0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
    0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
    0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
  ]

  private var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
  )
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
    for v in [copy.h.0, copy.h.1, copy.h.2, copy.h.3, copy.h.4, copy.h.5, copy.h.6, copy.h.7] {
      for sh in stride(from: 28, through: 0, by: -4) { s.append(hex[Int((v >> UInt32(sh)) & 0xF)]) }
    }
    return s
  }

  /// Compresses `count` 64-byte blocks starting at `p`.
  private mutating func blocks(_ p: UnsafePointer<UInt8>, _ count: Int) {
    var state = [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7]
    var w = [UInt32](repeating: 0, count: 64)
    state.withUnsafeMutableBufferPointer { st in
      w.withUnsafeMutableBufferPointer { w in
        Self.k.withUnsafeBufferPointer { k in
          Self.compress(st.baseAddress!, p, count, w.baseAddress!, k.baseAddress!)
        }
      }
    }
    h = (state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7])
  }

  private static func compress(
    _ st: UnsafeMutablePointer<UInt32>, _ p: UnsafePointer<UInt8>, _ count: Int, _ w: UnsafeMutablePointer<UInt32>,
    _ k: UnsafePointer<UInt32>
  ) {
    var h0 = st[0], h1 = st[1], h2 = st[2], h3 = st[3], h4 = st[4], h5 = st[5], h6 = st[6], h7 = st[7]
    for b in 0..<count {
      let q = p + 64 * b
      for i in 0..<16 {
        w[i] = UInt32(q[4 * i]) << 24 | UInt32(q[4 * i + 1]) << 16 | UInt32(q[4 * i + 2]) << 8 | UInt32(q[4 * i + 3])
      }
      for i in 16..<64 {
        let s0 = w[i - 15].rotr(7) ^ w[i - 15].rotr(18) ^ (w[i - 15] >> 3)
        let s1 = w[i - 2].rotr(17) ^ w[i - 2].rotr(19) ^ (w[i - 2] >> 10)
        w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, hh = h7
      for i in 0..<64 {
        let s1 = e.rotr(6) ^ e.rotr(11) ^ e.rotr(25)
        let ch = (e & f) ^ (~e & g)
        let t1 = hh &+ s1 &+ ch &+ k[i] &+ w[i]
        let s0 = a.rotr(2) ^ a.rotr(13) ^ a.rotr(22)
        let maj = (a & b) ^ (a & c) ^ (b & c)
        let t2 = s0 &+ maj
        hh = g; g = f; f = e; e = d &+ t1; d = c; c = b; b = a; a = t1 &+ t2
      }
      h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d; h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= hh
    }
    st[0] = h0; st[1] = h1; st[2] = h2; st[3] = h3; st[4] = h4; st[5] = h5; st[6] = h6; st[7] = h7
  }
}

extension UInt32 {
  @inline(__always) fileprivate func rotr(_ n: UInt32) -> UInt32 { (self &>> n) | (self &<< (32 &- n)) }
}
