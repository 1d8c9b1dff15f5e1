import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Training pairs grouped by context row, in the flat (CSR) layout the trainer walks.
///
/// Rows are numbered in the reference's order (by their context ids, first id first). Each row keeps its targets in corpus order,
/// its distinct targets in order of first appearance (`cols`), and every target's position in
/// that list (`localTargets`). Rows whose local target sequences are identical train
/// identically, so they are grouped into classes that are trained once.
struct ContextIndex: Sendable {
  let contextLength: Int
  let vocabSize: Int
  let pairCount: Int
  let rowCount: Int
  /// `rowCount * contextLength` token ids.
  let rowContexts: [Int32]
  let pairOffsets: [Int]
  let localTargets: [Int32]
  let colOffsets: [Int]
  let cols: [Int32]
  /// The class of each row; classes are numbered in the order of their first rows.
  let classOf: [Int32]
  /// The first row of each class.
  let classRep: [Int32]
  /// Rows of each class (CSR).
  let memberOffsets: [Int]
  let members: [Int32]
  /// Each class's first step in a flat array of per-step values (its representative's pairs).
  let classStepOffsets: [Int]
  /// For each pair in corpus order, the index of its step among `classStepOffsets`' slots:
  /// summing per-step losses in this order reproduces the reference's summation order.
  let pairStep: [Int32]

  /// The key of a context in a hash map: the ids packed into one integer.
  @inline(__always)
  static func key(_ ids: UnsafePointer<Int32>, _ n: Int, _ v: Int) -> UInt64 {
    var k: UInt64 = 0
    for j in 0..<n { k = k &* UInt64(v) &+ UInt64(UInt32(bitPattern: ids[j])) }
    return k
  }

  /// Whether contexts of length `n` over `v` tokens fit the packed key.
  static func keyFits(n: Int, v: Int) -> Bool {
    var total: Double = 1
    for _ in 0..<n { total *= Double(max(v, 1)) }
    return total < 9.0e18
  }

