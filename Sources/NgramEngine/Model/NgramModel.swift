import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A trained (or loaded) model in sparse form: for each trained context row, one shared weight for
/// the columns it never targeted plus its explicit columns. Rows never trained are all zero.
public struct NgramModel: LanguageModel {
  /// The vocabulary (columns).
  public let vocabulary: Vocabulary
  /// Tokens of context, 0…3.
  let n: Int
  /// `rowCount * contextLength` ids: each trained row's context.
  let rowContexts: [Int32]
  /// Each row's shared weight.
  let rowDefault: [Double]
  /// Each row's explicit column count (columns beyond it in its slot are unused).
  let rowExplicitCount: [Int32]
  /// CSR offsets of each row's column slot.
  let colOffsets: [Int]
  /// Explicit column ids.
  let cols: [Int32]
  /// Explicit column weights.
  let weights: [Double]
  /// Rows by the hash of their context (open addressing, −1 for an empty slot, at most 60% full);
  /// a row's context is read back from `rowContexts`, so the table holds 4 bytes a slot.
  private let rowSlots: [Int32]

  init(
    vocabulary: Vocabulary, contextLength: Int, rowContexts: [Int32], rowDefault: [Double],
    rowExplicitCount: [Int32], colOffsets: [Int], cols: [Int32], weights: [Double]
  ) {
    self.vocabulary = vocabulary
    self.n = contextLength
    self.rowContexts = rowContexts
    self.rowDefault = rowDefault
    self.rowExplicitCount = rowExplicitCount
    self.colOffsets = colOffsets
    self.cols = cols
    self.weights = weights
    let rows = rowDefault.count
    var cap = 16
    while cap * 3 < rows * 5 { cap <<= 1 }
    let v = vocabulary.count
    rowSlots =
      NgramModel.sortedSlots(rowContexts, rows: rows, n: contextLength, v: v, cap: cap)
      ?? NgramModel.probedSlots(rowContexts, rows: rows, n: contextLength, v: v, cap: cap)
  }

  /// The row table when the rows are listed in strictly increasing key order (trained and
  /// loaded models are): no two rows share a context, so rows are placed without comparing keys,
  /// in the order of their home slots, which writes the table from start to end; nil otherwise.
  /// (Placing in home-slot order, each at the first free slot from its home, leaves every row
  /// reachable from its home through occupied slots, as linear probing needs.)
  static func sortedSlots(_ rowContexts: [Int32], rows: Int, n: Int, v: Int, cap: Int) -> [Int32]? {
    var homes = [UInt64](repeating: 0, count: rows)
    let increasing = rowContexts.withUnsafeBufferPointer { p -> Bool in
      var last: UInt64 = 0
      for r in 0..<rows {
        let key = ContextIndex.key(p.baseAddress! + r * n, n, v)
        if r > 0 && key <= last { return false }
        last = key
        homes[r] = UInt64(NgramModel.slot(key, cap))
      }
      return true
    }
    guard increasing else { return nil }
    let order = KeySort.sort(&homes)
    var slots = [Int32](repeating: -1, count: cap)
    var nextFree = 0
    var wrapped: [Int32] = []
    for q in 0..<rows {
      let at = max(Int(homes[q]), nextFree)
      if at >= cap {
        wrapped.append(order[q])
        continue
      }
      slots[at] = order[q]
      nextFree = at + 1
    }
    var s = 0
    for r in wrapped {
      while slots[s] >= 0 { s += 1 }
      slots[s] = r
    }
    return slots
  }

  /// The row table by inserting each row in turn (any row order; a context listed twice is found
  /// at its last row).
  static func probedSlots(_ rowContexts: [Int32], rows: Int, n contextLength: Int, v: Int, cap: Int) -> [Int32] {
    var slots = [Int32](repeating: -1, count: cap)
    rowContexts.withUnsafeBufferPointer { p in
      for r in 0..<rows {
        let key = ContextIndex.key(p.baseAddress! + r * contextLength, contextLength, v)
        var s = NgramModel.slot(key, cap)
        // A context listed twice is found at its last row.
        while slots[s] >= 0
          && ContextIndex.key(p.baseAddress! + Int(slots[s]) * contextLength, contextLength, v) != key
        {
          s = (s + 1) & (cap - 1)
        }
        slots[s] = Int32(r)
      }
    }
    return slots
  }

