/// Sorting by 64-bit keys without comparisons: a least-significant-digit radix sort, 11 bits a
/// pass, only as many passes as the largest key needs; keys travel with their indices, so every
/// pass reads and writes its arrays in order.
enum KeySort {
  /// Sorts `keys` (stable) and returns, for each position of the sorted keys, the index the key
  /// had before.
  static func sort(_ keys: inout [UInt64]) -> [Int32] {
    let count = keys.count
    var order = [Int32](unsafeUninitializedCapacity: count) { b, n in
      for i in 0..<count { b[i] = Int32(i) }
      n = count
    }
    guard count > 1 else { return order }
    var largest: UInt64 = 0
    for k in keys { largest |= k }
    let bits = 64 - largest.leadingZeroBitCount
    if bits == 0 { return order }
    let digitBits = 11
    let buckets = 1 << digitBits
    let mask = UInt64(buckets - 1)
    var spareKeys = [UInt64](repeating: 0, count: count)
    var spareOrder = [Int32](repeating: 0, count: count)
    var histogram = [Int](repeating: 0, count: buckets)
    var shift = 0
    while shift < bits {
      let s = UInt64(shift)
      histogram.withUnsafeMutableBufferPointer { h in
        for i in 0..<buckets { h[i] = 0 }
        keys.withUnsafeBufferPointer { k in
          order.withUnsafeBufferPointer { o in
            spareKeys.withUnsafeMutableBufferPointer { k2 in
              spareOrder.withUnsafeMutableBufferPointer { o2 in
                for i in 0..<count { h[Int((k[i] >> s) & mask)] += 1 }
                var total = 0
                for i in 0..<buckets {
                  let c = h[i]
                  h[i] = total
                  total += c
                }
                for i in 0..<count {
                  let d = Int((k[i] >> s) & mask)
                  k2[h[d]] = k[i]
                  o2[h[d]] = o[i]
                  h[d] += 1
                }
              }
            }
          }
        }
      }
      swap(&keys, &spareKeys)
      swap(&order, &spareOrder)
      shift += digitBits
    }
    return order
  }
}
