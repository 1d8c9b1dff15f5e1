import Dispatch
import NgramEngine
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The Train screen: corpus facts, progress, loss and accuracy charts, and the run's status.
enum TrainView {
  /// What the Train screen shows.
  struct Model {
    let info: SessionInfo
    let train: TrainDisplay
    let glyphs: Glyphs
    /// What to show instead of a run, for a model that does not train.
    let description: ModelDescription?

    init(_ s: AppState) {
      info = s.info
      train = s.train
      glyphs = s.glyphs
      description = s.profile.description
    }
  }

  /// Draws `view` into `r`.
  static func draw(_ view: Model, in r: Rect, into g: inout Grid) {
    if let description = view.description {
      drawDescription(description, glyphs: view.glyphs, in: r, into: &g)
      return
    }
    let info = view.info
    let t = view.train
    let gl = view.glyphs
    var y = r.y
    let facts1 = Format.fields(
      [
        "corpus \(info.corpusName)", "tokens \(Format.count(info.tokens))",
        "vocabulary \(Format.count(info.vocabSize))", "pairs \(Format.count(info.pairs))",
      ], width: r.width)
    let facts2 = Format.fields(
      [
        "context length \(info.contextLength)", "learning rate \(lr(info.learningRate))", "epochs \(info.epochs)",
        "contexts \(Format.count(info.contexts))", info.holdout > 0 ? "holdout \(Format.percent(info.holdout))" : "",
      ], width: r.width)
    g.put(facts1, x: r.x, y: y, maxWidth: r.width)
    y += 1
    g.put(facts2, x: r.x, y: y, style: .dim, maxWidth: r.width)
    y += 2

    // Progress bar and epoch counter.
    let shown = t.shown
    let label = "  epoch \(shown)/\(t.totalEpochs)"
    let fraction = t.progressFraction(pairsPerEpoch: info.pairs)
    let pct = "  " + DisplayWidth.padLeft(Format.fixed(fraction * 100, 0) + "%", to: 4)
    let barWidth = max(10, r.width - DisplayWidth.of(label) - DisplayWidth.of(pct) - 2)
    let (filled, track) = gl.bar(fraction: fraction, width: barWidth)
    var x = g.put(gl.unicode ? "▕" : "[", x: r.x, y: y, style: .dim)
    x = g.put(filled, x: x, y: y, style: .bar)
    x = g.put(track, x: x, y: y, style: .track)
    x = g.put(gl.unicode ? "▏" : "]", x: x, y: y, style: .dim)
    x = g.put(label, x: x, y: y, style: .heading)
    g.put(pct, x: x, y: y)
    y += 1

    // Throughput, time, view.
    let st = t.status
    let pairsSoFar = Double(st.epochsDone * info.pairs + (st.phase == .training ? st.pairsDone : 0))
    let rate = st.elapsed > 0 ? pairsSoFar / st.elapsed : 0
    var parts = ["\(Format.rate(rate)) pairs/s"]
    if st.phase == .training {
      let remaining = Double(t.totalEpochs * info.pairs) - pairsSoFar
      parts += [
        "elapsed \(Format.duration(st.elapsed))", "ETA " + (rate > 0 ? Format.duration(remaining / rate) : "--"),
      ]
    } else if let rem = t.replayRemaining {
      parts.append("trained in \(Format.duration(st.elapsed)); replaying, \(Format.duration(rem)) left")
    } else {
      parts.append("elapsed \(Format.duration(st.elapsed))")
    }
    let stateLabel: String
    let stateStyle: Style
    if t.paused {
      stateLabel = "PAUSED"
      stateStyle = .warning
    } else if st.phase == .training || t.replaying {
      stateLabel = "TRAINING"
      stateStyle = .heading
    } else {
      stateLabel = "DONE"
      stateStyle = .good
    }
    // The line ends a column before the state label, which keeps the right edge.
    let room = max(0, r.width - DisplayWidth.of(stateLabel) - 1)
    g.put(Format.fields(parts, width: room), x: r.x, y: y, maxWidth: room)
    g.put(stateLabel, x: r.x + r.width - DisplayWidth.of(stateLabel), y: y, style: stateStyle)
    y += 1

    // Latest and best.
    let hist = Array(t.visibleHistory)
    if let last = hist.last {
      var bestLoss = last
      var bestLossEpoch = hist.count
      var bestAcc = last
      var bestAccEpoch = hist.count
      for (i, p) in hist.enumerated() {
        if p.loss < bestLoss.loss || bestLoss.loss.isNaN { bestLoss = p; bestLossEpoch = i + 1 }
        if p.accuracy > bestAcc.accuracy { bestAcc = p; bestAccEpoch = i + 1 }
      }
      let s = Format.fields(
        [
          "loss \(Format.fixed(last.loss, 4)) (best \(Format.fixed(bestLoss.loss, 4)), epoch \(bestLossEpoch))",
          "accuracy \(Format.percent(last.accuracy)) (best \(Format.percent(bestAcc.accuracy)), epoch \(bestAccEpoch))",
        ], width: r.width)
      g.put(s, x: r.x, y: y, maxWidth: r.width)
    } else {
      g.put("loss --   accuracy --   (waiting for the first epoch)", x: r.x, y: y, style: .dim, maxWidth: r.width)
    }
    y += 1

    // Held-out scores (with --holdout).
    let held = Array(st.heldOut.prefix(shown))
    if info.holdout > 0 {
      if let last = held.last {
        let best = held.enumerated().min { $0.element < $1.element }!
        let line = Format.fields(
          [
            "held-out loss \(Format.fixed(last, 4)) (best \(Format.fixed(best.element, 4)), epoch \(best.offset + 1))",
            "perplexity \(Format.fixed(exp(last), 2))", "unseen \(Format.percent(st.unseenContexts))",
          ], width: r.width, separators: ["  ", " "])
        g.put(line, x: r.x, y: y, maxWidth: r.width)
      } else {
        g.put(
          "held-out loss --  (the last \(Format.percent(info.holdout)) of the tokens, scored after each epoch)",
          x: r.x, y: y, style: .dim, maxWidth: r.width)
      }
      y += 1
    }

    // A warning for NaN, a diverging loss, or overfitting.
    if let w = warning(hist) ?? overfitting(held) {
      g.put(w, x: r.x, y: y, style: .warning, maxWidth: r.width)
    }
    y += 1

    // Charts.
    let statusRows = 2
    let chartArea = r.bottom - y - statusRows
    let each = max(2, chartArea / 2)
    let plotRows = each - 1
    let maxLoss = (hist.map(\.loss) + held).filter(\.isFinite).max() ?? 1
    let lossLabel = Format.fixed(max(maxLoss, 0), 4)
    let labelWidth = max(DisplayWidth.of(lossLabel), 4)
    Chart.draw(
      title: "loss per epoch" + (info.lossFloor.map { "  (floor \(Format.fixed($0, 4)): the count optimum)" } ?? "")
        + (info.holdout > 0 ? "  \(gl.unicode ? "•" : "*") held-out loss" : ""),
      values: hist.map(\.loss), total: t.totalEpochs, maxValue: max(maxLoss, 1e-9),
      topLabel: lossLabel, bottomLabel: "0", labelWidth: labelWidth, reference: info.lossFloor, overlay: held,
      glyphs: gl,
      rect: Rect(x: r.x, y: y, width: r.width, height: plotRows + 1), into: &g)
    y += each
    Chart.draw(
      title: "accuracy per epoch", values: hist.map(\.accuracy), total: t.totalEpochs, maxValue: 1, topLabel: "100%",
      bottomLabel: "0%", labelWidth: labelWidth, glyphs: gl,
      rect: Rect(x: r.x, y: y, width: r.width, height: plotRows + 1), into: &g)

    // Status line.
    let sy = r.bottom - 1
    switch st.phase {
    case .training:
      if t.paused {
        g.put(
          st.trainerPaused || t.replaying
            ? "paused: press n to run one epoch, Space to resume"
            : "pausing after the current epoch...", x: r.x, y: sy, style: .warning, maxWidth: r.width)
      } else if t.replaying {
        g.put("replaying the finished epochs (s skips)", x: r.x, y: sy, style: .dim, maxWidth: r.width)
      } else if st.pairsDone > 0, st.pairsDone < info.pairs {
        let share = Format.fixed(Double(st.pairsDone) / Double(max(info.pairs, 1)) * 100, 0)
        g.put(
          "epoch \(st.epochsDone + 1) running: \(share)% of pairs, loss so far \(Format.fixed(st.runningLoss, 4)), "
            + "accuracy so far \(Format.percent(st.runningAccuracy))", x: r.x, y: sy, style: .dim, maxWidth: r.width)
      }
    case .writing:
      g.put("training finished; writing artifacts...", x: r.x, y: sy, style: .dim, maxWidth: r.width)
    case .saved(let msg):
      if t.replaying {
        g.put(
          t.paused
            ? "paused replay: n shows one more epoch, Space resumes, s skips"
            : "replaying the finished epochs (s skips)",
          x: r.x, y: sy, style: t.paused ? .warning : .dim, maxWidth: r.width)
      } else {
        g.put("artifacts saved: \(msg)", x: r.x, y: sy, style: .good, maxWidth: r.width)
      }
    case .failed(let msg):
      g.put("failed: \(msg)", x: r.x, y: sy, style: .warning, maxWidth: r.width)
    case .cancelled:
      g.put("training cancelled", x: r.x, y: sy, style: .warning, maxWidth: r.width)
    }
  }