  @inline(__always) static func slot(_ key: UInt64, _ cap: Int) -> Int {
    Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 20) & (cap - 1)
  }

  /// Tokens of context, 0…3.
  public var contextLength: ContextLength { ContextLength(unchecked: n) }

  /// The number of trained rows.
  public var trainedRowCount: Int { rowDefault.count }
  /// The number of explicit weights stored.
  public var explicitWeightCount: Int { rowExplicitCount.reduce(0) { $0 + Int($1) } }

  /// The trained row of a context, if it was ever seen in training.
  func row(for context: [Int]) -> Int? {
    guard context.count == n else { return nil }
    let ids = context.map { Int32($0) }
    let v = vocabulary.count
    let key = ids.withUnsafeBufferPointer { ContextIndex.key($0.baseAddress!, n, v) }
    return rowContexts.withUnsafeBufferPointer { p -> Int? in
      let cap = rowSlots.count
      var s = NgramModel.slot(key, cap)
      while rowSlots[s] >= 0 {
        let r = Int(rowSlots[s])
        if ContextIndex.key(p.baseAddress! + r * n, n, v) == key { return r }
        s = (s + 1) & (cap - 1)
      }
      return nil
    }
  }

  /// Whether the context was seen in training.
  public func isTrained(context: [Int]) -> Bool { row(for: context) != nil }

  /// The next-token distribution after a context of `contextLength` ids (uniform for a context
  /// never seen in training, as the reference's all-zero row).
  public func distribution(after context: TokenContext) -> Distribution {
    distribution(context: context.ids)
  }

  /// The next-token distribution for a context of exactly `contextLength` ids.
  public func distribution(context: [Int]) -> Distribution {
    let v = vocabulary.count
    guard let r = row(for: context) else {
      return Distribution(vocabSize: v, defaultProbability: 1 / Double(v), explicit: [])
    }
    return distribution(row: r)
  }

  func distribution(row r: Int) -> Distribution {
    let start = colOffsets[r]
    let k = Int(rowExplicitCount[r])
    return Distribution.softmax(
      vocabSize: vocabulary.count, sharedWeight: rowDefault[r], columns: cols[start..<(start + k)],
      weights: weights[start..<(start + k)])
  }

  /// The `k` most probable next tokens, ties broken by lower id.
  public func topK(context: [Int], k: Int) -> [Prediction] {
    distribution(context: context).top(k).map {
      Prediction(token: vocabulary.tokens[$0.id], id: $0.id, probability: $0.probability)
    }
  }

  /// Greedy generation: `count` argmax steps from `start` (which must have `contextLength` ids).
  public func generate(start: [Int], count: Int) -> [Int] {
    var window = start
    var out: [Int] = []
    for _ in 0..<count {
      let next = distribution(context: window).argmax
      out.append(next)
      if n > 0 {
        window.removeFirst()
        window.append(next)
      }
    }
    return out
  }

  /// Resolves tokens to ids, or throws naming the unknown ones with suggestions.
  public func ids(for tokens: [String]) throws -> [Int] { try vocabulary.ids(for: tokens) }

  /// The context row index the reference uses (`a·V + b`, …) for a row's context.
  func referenceRowIndex(_ r: Int) -> Int {
    var idx = 0
    for j in 0..<n { idx = idx * vocabulary.count + Int(rowContexts[r * n + j]) }
    return idx
  }

  /// The weight of column `j` in row `r`.
  func weight(row r: Int, column j: Int) -> Double {
    let start = colOffsets[r]
    for q in 0..<Int(rowExplicitCount[r]) where Int(cols[start + q]) == j { return weights[start + q] }
    return rowDefault[r]
  }
}

/// One next token and its probability.
public struct Prediction: Sendable, Equatable {
  /// The token text.
  public let token: String
  /// Its vocabulary id.
  public let id: Int
  /// Its probability under the model.
  public let probability: Double

  /// Creates a prediction.
  public init(token: String, id: Int, probability: Double) {
    self.token = token
    self.id = id
    self.probability = probability
  }
}

/// A next-token distribution in sparse form: one probability shared by all columns not listed.
public struct Distribution: Sendable {
  /// V.
  public let vocabSize: Int
  /// The probability of every column not in `explicit`.
  public let defaultProbability: Double
  /// Columns with their own probability.
  public let explicit: [Entry]

  /// One token id and its probability.
  public struct Entry: Sendable, Equatable {
    /// The token id.
    public let id: Int
    /// Its probability.
    public let probability: Double
    /// Creates an entry.
    public init(id: Int, probability: Double) {
      self.id = id
      self.probability = probability
    }
  }

  /// Creates a distribution: `defaultProbability` for every id not in `explicit`.
  public init(vocabSize: Int, defaultProbability: Double, explicit: [Entry]) {
    self.vocabSize = vocabSize
    self.defaultProbability = defaultProbability
    self.explicit = explicit
  }

