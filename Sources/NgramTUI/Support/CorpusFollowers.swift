import Foundation
import NgramEngine

/// What actually followed a context in the corpus: counts read straight from the token ids.
struct CorpusFollowers: Sendable, Equatable {
  /// Training pairs whose context is this one.
  let occurrences: Int
  /// Each next token id with how often it followed, most frequent first (ties by lower id).
  let counts: [(id: Int, count: Int)]

  static func == (a: CorpusFollowers, b: CorpusFollowers) -> Bool {
    a.occurrences == b.occurrences && a.counts.elementsEqual(b.counts) { $0.id == $1.id && $0.count == $1.count }
  }

  /// How often token `id` followed.
  func count(of id: Int) -> Int { counts.first { $0.id == id }?.count ?? 0 }

  /// Scans the corpus for `context` (n ids; empty for the unigram model, where every token counts).
  init(tokenIDs: [Int32], context: [Int]) {
    let n = context.count
    var tally: [Int: Int] = [:]
    var occ = 0
    if tokenIDs.count > n {
      tokenIDs.withUnsafeBufferPointer { p in
        let ctx = context.map { Int32($0) }
        outer: for i in 0..<(p.count - n) {
          for j in 0..<n where p[i + j] != ctx[j] { continue outer }
          occ += 1
          tally[Int(p[i + n]), default: 0] += 1
        }
      }
    }
    occurrences = occ
    counts = tally.map { (id: $0.key, count: $0.value) }.sorted {
      $0.count != $1.count ? $0.count > $1.count : $0.id < $1.id
    }
  }
}

/// Sampling with a temperature from the engine's sparse distribution.
enum Sampler {
  /// Draws one token id from `dist` with probabilities proportional to p^(1/temperature).
  static func sample(_ dist: Distribution, temperature: Double, rng: inout SplitMix64) -> Int {
    let t = max(temperature, 0.01)
    let explicitIDs = Set(dist.explicit.map(\.id))
    let others = dist.vocabSize - explicitIDs.count
    // Work in log space relative to the largest probability so small temperatures do not underflow.
    var logs: [(id: Int, logp: Double)] = dist.explicit.map {
      ($0.id, $0.probability > 0 ? log($0.probability) : -.infinity)
    }
    let logDefault = dist.defaultProbability > 0 ? log(dist.defaultProbability) : -Double.infinity
    let m = max(logs.map(\.logp).max() ?? -.infinity, others > 0 ? logDefault : -.infinity)
    var weights: [Double] = []
    var total = 0.0
    for i in logs.indices {
      let w = exp((logs[i].logp - m) / t)
      weights.append(w)
      total += w
    }
    let wDefault = others > 0 ? exp((logDefault - m) / t) : 0
    total += wDefault * Double(others)
    logs.sort { $0.id < $1.id }
    var u = rng.nextUnit() * total
    let byID = Dictionary(uniqueKeysWithValues: zip(dist.explicit.map(\.id), weights))
    // Walk ids in order so the outcome depends only on the distribution and the draw.
    var id = 0
    var e = 0
    while id < dist.vocabSize {
      let w: Double
      if e < logs.count && logs[e].id == id {
        w = byID[id] ?? 0
        e += 1
      } else {
        // Jump over a run of default-probability ids at once.
        let nextExplicit = e < logs.count ? logs[e].id : dist.vocabSize
        let run = nextExplicit - id
        let mass = wDefault * Double(run)
        if u < mass, wDefault > 0 { return min(id + Int(u / wDefault), nextExplicit - 1) }
        u -= mass
        id = nextExplicit
        continue
      }
      if u < w { return id }
      u -= w
      id += 1
    }
    return dist.argmax
  }
}
