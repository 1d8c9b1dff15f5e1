/// Where the trained rows sit in the reference's row order, shared by the weights and embeddings writers.
enum ReferenceRows {
  /// The label of a reference row index: the context tokens joined by `|`.
  static func label(referenceRow idx: Int, model: NgramModel) -> String {
    let n = model.contextLength.value
    if n == 0 { return "(no context)" }
    let v = model.vocabulary.count
    var ids = [Int](repeating: 0, count: n)
    var x = idx
    for j in stride(from: n - 1, through: 0, by: -1) {
      ids[j] = x % v
      x /= v
    }
    return ids.map { model.vocabulary.tokens[$0] }.joined(separator: "|")
  }

  /// Trained rows by reference row index (the order every weights and embeddings file uses).
  /// (Trained and loaded models list their rows in this order already; then nothing is sorted.)
  static func trained(_ model: NgramModel) -> [(ref: Int, row: Int)] {
    let rows = model.trainedRowCount
    var refs = [UInt64](repeating: 0, count: rows)
    var inOrder = true
    for r in 0..<rows {
      refs[r] = UInt64(model.referenceRowIndex(r))
      if r > 0 && refs[r] <= refs[r - 1] { inOrder = false }
    }
    if inOrder { return (0..<rows).map { (Int(refs[$0]), $0) } }
    let order = KeySort.sort(&refs)
    return (0..<rows).map { (Int(refs[$0]), Int(order[$0])) }
  }

  /// V^n: the number of rows of a dense table (saturating).
  static func count(vocabSize v: Int, contextLength n: Int) -> Int {
    WeightsFormat.denseCellCount(vocabSize: v, contextLength: n) / max(v, 1)
  }
}
