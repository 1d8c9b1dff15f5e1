import Dispatch
import Testing
#if canImport(Glibc)
  import Glibc
#endif

@testable import NgramEngine
import NgramKernels

/// The trainer's softmax kernels: the AVX2 build and the portable build of the same C source, and
/// the inline Swift path for short rows, must give the same bits on every input — otherwise the
/// train log would depend on the CPU that runs it.
@Suite("Row kernels")
struct KernelTests {
  /// Weight vectors of many lengths (below, at and past the 4- and 8-lane blocks) with a spread of
  /// values: ordinary weights, equal weights (ties), and values far below the maximum, including
  /// ones that underflow (below −708 from the maximum).
  static func inputs() -> [[Double]] {
    var g = SeededGenerator(seed: 12)
    var out: [[Double]] = []
    for k in Array(0...40) + [63, 64, 65, 1000, 4099] {
      var w: [Double] = []
      for j in 0..<k {
        switch j % 7 {
        case 0: w.append(0.5)
        case 1: w.append(-Double.random(in: 0...800, using: &g))
        case 2: w.append(-708.0 + 0.5)
        default: w.append(Double.random(in: -3...3, using: &g))
        }
      }
      out.append(w)
    }
    return out
  }

  func bits(_ xs: [Double]) -> [UInt64] { xs.map(\.bitPattern) }

  @Test("exp-sum: AVX2 and portable builds give identical bits")
  func expSumSameBits() throws {
    try #require(ngk_cpu_has_avx2() != 0, "this machine has no AVX2: only the portable build can run")
    for w in Self.inputs() {
      let m = w.max() ?? 0
      for shift in [0.0, 1.25, -2.0] {
        var s1 = [Double](repeating: 0, count: w.count + 1)
        var s2 = s1
        let z1 = ngk_exp_sum_portable(w, &s1, w.count, m + shift)
        let z2 = ngk_exp_sum_avx2(w, &s2, w.count, m + shift)
        #expect(z1.bitPattern == z2.bitPattern, "k = \(w.count): \(z1) vs \(z2)")
        #expect(bits(s1) == bits(s2), "k = \(w.count)")
      }
    }
  }

  @Test("the kernels' exp is within one ulp of the C library's exp, and 0 below -708")
  func expAgainstLibm() {
    // x = w - m over [-708, 0] (uniform, near 0, near -708, and at the reduction's boundaries,
    // multiples of ln 2 / 8) plus values past -708, in one row so the vector part covers them.
    var g = SeededGenerator(seed: 5)
    var w: [Double] = [0, -708, -708.0000001, -707.9999999, -709, -745, -800, -1e-300, -0x1p-60]
    for i in 0..<20000 {
      w.append(-Double.random(in: 0...708, using: &g))
      w.append(-Double.random(in: 0...1, using: &g))
      w.append(-Double.random(in: 0...1e-8, using: &g))
      w.append(-708 + Double.random(in: 0...1, using: &g))
      let b = -Double(i % 8200) * 0.6931471805599453 / 8
      w.append(b.nextDown)
      w.append(b)
      w.append(b.nextUp > 0 ? b : b.nextUp)
    }
    w += [Double](repeating: -1, count: 8 - w.count % 8)
    for build in ["portable", "avx2"] {
      if build == "avx2" && ngk_cpu_has_avx2() == 0 { continue }
      var s = [Double](repeating: 0, count: w.count)
      _ = build == "avx2" ? ngk_exp_sum_avx2(w, &s, w.count, 0) : ngk_exp_sum_portable(w, &s, w.count, 0)
      var worst = 0
      var worstAt = 0.0
      for (x, e) in zip(w, s) {
        let ref = x < -708 ? 0 : exp(x)
        let ulps = Int(e.bitPattern > ref.bitPattern ? e.bitPattern - ref.bitPattern : ref.bitPattern - e.bitPattern)
        if ulps > worst { (worst, worstAt) = (ulps, x) }
      }
      #expect(worst <= 1, "\(build): \(worst) ulps at x = \(worstAt)")
    }
  }