  /// The learning rate as the meta writes it (shortest form).
  static func lr(_ v: Double) -> String { "\(v)" }

  /// A note when the held-out loss has risen for a while above its best: the model is overfitting.
  static func overfitting(_ held: [Double]) -> String? {
    guard held.count >= 3, let best = held.enumerated().min(by: { $0.element < $1.element }) else { return nil }
    let last = held[held.count - 1]
    guard best.offset < held.count - 2, last > best.element * 1.001 else { return nil }
    return "! held-out loss rising since epoch \(best.offset + 1) (\(Format.fixed(best.element, 4)) -> "
      + "\(Format.fixed(last, 4))): overfitting"
  }

  /// A warning when the loss is not a number or is rising well above its best.
  static func warning(_ hist: [EpochPoint]) -> String? {
    guard let last = hist.last else { return nil }
    if !last.loss.isFinite {
      return "! loss is \(last.loss.isNaN ? "NaN" : "infinite"): training diverged; try a smaller --lr"
    }
    let finite = hist.map(\.loss).filter(\.isFinite)
    if hist.count >= 3, let best = finite.min(), let first = finite.first, last.loss > first,
      last.loss > best * 1.5 + 1e-9
    {
      return
        "! loss is rising (\(Format.fixed(best, 4)) -> \(Format.fixed(last.loss, 4))): diverging? try a smaller --lr"
    }
    return nil
  }
}

