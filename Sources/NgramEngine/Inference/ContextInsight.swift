import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What followed a context in the corpus: the count-based view beside the model's probabilities.
public struct SuccessorCounts: Sendable, Equatable {
  /// How many times the context occurred followed by a token (its training pairs).
  public let occurrences: Int
  /// Each token that followed it and how often, by count descending then id ascending.
  public let counts: [Count]

  /// One observed successor.
  public struct Count: Sendable, Equatable {
    /// The token id.
    public let id: Int
    /// How often it followed the context.
    public let count: Int
  }

  /// No occurrence: what a model that was not counted from a corpus (an ARPA file) shows.
  public static let none = SuccessorCounts(occurrences: 0, counts: [])

  /// The relative frequency of `id` after the context (0 when never seen).
  public func frequency(of id: Int) -> Double {
    guard occurrences > 0 else { return 0 }
    return Double(counts.first { $0.id == id }?.count ?? 0) / Double(occurrences)
  }

  /// KL(observed ‖ model) in bits: how far the model still is from the count-based estimate
  /// (0 when the context never occurred). Infinite only if the model gives an observed token 0.
  public func klDivergenceBits(from model: Distribution) -> Double {
    guard occurrences > 0 else { return 0 }
    var modelProbability: [Int: Double] = [:]
    modelProbability.reserveCapacity(model.explicit.count)
    for e in model.explicit { modelProbability[e.id] = e.probability }
    var kl = 0.0
    for c in counts {
      let p = Double(c.count) / Double(occurrences)
      let q = modelProbability[c.id] ?? model.defaultProbability
      kl += p * log2(p / q)
    }
    return max(kl, 0)
  }
}

extension Corpus {
  /// The tokens that followed `context` (n ids; empty for the unigram) in corpus order of pairs.
  public func successorTargets(of context: [Int]) -> [Int32] {
    let n = context.count
    guard tokenIDs.count > n else { return [] }
    let ctx = context.map { Int32($0) }
    var out: [Int32] = []
    tokenIDs.withUnsafeBufferPointer { t in
      outer: for i in 0..<(t.count - n) {
        for j in 0..<n where t[i + j] != ctx[j] { continue outer }
        out.append(t[i + n])
      }
    }
    return out
  }

  /// How often `context` occurred and what followed it.
  public func successors(of context: [Int]) -> SuccessorCounts {
    let targets = successorTargets(of: context)
    var counts: [Int32: Int] = [:]
    for t in targets { counts[t, default: 0] += 1 }
    let sorted = counts.map { SuccessorCounts.Count(id: Int($0.key), count: $0.value) }
      .sorted { $0.count != $1.count ? $0.count > $1.count : $0.id < $1.id }
    return SuccessorCounts(occurrences: targets.count, counts: sorted)
  }
}

/// A context's distribution after every epoch, replayed from its own targets alone.
///
/// A row's training depends only on the targets that followed its context, in corpus order, so
/// its state after epoch K is recomputed exactly (the trainer's own step function) without
/// retraining the model: identical to training with `--epochs K`.
public enum TimeTravel {
  /// Distributions after epochs 0 (all zero: uniform) through `epochs`.
  public static func history(
    corpus: Corpus, context: [Int], learningRate: Double, epochs: Int
  ) -> [Distribution] {
    replay(corpus: corpus, context: context, learningRate: learningRate, epochs: epochs, keepAll: true)
  }

  /// The distribution after `epochs` epochs alone: memory does not grow with `epochs`.
  public static func distribution(
    corpus: Corpus, context: [Int], learningRate: Double, epochs: Int
  ) -> Distribution {
    replay(corpus: corpus, context: context, learningRate: learningRate, epochs: epochs, keepAll: false)[0]
  }

  /// Replays the context's row; keeps every epoch's distribution, or only the last one.
  private static func replay(
    corpus: Corpus, context: [Int], learningRate: Double, epochs: Int, keepAll: Bool
  ) -> [Distribution] {
    let v = corpus.vocabulary.count
    let targets = corpus.successorTargets(of: context)
    var cols: [Int32] = []
    var local: [Int32: Int32] = [:]
    var lt: [Int32] = []
    for t in targets {
      if let j = local[t] {
        lt.append(j)
      } else {
        local[t] = Int32(cols.count)
        lt.append(Int32(cols.count))
        cols.append(t)
      }
    }
    let w = UnsafeMutablePointer<Double>.allocate(capacity: max(cols.count, 1))
    w.initialize(repeating: 0, count: max(cols.count, 1))
    let scratch = RowScratch(columns: cols.count)
    defer {
      w.deallocate()
      scratch.deallocate()
    }
    var k = 0
    var w0 = 0.0
    var events: [SparseRun.TieEvent] = []
    func snapshot() -> Distribution {
      Distribution.softmax(
        vocabSize: v, sharedWeight: w0, columns: cols[0..<k],
        weights: Array(UnsafeBufferPointer(start: w, count: k))[...])
    }
    var out = [snapshot()]
    guard !targets.isEmpty else {
      return keepAll ? Array(repeating: out[0], count: epochs + 1) : out
    }
    lt.withUnsafeBufferPointer { ltp in
      for _ in 0..<epochs {
        var carry = RowCarry()
        _ = SparseRun.rowEpoch(
          weights: w, k: &k, w0: &w0, localTargets: ltp.baseAddress!, count: ltp.count, vocabSize: v,
          lr: learningRate, scratch: scratch, carry: &carry, events: &events)
        if keepAll { out.append(snapshot()) }
      }
    }
    return keepAll ? out : [snapshot()]
  }
}

extension Trainer {
  /// The lowest average loss any model of this form can reach on the training pairs: the
  /// conditional entropy (nats) of the observed successor counts, the count-based optimum that
  /// this zero-initialised softmax regression converges toward.
  public var countOptimumLoss: Double {
    var total = 0.0
    var counts = [Int](repeating: 0, count: 0)
    for r in 0..<index.rowCount {
      let a = index.pairOffsets[r], b = index.pairOffsets[r + 1]
      let distinct = index.colOffsets[r + 1] - index.colOffsets[r]
      if counts.count < distinct { counts = [Int](repeating: 0, count: distinct) }
      for j in 0..<distinct { counts[j] = 0 }
      for q in a..<b { counts[Int(index.localTargets[q])] += 1 }
      let n = Double(b - a)
      for j in 0..<distinct {
        let c = Double(counts[j])
        total -= c * libmLog(c / n)
      }
    }
    return index.pairCount > 0 ? total / Double(index.pairCount) : 0
  }
}
