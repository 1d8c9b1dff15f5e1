/// The distinct tokens of a corpus, numbered in code-point order, with their frequencies.
///
/// Tokens are identified by their exact Unicode scalars (UTF-8 bytes), never by `String ==`,
/// which would merge canonically equivalent spellings such as `é` and `e` + U+0301.
public struct Vocabulary: Sendable {
  /// The tokens by id.
  public let tokens: [String]
  /// How often each token occurs in the corpus, by id.
  public let frequencies: [Int]
  /// Token ids by the hash of their UTF-8 bytes (open addressing, −1 for an empty slot): the
  /// tokens themselves are held once, in `tokens`.
  private let slots: [Int32]

  /// Creates a vocabulary from tokens already in id order.
  public init(tokens: [String], frequencies: [Int]) {
    self.tokens = tokens
    self.frequencies = frequencies
    var cap = 16
    while cap < tokens.count * 2 { cap <<= 1 }
    var slots = [Int32](repeating: -1, count: cap)
    for i in tokens.indices {
      var t = tokens[i]
      t.withUTF8 { u in
        var s = Vocabulary.hash(u) & (cap - 1)
        // A token listed twice is found at its last id.
        while slots[s] >= 0 {
          var other = tokens[Int(slots[s])]
          if other.withUTF8({ $0.elementsEqual(u) }) { break }
          s = (s + 1) & (cap - 1)
        }
        slots[s] = Int32(i)
      }
    }
    self.slots = slots
  }

  @inline(__always) static func hash(_ u: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in u { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }

  /// The number of distinct tokens, V.
  public var count: Int { tokens.count }

  /// The id of `token`, compared by exact scalars.
  public func id(of token: String) -> Int? {
    var token = token
    return token.withUTF8 { u -> Int? in
      let mask = slots.count - 1
      var s = Vocabulary.hash(u) & mask
      while slots[s] >= 0 {
        let id = Int(slots[s])
        var t = tokens[id]
        if t.withUTF8({ $0.elementsEqual(u) }) { return id }
        s = (s + 1) & mask
      }
      return nil
    }
  }

  /// Up to `limit` vocabulary entries closest to `token` (edit distance, then frequency).
  public func suggestions(for token: String, limit: Int = 3) -> [String] {
    let target = Array(token.lowercased().unicodeScalars)
    var scored: [(Int, Int, Int)] = []  // (distance, -frequency, id)
    let maxDistance = max(2, target.count / 3)
    for (i, t) in tokens.enumerated() {
      let cand = Array(t.lowercased().unicodeScalars)
      if abs(cand.count - target.count) > maxDistance { continue }
      let d = Vocabulary.editDistance(target, cand, cap: maxDistance)
      if d <= maxDistance { scored.append((d, -frequencies[i], i)) }
    }
    scored.sort { ($0.0, $0.1, $0.2) < ($1.0, $1.1, $1.2) }
    return scored.prefix(limit).map { tokens[$0.2] }
  }

  static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], cap: Int) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      cur[0] = i
      var rowMin = cur[0]
      for j in 1...b.count {
        cur[j] = Swift.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        rowMin = Swift.min(rowMin, cur[j])
      }
      if rowMin > cap { return cap + 1 }
      swap(&prev, &cur)
    }
    return prev[b.count]
  }
}
