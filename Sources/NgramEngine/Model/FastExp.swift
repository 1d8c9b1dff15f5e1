import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A vectorisable `exp` for the trainer's hot loop: Cody–Waite reduction and a degree-13
/// polynomial, within an ulp or so of the C library's `exp` for the inputs the trainer uses
/// (weights minus the row maximum, so never positive).
enum FastExp {
  /// e^x for eight lanes; inputs below −708 give 0.
  ///
  /// Rounding to the nearest multiple of ln 2 uses the 1.5·2^52 trick, which keeps every step
  /// in plain vector arithmetic.
  @inline(__always)
  static func exp8(_ x: SIMD8<Double>) -> SIMD8<Double> {
    let lo = SIMD8<Double>(repeating: -708)
    let xc = x.replacing(with: lo, where: x .< lo)
    let magic = SIMD8<Double>(repeating: 6755399441055744.0)
    let t = xc * 1.4426950408889634 + magic
    let n = t - magic
    let r = (xc - n * 6.93147180369123816490e-01) - n * 1.90821492927058770002e-10
    var p = SIMD8<Double>(repeating: 1.0 / 6227020800.0)  // 1/13!
    p = p * r + 1.0 / 479001600.0
    p = p * r + 1.0 / 39916800.0
    p = p * r + 1.0 / 3628800.0
    p = p * r + 1.0 / 362880.0
    p = p * r + 1.0 / 40320.0
    p = p * r + 1.0 / 5040.0
    p = p * r + 1.0 / 720.0
    p = p * r + 1.0 / 120.0
    p = p * r + 1.0 / 24.0
    p = p * r + 1.0 / 6.0
    p = p * r + 0.5
    p = p * r + 1.0
    p = p * r + 1.0
    let bits = (unsafeBitCast(t, to: SIMD8<UInt64>.self) &+ 1023) &<< 52
    return (p * unsafeBitCast(bits, to: SIMD8<Double>.self)).replacing(with: 0, where: x .< lo)
  }

  /// e^x for one value (the C library's, for the few columns past the last full vector).
  @inline(__always)
  static func exp1(_ x: Double) -> Double { libmExp(x) }
}

/// The softmax passes of one training step over a row's explicit weights.
enum RowKernel {
  /// The maximum of `w[0..<k]` and `start`.
  @inline(__always)
  static func max(_ w: UnsafeMutablePointer<Double>, _ k: Int, start: Double) -> Double {
    var j = 0
    var m4 = SIMD4<Double>(repeating: start)
    while j + 4 <= k {
      let x = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD4<Double>.self)
      m4 = m4.replacing(with: x, where: x .> m4)
      j += 4
    }
    var m = m4.max()
    while j < k {
      if w[j] > m { m = w[j] }
      j += 1
    }
    return m
  }

  /// Stores e^(w[j] − m) in `s[j]` and returns their sum.
  @inline(__always)
  static func expSum(_ w: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>, _ k: Int, _ m: Double)
    -> Double
  {
    var j = 0
    var z8 = SIMD8<Double>(repeating: 0)
    let m8 = SIMD8<Double>(repeating: m)
    while j + 8 <= k {
      let x = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD8<Double>.self)
      let e = FastExp.exp8(x - m8)
      UnsafeMutableRawPointer(s + j).storeBytes(of: e, as: SIMD8<Double>.self)
      z8 += e
      j += 8
    }
    var z = z8.sum()
    while j < k {
      let e = FastExp.exp1(w[j] - m)
      s[j] = e
      z += e
      j += 1
    }
    return z
  }

  /// p[j] = s[j] / z into `s`, w[j] −= lr·p[j]; returns the largest p and the largest new w.
  @inline(__always)
  static func update(
    _ w: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>, _ k: Int, _ z: Double, _ lr: Double,
    start: Double
  ) -> (maxP: Double, maxW: Double) {
    var j = 0
    var m4 = SIMD4<Double>(repeating: start)
    var w4max = SIMD4<Double>(repeating: -Double.infinity)
    let z4 = SIMD4<Double>(repeating: z)
    let lr4 = SIMD4<Double>(repeating: lr)
    while j + 4 <= k {
      let e = UnsafeRawPointer(s + j).loadUnaligned(as: SIMD4<Double>.self)
      let p = e / z4
      UnsafeMutableRawPointer(s + j).storeBytes(of: p, as: SIMD4<Double>.self)
      let x = UnsafeRawPointer(w + j).loadUnaligned(as: SIMD4<Double>.self) - lr4 * p
      UnsafeMutableRawPointer(w + j).storeBytes(of: x, as: SIMD4<Double>.self)
      m4 = m4.replacing(with: p, where: p .> m4)
      w4max = w4max.replacing(with: x, where: x .> w4max)
      j += 4
    }
    var m = m4.max()
    var mw = w4max.max()
    while j < k {
      let p = s[j] / z
      s[j] = p
      let x = w[j] - lr * p
      w[j] = x
      if p > m { m = p }
      if x > mw { mw = x }
      j += 1
    }
    return (m, mw)
  }

  /// How many of `s[0..<k]` equal `value`.
  @inline(__always)
  static func count(_ s: UnsafeMutablePointer<Double>, _ k: Int, equalTo value: Double) -> Int {
    var j = 0
    var c4 = SIMD4<Int64>(repeating: 0)
    let v4 = SIMD4<Double>(repeating: value)
    while j + 4 <= k {
      let x = UnsafeRawPointer(s + j).loadUnaligned(as: SIMD4<Double>.self)
      c4 = c4.replacing(with: c4 &+ 1, where: x .== v4)
      j += 4
    }
    var c = Int(c4.wrappedSum())
    while j < k {
      if s[j] == value { c += 1 }
      j += 1
    }
    return c
  }
}