  @Test("update: AVX2 and portable builds give identical bits and maxima")
  func updateSameBits() throws {
    try #require(ngk_cpu_has_avx2() != 0, "this machine has no AVX2: only the portable build can run")
    for w0 in Self.inputs() {
      let m = w0.max() ?? 0
      var e = [Double](repeating: 0, count: w0.count + 1)
      let z = ngk_exp_sum_portable(w0, &e, w0.count, m)
      for lr in [0.1, 25.0] {
        var (wa, sa, wb, sb) = (w0, e, w0, e)
        var (pa, ma) = (0.0, 0.0)
        var (pb, mb) = (0.0, 0.0)
        let rz = 1 / z
        ngk_update_portable(&wa, &sa, w0.count, rz, lr, &pa, &ma)
        ngk_update_avx2(&wb, &sb, w0.count, rz, lr, &pb, &mb)
        #expect(bits(wa) == bits(wb) && bits(sa) == bits(sb) && bits(sa) == bits(e), "k = \(w0.count)")
        #expect(pa.bitPattern == pb.bitPattern && ma.bitPattern == mb.bitPattern, "k = \(w0.count)")
        // The update is w - lr * (e * rz), and the fused maxima are the plain ones; the largest
        // exp times rz is the largest p (rounding is monotonic).
        let exps = Array(e.prefix(w0.count))
        let ps = exps.map { $0 * rz }
        #expect(bits(Array(wa.prefix(w0.count))) == bits(zip(w0, ps).map { $0 - lr * $1 }), "k = \(w0.count)")
        #expect(pa == (exps.max() ?? 0), "k = \(w0.count)")
        if let best = ps.max() { #expect(pa * rz == best, "k = \(w0.count)") }
        #expect(ma == (wa.prefix(w0.count).max() ?? -.infinity), "k = \(w0.count)")
      }
    }
  }

  @Test("the trainer's inline path for short rows matches the C kernels bit for bit")
  func inlineMatchesKernel() {
    for w0 in Self.inputs() where w0.count < 12 {
      let m = w0.max() ?? 0
      var w = w0
      var s = [Double](repeating: 0, count: w.count + 1)
      var sc = s
      let z = w.withUnsafeMutableBufferPointer { wp in
        s.withUnsafeMutableBufferPointer { sp in RowKernel.expSum(wp.baseAddress!, sp.baseAddress!, w0.count, m) }
      }
      let zc = ngk_exp_sum_portable(w0, &sc, w0.count, m)
      #expect(z.bitPattern == zc.bitPattern && bits(s) == bits(sc), "k = \(w0.count)")
      var wc = w0
      let r = w.withUnsafeMutableBufferPointer { wp in
        s.withUnsafeMutableBufferPointer { sp in
          RowKernel.update(wp.baseAddress!, sp.baseAddress!, w0.count, rz: 1 / z, 0.1)
        }
      }
      var (ms, mw) = (0.0, 0.0)
      ngk_update_portable(&wc, &sc, w0.count, 1 / zc, 0.1, &ms, &mw)
      #expect(bits(w) == bits(wc) && bits(s) == bits(sc), "k = \(w0.count)")
      #expect(r.maxS.bitPattern == ms.bitPattern && r.maxW.bitPattern == mw.bitPattern, "k = \(w0.count)")
    }
  }

  @Test("training gives the same log and weights whichever kernel build runs")
  func trainingSameOnBothBuilds() throws {
    try #require(ngk_cpu_has_avx2() != 0, "this machine has no AVX2: only the portable build can run")
    var g = SeededGenerator(seed: 3)
    let words = (0..<300).map { "w\($0)" }
    let text = (0..<6000).map { _ in words[Int.random(in: 0..<Int.random(in: 1...300, using: &g), using: &g)] }
      .joined(separator: " ")
    let corpus = try Corpus(bytes: Array(text.utf8), path: "corpus/k.txt")
    for n in 0...2 {
      let trainer = try Trainer(corpus: corpus, config: TrainingConfig(contextLength: n, epochs: 4))
      ngk_force_portable(1)
      let portable = try trainer.train(workers: 2)
      ngk_force_portable(0)
      #expect(ngk_uses_avx2() != 0)
      let fast = try trainer.train(workers: 2)
      #expect(portable.log.map(\.avgLoss.bitPattern) == fast.log.map(\.avgLoss.bitPattern), "context \(n)")
      #expect(portable.log.map(\.accuracy) == fast.log.map(\.accuracy), "context \(n)")
      #expect(portable.model.weights.map(\.bitPattern) == fast.model.weights.map(\.bitPattern), "context \(n)")
    }
  }

  @Test("a team step gives the bits of the one-thread passes, with or without its helper running")
  func teamStepSameBits() throws {
    var g = SeededGenerator(seed: 21)
    for k in [2048, 2049, 2055, 3000, 4103] {
      var w0: [Double] = []
      for j in 0..<k {
        switch j % 5 {
        case 0: w0.append(0.25)
        case 1: w0.append(-Double.random(in: 0...900, using: &g))
        default: w0.append(Double.random(in: -3...3, using: &g))
        }
      }
      let m = w0.max()!
      for (target, hasDefault) in [(0, true), (k - 1, false), (k / 2 + 3, true), (k, true)] {
        let (nd, e0) = hasDefault ? (17, exp(0.1 - m)) : (0, 0.0)
        // One thread: the passes the trainer runs for a small row.
        var (wa, sa) = (w0, [Double](repeating: 0, count: k + 8))
        let z = Double(nd) * e0 + ngk_exp_sum(wa, &sa, k, m)
        let st = target < k ? sa[target] : 0
        var (ms, mw) = (0.0, 0.0)
        ngk_update(&wa, &sa, k, 1 / z, 0.1, &ms, &mw)
        for helper in [false, true] {
          let team = try #require(RowKernel.Team())
          var (wb, sb) = (w0, [Double](repeating: 0, count: k + 8))
          var r = ngk_step_result()
          // With the helper serving on another thread, or none (the driver does both halves).
          let served = DispatchSemaphore(value: 0)
          if helper {
            DispatchQueue.global().async {
              team.serve()
              served.signal()
            }
          }
          ngk_team_step(team.pointer, &wb, &sb, k, m, Double(nd) * e0, 0.1, target, &r)
          team.stop()
          if helper { served.wait() }
          let label = "k = \(k), target \(target), helper \(helper)"
          #expect(r.z.bitPattern == z.bitPattern, "\(label)")
          if target < k { #expect(r.s_target.bitPattern == st.bitPattern && r.w_target == w0[target], "\(label)") }
          #expect(bits(wa) == bits(wb) && bits(sa) == bits(sb), "\(label)")
          #expect(r.max_s.bitPattern == ms.bitPattern && r.max_w.bitPattern == mw.bitPattern, "\(label)")
        }
      }
    }
  }

  @Test("rows big enough for two threads train to the same log and weights on one worker and on two")
  func bigRowsSameOnOneAndTwoWorkers() throws {
    var g = SeededGenerator(seed: 8)
    let words = (0..<(RowKernel.teamColumns + 500)).map { "w\($0)" }
    let text = (0..<9000).map { _ in words[Int.random(in: 0..<words.count, using: &g)] }.joined(separator: " ")
    let corpus = try Corpus(bytes: Array(text.utf8), path: "corpus/big.txt")
    // Context 0: one row of every word; context 1 with a repeated word: one big row among small ones.
    let skewed = (0..<9000).map { i in i % 2 == 0 ? "the" : words[Int.random(in: 0..<words.count, using: &g)] }
      .joined(separator: " ")
    let corpus1 = try Corpus(bytes: Array(skewed.utf8), path: "corpus/skewed.txt")
    for (c, n) in [(corpus, 0), (corpus1, 1)] {
      let trainer = try Trainer(corpus: c, config: TrainingConfig(contextLength: n, epochs: 2))
      #expect(!SparseRun(index: trainer.index, lr: 0.1).bigClasses.isEmpty, "context \(n) has a big row")
      let one = try trainer.train(workers: 1)
      let two = try trainer.train(workers: 2)
      #expect(one.log.map(\.avgLoss.bitPattern) == two.log.map(\.avgLoss.bitPattern), "context \(n)")
      #expect(one.log.map(\.accuracy) == two.log.map(\.accuracy), "context \(n)")
      #expect(one.model.weights.map(\.bitPattern) == two.model.weights.map(\.bitPattern), "context \(n)")
      #expect(one.model.rowDefault.map(\.bitPattern) == two.model.rowDefault.map(\.bitPattern), "context \(n)")
    }
  }
}
