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

  @Test(
    "a team step gives the bits of the one-thread passes (carrying its exps on or not), with or without its helper running"
  )
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
        // dnum: nil (no carrying), one that allows it, one too big.
        for dnum in [nil, 0.1, 1e9] as [Double?] {
          // One thread: the passes the trainer runs for a small row.
          var (wa, sa, s2a) = (w0, [Double](repeating: 0, count: k + 8), [Double](repeating: 0, count: k + 8))
          let z = Double(nd) * e0 + ngk_exp_sum(wa, &sa, k, m)
          let st = target < k ? sa[target] : 0
          var (ms, mw) = (0.0, 0.0)
          let degree = dnum.map { Int(ngk_carry_degree($0 * (1 / z))) } ?? 0
          if degree > 0 {
            ngk_update_carry(&wa, sa, &s2a, k, 1 / z, 0.1, Int32(degree), &ms, &mw)
          } else {
            ngk_update(&wa, &sa, k, 1 / z, 0.1, &ms, &mw)
          }
          #expect((dnum == 0.1) == (degree > 0), "k = \(k): degree \(degree) for dnum \(String(describing: dnum))")
          for helper in [false, true] {
            let team = try #require(RowKernel.Team())
            var (wb, sb, s2b) = (w0, [Double](repeating: 0, count: k + 8), [Double](repeating: 0, count: k + 8))
            var r = ngk_step_result()
            // With the helper serving on another thread, or none (the driver does both halves).
            let served = DispatchSemaphore(value: 0)
            if helper {
              DispatchQueue.global().async {
                team.serve()
                served.signal()
              }
            }
            s2b.withUnsafeMutableBufferPointer { s2p in
              ngk_team_step(
                team.pointer, &wb, &sb, dnum == nil ? nil : s2p.baseAddress, k, m, Double(nd) * e0, 0.1, dnum ?? .nan,
                target, &r)
            }
            team.stop()
            if helper { served.wait() }
            let label = "k = \(k), target \(target), helper \(helper), dnum \(String(describing: dnum))"
            #expect(r.z.bitPattern == z.bitPattern, "\(label)")
            #expect(Int(r.degree) == degree, "\(label)")
            if target < k { #expect(r.s_target.bitPattern == st.bitPattern && r.w_target == w0[target], "\(label)") }
            #expect(bits(wa) == bits(wb) && bits(sa) == bits(sb) && bits(s2a) == bits(s2b), "\(label)")
            #expect(r.max_s.bitPattern == ms.bitPattern && r.max_w.bitPattern == mw.bitPattern, "\(label)")
          }
        }
      }
    }
  }

  @Test(
    "carried exps: AVX2 and portable builds give the same bits at every degree; w and maxima are ngk_update's"
  )
  func carrySameBits() throws {
    try #require(ngk_cpu_has_avx2() != 0, "this machine has no AVX2: only the portable build can run")
    for w0 in Self.inputs() where !w0.isEmpty {
      let m = w0.max()!
      var e = [Double](repeating: 0, count: w0.count + 1)
      let z = ngk_exp_sum_portable(w0, &e, w0.count, m)
      var (ma, mb) = (0.0, 0.0)
      #expect(ngk_sum_portable(e, w0.count, &ma).bitPattern == z.bitPattern, "k = \(w0.count): sum in exp-sum's order")
      #expect(ngk_sum_avx2(e, w0.count, &mb).bitPattern == z.bitPattern, "k = \(w0.count)")
      #expect(ma == e.prefix(w0.count).max()! && mb == ma, "k = \(w0.count): the largest exp")
      for degree in [2, 3, 4, 5, 6, 8] {
        for lr in [0.1, 1e-4] {
          var (wa, wb, wc) = (w0, w0, w0)
          var (sa, sb, sc) = (e, e, e)
          var (pa, ma, pb, mb, pc, mc) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
          ngk_update_carry_portable(&wa, e, &sa, w0.count, 1 / z, lr, Int32(degree), &pa, &ma)
          ngk_update_carry_avx2(&wb, e, &sb, w0.count, 1 / z, lr, Int32(degree), &pb, &mb)
          ngk_update_portable(&wc, &sc, w0.count, 1 / z, lr, &pc, &mc)
          let label = "k = \(w0.count), degree \(degree), lr \(lr)"
          #expect(bits(wa) == bits(wb) && bits(sa) == bits(sb), "\(label)")
          #expect(bits(wa) == bits(wc), "\(label): the weights are the plain update's")
          #expect(pa.bitPattern == pb.bitPattern && ma.bitPattern == mb.bitPattern, "\(label)")
          #expect(pa.bitPattern == pc.bitPattern && ma.bitPattern == mc.bitPattern, "\(label)")
        }
      }
    }
  }

  /// Units in the last place between two positive doubles.
  func ulps(_ a: Double, _ b: Double) -> UInt64 {
    a.bitPattern > b.bitPattern ? a.bitPattern - b.bitPattern : b.bitPattern - a.bitPattern
  }

  @Test("ngk_carry_degree picks the lowest degree exact to within an ulp of e^(w - d) up to its bound")
  func carryDegreeBounds() {
    // Each degree's bound, with d at it, just below and far below: s2 = s e^-d within one ulp.
    let bounds: [(Int, Double)] = [(2, 4.3e-6), (3, 1.35e-4), (4, 1.1e-3), (5, 4.6e-3), (6, 1.3e-2), (8, 5.5e-2)]
    for (degree, bound) in bounds {
      #expect(Int(ngk_carry_degree(bound)) == degree)
      #expect(Int(ngk_carry_degree(bound.nextUp)) != degree)
    }
    #expect(ngk_carry_degree(5.5e-2.nextUp) == 0)
    #expect(ngk_carry_degree(.nan) == 0)
    #expect(ngk_carry_degree(.infinity) == 0)
    var g = SeededGenerator(seed: 31)
    var worst = 0 as UInt64
    for (_, bound) in bounds {
      // One column at a time: s = 1 ± something, rz = 1, lr = d / s puts d exactly where wanted.
      for _ in 0..<2000 {
        let s = Double.random(in: 0.5...1, using: &g)
        let d = bound * Double.random(in: 0.5...1, using: &g)
        let degree = ngk_carry_degree(d)
        var w = [0.0]
        var s2 = [0.0]
        var (ms, mw) = (0.0, 0.0)
        let lr = d / s
        ngk_update_carry(&w, [s], &s2, 1, 1, lr, degree, &ms, &mw)
        let dd = lr * (s * 1)
        worst = max(worst, ulps(s2[0], s * exp(-dd)))
      }
    }
    // One rounding in the last fused multiply-add, one in the reference s * exp(-d).
    #expect(worst <= 1, "\(worst) ulps")
  }

  @Test("exps carried for RowKernel.carrySteps steps stay within 48 ulps of e^(w - reference)")
  func carriedExpsDoNotDrift() {
    // A big row trained as the trainer does, carrying every step and computing the exps afresh
    // every `carrySteps`: after each step the carried exps are compared with exps computed
    // afresh from the weights. (Never recomputed, they drift by about 0.16 ulp a step: 63 ulps
    // after 400 steps, measured.)
    var g = SeededGenerator(seed: 44)
    let k = 1500
    var w = (0..<k).map { _ in Double.random(in: -4...2, using: &g) }
    var ref = w.max()!
    var s = [Double](repeating: 0, count: k)
    _ = ngk_exp_sum(w, &s, k, ref)
    var s2 = s
    var worst = 0 as UInt64
    let lr = 0.1
    for step in 0..<400 {
      if step % RowKernel.carrySteps == 0 {
        ref = w.max()!
        _ = ngk_exp_sum(w, &s, k, ref)
      }
      let t = Int.random(in: 0..<(step % 3 == 0 ? 20 : k), using: &g)
      var top = 0.0
      let z = ngk_sum(s, k, &top)
      let degree = ngk_carry_degree(lr * exp(w.max()! - ref) * (1 + 1e-9) / z)
      #expect(degree > 0)
      var (ms, mw) = (0.0, 0.0)
      let pt = s[t] * (1 / z)
      let wt = w[t]
      ngk_update_carry(&w, s, &s2, k, 1 / z, lr, degree, &ms, &mw)
      w[t] = wt - lr * (pt - 1)
      s2[t] = exp(w[t] - ref)
      swap(&s, &s2)
      for j in 0..<k { worst = max(worst, ulps(s[j], exp(w[j] - ref))) }
    }
    // Measured: 30 ulps (a relative 7e-15, the size of the rounding a different order of the
    // softmax sum makes), far below what the logs (8 decimals) and weights (4) print.
    #expect(worst <= 48, "\(worst) ulps")
  }

  @Test(
    "carrying exps changes no printed digit: a big row's losses, weights and argmax counts against afresh"
  )
  func carriedMatchesAfresh() {
    var g = SeededGenerator(seed: 9)
    // A row of 3000 possible next tokens, Zipf-like, 20000 steps an epoch: carried in blocks of 32.
    let v = 3000
    let targets: [Int32] = (0..<20000).map { _ in
      let u = Double.random(in: 0..<1, using: &g)
      return Int32(min(v - 1, Int(pow(Double(v), u)) - 1))
    }
    var local: [Int32: Int32] = [:]
    let lt = targets.map { t -> Int32 in
      if let j = local[t] { return j }
      local[t] = Int32(local.count)
      return Int32(local.count - 1)
    }
    func train(carry enabled: Bool) -> (losses: [Double], correct: [Int], w: [Double], w0: Double) {
      let cols = local.count
      let w = UnsafeMutablePointer<Double>.allocate(capacity: cols)
      w.initialize(repeating: 0, count: cols)
      let scratch = RowScratch(columns: cols)
      defer {
        w.deallocate()
        scratch.deallocate()
      }
      var (k, w0) = (0, 0.0)
      var events: [SparseRun.TieEvent] = []
      var losses: [Double] = []
      var correct: [Int] = []
      lt.withUnsafeBufferPointer { ltp in
        for _ in 0..<3 {
          var carry = RowCarry(enabled: enabled)
          let (l, c) = SparseRun.rowEpoch(
            weights: w, k: &k, w0: &w0, localTargets: ltp.baseAddress!, count: ltp.count, vocabSize: v, lr: 0.1,
            scratch: scratch, carry: &carry, events: &events)
          losses.append(l / Double(ltp.count))
          correct.append(c + events.count)
        }
      }
      return (losses, correct, Array(UnsafeBufferPointer(start: w, count: k)), w0)
    }
    let afresh = train(carry: false)
    let carried = train(carry: true)
    // The exps were carried (the last bits differ), yet nothing printed does.
    #expect(afresh.w.map(\.bitPattern) != carried.w.map(\.bitPattern), "carrying engaged")
    #expect(afresh.correct == carried.correct)
    for (a, b) in zip(afresh.losses, carried.losses) { #expect(abs(a - b) <= 1e-12 * a, "\(a) vs \(b)") }
    #expect(afresh.w.count == carried.w.count)
    let worst = zip(afresh.w, carried.w).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= 1e-12, "weights differ by \(worst)")
    #expect(abs(afresh.w0 - carried.w0) <= 1e-12)
    // Printed as the train log and the weights files print them: the same text.
    #expect(afresh.losses.map { CSV.fixed($0, decimals: 8) } == carried.losses.map { CSV.fixed($0, decimals: 8) })
    #expect(afresh.w.map { CSV.fixed($0, decimals: 4) } == carried.w.map { CSV.fixed($0, decimals: 4) })
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
    // Context 1 with four equally frequent words: four big rows, none too much for the other
    // worker to balance, so each is a work item of its own (no team).
    let hubs = ["a", "b", "c", "d"]
    let spread = (0..<48000).map { i in
      i % 2 == 0 ? hubs[(i / 2) % 4] : words[Int.random(in: 0..<words.count, using: &g)]
    }
    .joined(separator: " ")
    let corpus4 = try Corpus(bytes: Array(spread.utf8), path: "corpus/spread.txt")
    for (c, n, teamed) in [(corpus, 0, true), (corpus1, 1, true), (corpus4, 1, false)] {
      let trainer = try Trainer(corpus: c, config: TrainingConfig(contextLength: n, epochs: 2))
      let run = SparseRun(index: trainer.index, lr: 0.1)
      #expect(!run.bigClasses.isEmpty, "context \(n) has a big row")
      #expect(run.bigClasses.contains { run.isTeamed($0, workers: 2) } == teamed, "context \(n): teamed \(teamed)")
      if !teamed { #expect(run.bigClasses.count == 4) }
      let one = try trainer.train(workers: 1)
      let two = try trainer.train(workers: 2)
      #expect(one.log.map(\.avgLoss.bitPattern) == two.log.map(\.avgLoss.bitPattern), "context \(n)")
      #expect(one.log.map(\.accuracy) == two.log.map(\.accuracy), "context \(n)")
      #expect(one.model.weights.map(\.bitPattern) == two.model.weights.map(\.bitPattern), "context \(n)")
      #expect(one.model.rowDefault.map(\.bitPattern) == two.model.rowDefault.map(\.bitPattern), "context \(n)")
    }
  }
}