/// A column chart of one value per epoch, growing left to right as epochs finish.
enum Chart {
  /// Draws a titled chart: `rect.height - 1` plot rows under a title row.
  static func draw(
    title: String, values: [Double], total: Int, maxValue: Double, topLabel: String, bottomLabel: String,
    labelWidth: Int, reference: Double? = nil, overlay: [Double] = [], glyphs: Glyphs, rect: Rect,
    into g: inout Grid
  ) {
    let rows = rect.height - 1
    guard rows > 0 else { return }
    // A dashed reference line (the loss floor) in the cells the bars leave empty.
    let referenceRow = reference.flatMap { v -> Int? in
      guard v.isFinite, v > 0, v < maxValue else { return nil }
      return min(rows - 1, Int(v / maxValue * Double(rows)))
    }
    let plotX = rect.x + labelWidth + 1
    let plotW = rect.width - labelWidth - 1
    guard plotW > 0 else { return }
    let span = total > 0 ? "epochs 1-\(total)" : "no epochs"
    g.put(title, x: rect.x, y: rect.y, style: .heading)
    g.put(span, x: rect.x + rect.width - DisplayWidth.of(span), y: rect.y, style: .dim)
    let top = rect.y + 1
    g.put(DisplayWidth.padLeft(topLabel, to: labelWidth), x: rect.x, y: top, style: .dim)
    g.put(DisplayWidth.padLeft(bottomLabel, to: labelWidth), x: rect.x, y: top + rows - 1, style: .dim)
    for row in 0..<rows { g.put(String(glyphs.axis), x: plotX - 1, y: top + row, style: .dim) }
    if let rr = referenceRow, let v = reference, rr > 0, rr < rows - 1 {
      let label = DisplayWidth.padLeft(Format.fixed(v, 4), to: labelWidth)
      g.put(label, x: rect.x, y: top + rows - 1 - rr, style: .warning, maxWidth: labelWidth)
    }
    guard total > 0 else { return }
    // The plot spans the whole run. With fewer epochs than columns an epoch covers one or two
    // columns; with more, a column shows the mean of its slice of epochs (finished ones only).
    func columnValue(_ series: [Double], _ c: Int) -> Double? {
      if total <= plotW {
        let e = c * total / plotW
        return e < series.count ? series[e] : nil
      }
      let lo = c * total / plotW
      let hi = max(lo + 1, (c + 1) * total / plotW)
      guard lo < series.count else { return nil }
      let slice = series[lo..<min(hi, series.count)]
      return slice.reduce(0, +) / Double(slice.count)
    }
    defer {
      // A second series (the held-out loss) as one marker per column, over the bars.
      for c in 0..<plotW {
        guard let v = columnValue(overlay, c), v.isFinite else { continue }
        let row = min(rows - 1, max(0, Int((min(max(v / maxValue, 0), 1) * Double(rows)).rounded(.down))))
        g.put(glyphs.unicode ? "•" : "*", x: plotX + c, y: top + rows - 1 - row, style: .warning)
      }
    }
    for c in 0..<plotW {
      guard let v = columnValue(values, c) else { break }
      let x = plotX + c
      if !v.isFinite {
        g.put("!", x: x, y: top, style: .warning)
        continue
      }
      let eighths = Int((min(max(v / maxValue, 0), 1) * Double(rows * 8)).rounded())
      for row in 0..<rows {
        let level = min(max(eighths - row * 8, 0), 8)
        let y = top + rows - 1 - row
        if level > 0 {
          g.put(String(glyphs.levels[level - 1]), x: x, y: y, style: .bar)
        } else if row == referenceRow && row > 0 {
          g.put(glyphs.unicode ? "╌" : "-", x: x, y: y, style: .warning)
        } else if row == 0 {
          g.put(String(glyphs.baseline), x: x, y: y, style: .dim)
        }
      }
    }
  }
}

