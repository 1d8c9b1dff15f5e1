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
