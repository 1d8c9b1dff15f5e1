import Testing

@testable import NgramEngine

/// The model's context → row table: built without key comparisons when the rows come in
/// increasing context order (trained and loaded models), by inserting row after row otherwise.
/// Either way every listed context must be found at its row and no other context found.
@Suite("Row table")
struct RowTableTests {
  func model(_ contexts: [[Int32]], v: Int) -> NgramModel {
    let n = contexts.first?.count ?? 0
    let rows = contexts.count
    return NgramModel(
      vocabulary: Vocabulary(tokens: (0..<v).map { "t\($0)" }, frequencies: Array(repeating: 1, count: v)),
      contextLength: n, rowContexts: contexts.flatMap { $0 }, rowDefault: (0..<rows).map { Double($0) },
      rowExplicitCount: Array(repeating: 0, count: rows), colOffsets: Array(repeating: 0, count: rows + 1), cols: [],
      weights: [])
  }

  @Test("sorted and unsorted rows: every context at its row, unlisted contexts absent")
  func lookups() {
    var g = SeededGenerator(seed: 5)
    let v = 40
    for keep in [1, 2, 3, 10, 200, 900, 1500] {
      // `keep` distinct contexts of length 2, in increasing order, then shuffled.
      var all = [[Int32]]()
      for a in 0..<v { for b in 0..<v { all.append([Int32(a), Int32(b)]) } }
      var chosen = Array(all.shuffled(using: &g).prefix(keep))
      chosen.sort { ($0[0], $0[1]) < ($1[0], $1[1]) }
      for contexts in [chosen, chosen.shuffled(using: &g)] {
        let m = model(contexts, v: v)
        var listed = Set<[Int32]>()
        for (r, c) in contexts.enumerated() {
          #expect(m.row(for: c.map(Int.init)) == r)
          listed.insert(c)
        }
        for c in all where !listed.contains(c) { #expect(m.row(for: c.map(Int.init)) == nil) }
      }
    }
  }

  @Test("a context listed twice is found at its last row")
  func duplicate() {
    let m = model([[1, 2], [3, 4], [1, 2]], v: 5)
    #expect(m.row(for: [1, 2]) == 2)
    #expect(m.row(for: [3, 4]) == 1)
  }
}

@Suite("Key sort")
struct KeySortTests {
  @Test("sorts like a stable comparison sort, for keys of every width")
  func matchesStableSort() {
    var g = SeededGenerator(seed: 11)
    for (count, bits) in [(0, 8), (1, 8), (2, 1), (1000, 3), (5000, 12), (5000, 33), (3000, 64)] {
      let keys: [UInt64] = (0..<count).map { _ in
        bits == 64
          ? UInt64.random(in: 0...UInt64.max, using: &g) : UInt64.random(in: 0..<(1 << UInt64(bits)), using: &g)
      }
      let expected = keys.indices.sorted { (keys[$0], $0) < (keys[$1], $1) }
      var sorted = keys
      let order = KeySort.sort(&sorted)
      #expect(order.map(Int.init) == expected, "\(count) keys of \(bits) bits")
      #expect(sorted == expected.map { keys[$0] })
    }
  }
}
