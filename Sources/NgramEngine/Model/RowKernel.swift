#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
internal import NgramKernels

/// The softmax passes of one training step over a row's explicit weights.
enum RowKernel {
  /// Rows with at least this many explicit columns are split over two threads when a team is
  /// given (below it the hand-off costs more than it saves; measured on fortunes, context 0).
  static let teamColumns = 2048

  /// Rows with at least this many explicit columns carry their exps from step to step (below it
  /// the exps are computed afresh every step, as the reference does).
  static let carryColumns = 64

  /// Carried exps are recomputed from the weights after this many steps (and at the start of
  /// each epoch of a row), so that their rounding errors cannot pile up: measured, they stay
  /// within a few ulps (`KernelTests`).
  static let carrySteps = 32

  /// A two-thread team for big rows (`ngk_team`), freed on deinit.
  final class Team: @unchecked Sendable {
    // Why `@unchecked Sendable` is sound: the C team is only touched through its own atomics
    // (`ngk_team_serve` on the helper, the `ngk_team_*` calls on the one driver thread), and it
    // is freed only after both threads have left it (`concurrentPerform` has joined them).
    let pointer: OpaquePointer
    init?() {
      guard let p = ngk_team_new() else { return nil }
      pointer = p
    }
    func serve() { ngk_team_serve(pointer) }
    func stop() { ngk_team_stop(pointer) }

    /// One step of a row of `k` columns on both threads; see `ngk_team_step`.
    @inline(__always)
    func step(
      _ w: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>, carryTo s2: UnsafeMutablePointer<Double>?,
      _ k: Int, m: Double, head: Double, lr: Double, dnum: Double, target: Int
    ) -> ngk_step_result {
      var r = ngk_step_result()
      ngk_team_step(pointer, w, s, s2, k, m, head, lr, dnum, target, &r)
      return r
    }
    deinit { ngk_team_free(pointer) }
  }

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

  /// Stores e^(w[j] − m) in `s[j]` and returns their sum: the C kernel (AVX2 or portable, chosen
  /// at run time) for eight columns or more, the same arithmetic inline for fewer.
  @inline(__always)
  static func expSum(_ w: UnsafeMutablePointer<Double>, _ s: UnsafeMutablePointer<Double>, _ k: Int, _ m: Double)
    -> Double
  {
    if k >= 8 { return ngk_exp_sum(w, s, k, m) }
    var z = 0.0
    for j in 0..<k {
      let e = exp1(w[j] - m)
      s[j] = e
      z += e
    }
    return z
  }

  /// The sum of the exps stored in `s[0..<k]`, in `expSum`'s order, and the largest of them.
  @inline(__always)
  static func sum(_ s: UnsafePointer<Double>, _ k: Int) -> (sum: Double, max: Double) {
    var m = 0.0
    let z = ngk_sum(s, k, &m)
    return (z, m)
  }

  /// How many of `s[0..<k]` are at least `t` (vectorised: the near-tie check's scan of a row).
  @inline(__always)
  static func count(_ s: UnsafePointer<Double>, _ k: Int, atLeast t: Double) -> Int { ngk_count_at_least(s, k, t) }

  /// Carried exps are within a relative 1e-14 of fresh ones (`carrySteps`); when the target's
  /// and another candidate's are nearer each other's than this, the step is computed afresh.
  static let nearTie = 1e-12

  /// The degree of the polynomial that carries exps when no column loses more than `dmax` of
  /// its weight, or 0 when none is exact enough (see `ngk_carry_degree`).
  @inline(__always)
  static func carryDegree(_ dmax: Double) -> Int { Int(ngk_carry_degree(dmax)) }

  /// `update`, also writing each column's exp carried to its new weight into `s2`.
  @inline(__always)
  static func updateCarry(
    _ w: UnsafeMutablePointer<Double>, _ s: UnsafePointer<Double>, _ s2: UnsafeMutablePointer<Double>, _ k: Int,
    rz: Double, _ lr: Double, degree: Int
  ) -> (maxS: Double, maxW: Double) {
    var maxS = 0.0
    var maxW = 0.0
    ngk_update_carry(w, s, s2, k, rz, lr, Int32(degree), &maxS, &maxW)
    return (maxS, maxW)
  }

  /// e^x for one value: the C library's, as the kernels use past their last full vector.
  @inline(__always)
  static func exp1(_ x: Double) -> Double { exp(x) }

  /// p[j] = s[j] · rz (rz = 1 / z; `s` keeps the exps), w[j] −= lr·p[j]; returns the largest
  /// s (0 when k = 0: the largest p is its s · rz, as p rounds monotonically in s) and the
  /// largest new w.
  @inline(__always)
  static func update(
    _ w: UnsafeMutablePointer<Double>, _ s: UnsafePointer<Double>, _ k: Int, rz: Double, _ lr: Double
  ) -> (maxS: Double, maxW: Double) {
    if k >= 4 {
      var maxS = 0.0
      var maxW = 0.0
      ngk_update(w, s, k, rz, lr, &maxS, &maxW)
      return (maxS, maxW)
    }
    var ms = 0.0
    var mw = -Double.infinity
    for j in 0..<k {
      let x = w[j] - lr * (s[j] * rz)
      w[j] = x
      if s[j] > ms { ms = s[j] }
      if x > mw { mw = x }
    }
    return (ms, mw)
  }
}

/// The exps of a row's steps: two buffers of `stride` doubles, the step's exps and those carried
/// to the next step (which swap roles each carried step).
struct RowScratch {
  let base: UnsafeMutablePointer<Double>
  let stride: Int

  /// Scratch for rows of up to `columns` explicit columns; free it with `deallocate`.
  init(columns: Int) {
    stride = max(columns, 1) + 8
    base = .allocate(capacity: 2 * stride)
  }

  func deallocate() { base.deallocate() }
}

/// What a row's steps hand on to the next, within one epoch of the row: whether the current
/// buffer holds the exps of the current weights (relative to `reference`), carried for `since`
/// steps. A new value starts an epoch (the first step computes its exps afresh); a step split
/// off the rest of its epoch (the Step screen) passes the same value on, so it computes what the
/// whole epoch does.
struct RowCarry {
  /// Whether exps may be carried at all (tests compare with `false`: afresh every step).
  var enabled = true
  var live = false
  var reference = 0.0
  var since = 0
  /// Whether the current buffer is the second one.
  var second = false

  /// This step computes its exps afresh, relative to `reference` (the row's largest weight).
  mutating func restart(at reference: Double) {
    live = false
    self.reference = reference
    since = 0
  }
}