  init(tokenIDs: [Int32], vocabSize v: Int, contextLength n: Int) {
    contextLength = n
    vocabSize = v
    let p = max(tokenIDs.count - n, 0)
    pairCount = p
    // The pairs sorted by their context's packed key, which orders the rows the reference's way
    // (a·V + b, …; the model read out of the trainer then lists its rows in the order every
    // weights and embeddings file uses); the sort is stable, so each row's pairs stay in corpus
    // order. No hash table: every pass reads and writes in order.
    var keys = [UInt64](repeating: 0, count: p)
    tokenIDs.withUnsafeBufferPointer { ids in
      for i in 0..<p { keys[i] = ContextIndex.key(ids.baseAddress! + i, n, v) }
    }
    let pairOrder = KeySort.sort(&keys)
    var off = [0]
    var ctx: [Int32] = []
    var tg = [Int32](repeating: 0, count: p)
    keys.withUnsafeBufferPointer { k in
      tokenIDs.withUnsafeBufferPointer { ids in
        for q in 0..<p {
          let i = Int(pairOrder[q])
          if q == 0 || k[q] != k[q - 1] {
            if q > 0 { off.append(q) }
            for j in 0..<n { ctx.append(ids[i + j]) }
          }
          tg[q] = ids[i + n]
        }
      }
    }
    if p > 0 { off.append(p) }
    keys = []
    let rows = off.count - 1
    rowCount = rows
    rowContexts = ctx
    pairOffsets = off
    // Distinct targets per row, in first-appearance order.
    var mark = [Int32](repeating: -1, count: max(v, 1))
    var local = [Int32](repeating: 0, count: max(v, 1))
    var lt = [Int32](repeating: 0, count: p)
    var cOff = [Int](repeating: 0, count: rows + 1)
    var cs: [Int32] = []
    cs.reserveCapacity(p)
    for r in 0..<rows {
      var k: Int32 = 0
      for q in off[r]..<off[r + 1] {
        let t = Int(tg[q])
        if mark[t] != Int32(r) {
          mark[t] = Int32(r)
          local[t] = k
          cs.append(Int32(t))
          k += 1
        }
        lt[q] = local[t]
      }
      cOff[r + 1] = cs.count
    }
    localTargets = lt
    colOffsets = cOff
    cols = cs
    // Classes of rows with identical local target sequences.
    var cls = [Int32](repeating: 0, count: rows)
    var reps: [Int32] = []
    var hashes: [UInt64] = []
    lt.withUnsafeBufferPointer { ltp in
      var table = OpenTable(capacity: 1 << 12)
      for r in 0..<rows {
        let a = off[r], b = off[r + 1]
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 &* UInt64(b - a + 1)
        for q in a..<b { h = (h ^ UInt64(UInt32(bitPattern: ltp[q]))) &* 0x100_0000_01b3 }
        h ^= h >> 31
        var slot = table.slot(for: h)
        var assigned: Int32 = -1
        while let c = table.value(at: slot) {
          let rep = Int(reps[Int(c)])
          if hashes[Int(c)] == h && off[rep + 1] - off[rep] == b - a
            && memcmp(ltp.baseAddress! + off[rep], ltp.baseAddress! + a, (b - a) * 4) == 0
          {
            assigned = c
            break
          }
          slot = table.next(slot)
        }
        if assigned < 0 {
          assigned = Int32(reps.count)
          table.insert(at: slot, key: h, value: assigned)
          reps.append(Int32(r))
          hashes.append(h)
        }
        cls[r] = assigned
      }
    }
    classOf = cls
    classRep = reps
    var mOff = [Int](repeating: 0, count: reps.count + 1)
    for c in cls { mOff[Int(c) + 1] += 1 }
    for c in 0..<reps.count { mOff[c + 1] += mOff[c] }
    var mFill = mOff
    var mem = [Int32](repeating: 0, count: rows)
    for r in 0..<rows {
      let c = Int(cls[r])
      mem[mFill[c]] = Int32(r)
      mFill[c] += 1
    }
    memberOffsets = mOff
    members = mem
    var stepOff = [Int](repeating: 0, count: reps.count + 1)
    for c in 0..<reps.count {
      let rep = Int(reps[c])
      stepOff[c + 1] = stepOff[c] + off[rep + 1] - off[rep]
    }
    classStepOffsets = stepOff
    var ps = [Int32](repeating: 0, count: p)
    for r in 0..<rows {
      let base = stepOff[Int(cls[r])] - off[r]
      for q in off[r]..<off[r + 1] { ps[Int(pairOrder[q])] = Int32(base + q) }
    }
    pairStep = ps
  }

  var classCount: Int { classRep.count }
}

/// A minimal open-addressing table from 64-bit keys to row numbers; it doubles when half full.
struct OpenTable {
  private var keys: [UInt64]
  private var values: [Int32]
  private var mask: Int
  private var count = 0

  init(capacity: Int) {
    var c = 16
    while c < capacity { c <<= 1 }
    keys = [UInt64](repeating: 0, count: c)
    values = [Int32](repeating: -1, count: c)
    mask = c - 1
  }

  @inline(__always) func slot(for key: UInt64) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
  }
  @inline(__always) func next(_ s: Int) -> Int { (s + 1) & mask }
  @inline(__always) func value(at s: Int) -> Int32? { values[s] < 0 ? nil : values[s] }

  /// The slot holding `key` and its value, or the empty slot where it would go.
  @inline(__always) func find(_ key: UInt64) -> (Int, Int32?) {
    var s = slot(for: key)
    while values[s] >= 0 {
      if keys[s] == key { return (s, values[s]) }
      s = (s + 1) & mask
    }
    return (s, nil)
  }

  /// Stores `key` at the empty slot `s` found by `find` or `slot`/`next`; slots found before an
  /// insert are stale after it (the table may have grown).
  @inline(__always) mutating func insert(at s: Int, key: UInt64, value: Int32) {
    keys[s] = key
    values[s] = value
    count += 1
    if count * 2 > keys.count { grow() }
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    keys = [UInt64](repeating: 0, count: oldKeys.count * 2)
    values = [Int32](repeating: -1, count: oldKeys.count * 2)
    mask = keys.count - 1
    for i in oldKeys.indices where oldValues[i] >= 0 {
      var s = slot(for: oldKeys[i])
      while values[s] >= 0 { s = (s + 1) & mask }
      keys[s] = oldKeys[i]
      values[s] = oldValues[i]
    }
  }
}
