/// A context of up to ``ContextLength/maximum`` token ids, as a hashable value (unused slots -1).
struct CountKey: Hashable {
  var a: Int32 = -1
  var b: Int32 = -1
  var c: Int32 = -1
  var d: Int32 = -1
  var e: Int32 = -1

  init<C: Collection>(_ ids: C) where C.Element == Int32 {
    var i = 0
    for x in ids {
      switch i {
      case 0: a = x
      case 1: b = x
      case 2: c = x
      case 3: d = x
      default: e = x
      }
      i += 1
    }
  }
}

/// The n-gram counts of a token sequence, as NLTK's `NgramCounter` holds them after
/// `fit([everygrams(tokens, max_len=order)])`, plus the Kneser–Ney continuation counts.
///
/// Level `L` (0 ≤ L < order) holds every context of `L` tokens that is followed by a token in
/// the text, and for each such context its distinct successors (sorted by id) with
///  - `count`: how often the (L+1)-gram occurred (NLTK's `counts[L+1][context][word]`);
///  - `continuation`: how many distinct tokens x precede it as the (L+2)-gram `x context word`
///    (NLTK's `_continuation_counts`; only for L < order − 1).
struct NgramCounts: Sendable {
  struct Level: Sendable {
    /// Context → context index.
    var index: [CountKey: Int32] = [:]
    /// CSR offsets into the successor arrays, one more than the number of contexts.
    var offsets: [Int] = [0]
    /// Successor ids, sorted within each context.
    var successors: [Int32] = []
    /// Raw counts of (context, successor).
    var counts: [Int32] = []
    /// Continuation counts of (context, successor): distinct left extensions.
    var continuations: [Int32] = []
    /// Per context: the number of (L+1)-grams starting with it (NLTK's `counts[context].N()`).
    var totals: [Int] = []
    /// Per context: distinct (L+2)-gram types ending in it plus a successor (the Kneser–Ney
    /// denominator for a lower order).
    var continuationTotals: [Int] = []

    var contextCount: Int { totals.count }

    func context(_ ids: ArraySlice<Int32>) -> Int? {
      index[CountKey(ids)].map(Int.init)
    }

    /// The position of `word` among context `c`'s successors, by binary search.
    func position(of word: Int32, in c: Int) -> Int? {
      var lo = offsets[c]
      var hi = offsets[c + 1]
      while lo < hi {
        let mid = (lo + hi) / 2
        let s = successors[mid]
        if s == word { return mid }
        if s < word { lo = mid + 1 } else { hi = mid }
      }
      return nil
    }
  }

  let order: Int
  let levels: [Level]

  init(tokens: [Int32], order: Int) {
    self.order = order
    var levels: [Level] = []
    levels.reserveCapacity(order)
    let t = tokens.count
    for l in 0..<order {
      var level = Level()
      var pairs: [UInt64] = []  // context index << 32 | successor
      if t > l { pairs.reserveCapacity(t - l) }
      var nextContext: Int32 = 0
      var i = 0
      while i + l < t {
        let key = CountKey(tokens[i..<(i + l)])
        let ci: Int32
        if let found = level.index[key] {
          ci = found
        } else {
          ci = nextContext
          level.index[key] = ci
          nextContext += 1
        }
        pairs.append(UInt64(UInt32(ci)) << 32 | UInt64(UInt32(bitPattern: tokens[i + l])))
        i += 1
      }
      pairs.sort()
      let contexts = Int(nextContext)
      level.offsets = [Int](repeating: 0, count: contexts + 1)
      level.totals = [Int](repeating: 0, count: contexts)
      var j = 0
      while j < pairs.count {
        var k = j
        while k < pairs.count && pairs[k] == pairs[j] { k += 1 }
        let ci = Int(pairs[j] >> 32)
        level.successors.append(Int32(bitPattern: UInt32(truncatingIfNeeded: pairs[j])))
        level.counts.append(Int32(k - j))
        level.offsets[ci + 1] += 1
        level.totals[ci] += k - j
        j = k
      }
      for c in 0..<contexts { level.offsets[c + 1] += level.offsets[c] }
      level.continuations = [Int32](repeating: 0, count: level.successors.count)
      level.continuationTotals = [Int](repeating: 0, count: contexts)
      levels.append(level)
    }
    // Every distinct (L+2)-gram `x u w` adds one continuation to (u, w) at level L.
    if order >= 2 {
      for l in 0..<(order - 1) {
        let upper = levels[l + 1]
        var keys = [CountKey](repeating: CountKey([Int32]()), count: upper.contextCount)
        for (key, ci) in upper.index { keys[Int(ci)] = key }
        for c in 0..<upper.contextCount {
          let ids = Self.ids(of: keys[c], length: l + 1)
          guard let lower = levels[l].context(ids.dropFirst()) else { continue }
          for p in upper.offsets[c]..<upper.offsets[c + 1] {
            if let q = levels[l].position(of: upper.successors[p], in: lower) {
              levels[l].continuations[q] += 1
              levels[l].continuationTotals[lower] += 1
            }
          }
        }
      }
    }
    self.levels = levels
  }

  static func ids(of key: CountKey, length: Int) -> [Int32] {
    Array([key.a, key.b, key.c, key.d, key.e].prefix(length))
  }
}