extension TrainView {
  /// A model read from a file instead of training: its heading and facts, its n-gram counts per
  /// order, and what the other screens do with it.
  static func drawDescription(_ d: ModelDescription, glyphs: Glyphs, in r: Rect, into g: inout Grid) {
    var y = r.y
    g.put(d.heading, x: r.x, y: y, style: .heading, maxWidth: r.width)
    y += 1
    g.put(d.facts, x: r.x, y: y, style: .dim, maxWidth: r.width)
    y += 2
    g.put("n-grams in the file", x: r.x, y: y, style: .heading, maxWidth: r.width)
    y += 1
    let most = max(d.ngramCounts.max() ?? 1, 1)
    let barWidth = max(10, min(40, r.width - 30))
    for (i, c) in d.ngramCounts.enumerated() where y < r.bottom {
      var x = g.put(DisplayWidth.padLeft("\(i + 1)-grams", to: 8) + "  ", x: r.x, y: y)
      x = g.put(DisplayWidth.padLeft(Format.count(c), to: 12) + "  ", x: x, y: y)
      let (filled, track) = glyphs.bar(fraction: Double(c) / Double(most), width: barWidth)
      x = g.put(filled, x: x, y: y, style: .bar)
      g.put(track, x: x, y: y, style: .track)
      y += 1
    }
    g.put(
      DisplayWidth.padLeft("total", to: 8) + "  "
        + DisplayWidth.padLeft(Format.count(d.ngramCounts.reduce(0, +)), to: 12),
      x: r.x, y: y, style: .dim, maxWidth: r.width)
    y += 2
    Wrap.draw(d.note, x: r.x, y: y, width: min(r.width, 76), maxRows: max(0, r.bottom - y), style: .dim, into: &g)
  }
}