  /// The softmax of a sparse row: `weights[j]` for `columns[j]`, `sharedWeight` for every other column.
  static func softmax(
    vocabSize v: Int, sharedWeight w0: Double, columns: ArraySlice<Int32>, weights: ArraySlice<Double>
  ) -> Distribution {
    let k = columns.count
    let nd = v - k
    var m = nd > 0 ? w0 : -Double.infinity
    for x in weights where x > m { m = x }
    let e0 = nd > 0 ? exp(w0 - m) : 0
    var z = Double(nd) * e0
    var ex = [Double](repeating: 0, count: k)
    for (j, x) in weights.enumerated() {
      ex[j] = exp(x - m)
      z += ex[j]
    }
    var explicit: [Entry] = []
    explicit.reserveCapacity(k)
    for (j, c) in columns.enumerated() { explicit.append(Entry(id: Int(c), probability: ex[j] / z)) }
    return Distribution(vocabSize: v, defaultProbability: nd > 0 ? e0 / z : 0, explicit: explicit)
  }

  /// The probability of token `id`.
  public func probability(of id: Int) -> Double {
    for e in explicit where e.id == id { return e.probability }
    return defaultProbability
  }

  /// The top `k` (id, probability), by probability descending then id ascending.
  ///
  /// Costs O(E log k) for E explicit entries (a bounded heap), so a dense distribution over a
  /// 100k-word vocabulary answers a small k without sorting it.
  public func top(_ k: Int) -> [Entry] {
    guard k > 0 else { return [] }
    // No more than the vocabulary: a huge k (`--topk 99999999999`) would otherwise reserve
    // k entries (and 4 * k overflows) before a single one is listed.
    let k = min(k, vocabSize)
    @inline(__always) func before(_ a: Entry, _ b: Entry) -> Bool {
      a.probability != b.probability ? a.probability > b.probability : a.id < b.id
    }
    // The k best explicit entries, best first.
    var best: [Entry]
    if explicit.count <= 4 * k + 64 {
      best = Array(explicit.sorted(by: before).prefix(k))
    } else {
      // A heap with the worst kept entry on top.
      var heap: [Entry] = []
      heap.reserveCapacity(k)
      for e in explicit {
        if heap.count < k {
          heap.append(e)
          var c = heap.count - 1
          while c > 0 {
            let p = (c - 1) / 2
            guard before(heap[p], heap[c]) else { break }
            heap.swapAt(p, c)
            c = p
          }
        } else if before(e, heap[0]) {
          heap[0] = e
          var p = 0
          while true {
            let l = 2 * p + 1
            if l >= heap.count { break }
            var worst = l
            if l + 1 < heap.count && before(heap[l], heap[l + 1]) { worst = l + 1 }
            guard before(heap[p], heap[worst]) else { break }
            heap.swapAt(p, worst)
            p = worst
          }
        }
      }
      best = heap.sorted(by: before)
    }
    let defaults = vocabSize - explicit.count
    if defaults <= 0 { return best }
    // Columns not listed share defaultProbability; they come in id order, and the first k of
    // them are below k + explicit.count.
    let bound = min(vocabSize, k + explicit.count)
    var listed = [UInt64](repeating: 0, count: (bound + 63) / 64)
    for e in explicit where e.id < bound { listed[e.id >> 6] |= 1 << UInt64(e.id & 63) }
    var out: [Entry] = []
    out.reserveCapacity(k)
    var i = 0
    var nextDefault = 0
    func advanceDefault() {
      while nextDefault < bound && listed[nextDefault >> 6] & (1 << UInt64(nextDefault & 63)) != 0 {
        nextDefault += 1
      }
    }
    advanceDefault()
    while out.count < k {
      let haveE = i < best.count
      let haveD = nextDefault < bound
      if !haveE && !haveD { break }
      let takeE: Bool
      if haveE && haveD {
        let e = best[i]
        takeE = e.probability != defaultProbability ? e.probability > defaultProbability : e.id < nextDefault
      } else {
        takeE = haveE
      }
      if takeE {
        out.append(best[i])
        i += 1
      } else {
        out.append(Entry(id: nextDefault, probability: defaultProbability))
        nextDefault += 1
        advanceDefault()
      }
    }
    return out
  }

  /// The most probable id, lowest id on ties.
  public var argmax: Int { top(1).first?.id ?? 0 }

  /// Shannon entropy in bits.
  public var entropyBits: Double {
    var h = 0.0
    var listed = 0
    for e in explicit where e.probability > 0 { h -= e.probability * log2(e.probability) }
    listed = explicit.count
    let nd = Double(vocabSize - listed)
    if defaultProbability > 0 { h -= nd * defaultProbability * log2(defaultProbability) }
    return h
  }
}
