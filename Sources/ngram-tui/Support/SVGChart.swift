#if canImport(Glibc)
  import Glibc
#endif
import NgramEngine

/// A standalone SVG of a run: loss per epoch (training, held-out, the loss floor) above accuracy
/// per epoch. Every panel carries its plot area and axis ranges as `data-` attributes, so the
/// points can be read back as numbers.
struct SVGChart {
  let title: String
  let log: [EpochStats]
  let validation: [ValidationStats]
  let lossFloor: Double?

  static let width = 800.0
  static let panelHeight = 260.0
  static let left = 70.0
  static let right = 200.0
  static let top = 50.0

  /// Text safe inside XML: the five special characters escaped, control characters (which
  /// XML 1.0 does not allow) shown as U+FFFD.
  static func xml(_ s: String) -> String {
    var out = ""
    for u in s.unicodeScalars {
      switch u {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&apos;"
      default:
        if TerminalText.isControl(u) && u != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
      }
    }
    return out
  }

  /// A coordinate with 2 decimals.
  static func c(_ x: Double) -> String { fixed(x, 2) }

  /// Round tick steps covering `0…max`.
  static func niceMax(_ m: Double) -> (top: Double, step: Double) {
    guard m.isFinite, m > 0 else { return (1, 0.25) }
    let raw = m / 5
    let mag = pow(10, (log10(raw)).rounded(.down))
    let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
    return ((m / step).rounded(.up) * step, step)
  }

  struct Series {
    let id: String
    let label: String
    let color: String
    let dash: String?
    let points: [(Int, Double)]
  }

  func render() -> String {
    let w = Self.width
    let plotW = w - Self.left - Self.right
    let plotH = Self.panelHeight - 70
    let height = Self.top + 2 * Self.panelHeight + 10
    let epochs = max(log.count, 1)
    var out: [String] = []
    out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
    out.append(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(w)) \(Int(height))\" font-family=\"sans-serif\" font-size=\"12\">"
    )
    out.append("<title>\(Self.xml(title))</title>")
    out.append("<rect x=\"0\" y=\"0\" width=\"\(Int(w))\" height=\"\(Int(height))\" fill=\"white\"/>")
    out.append(
      "<text x=\"\(Self.c(Self.left))\" y=\"28\" font-size=\"16\" font-weight=\"bold\">\(Self.xml(title))</text>")

    var lossSeries = [
      Series(
        id: "train-loss", label: "training loss", color: "#1f77b4", dash: nil,
        points: log.map { ($0.epoch, $0.avgLoss) })
    ]
    if !validation.isEmpty {
      lossSeries.append(
        Series(
          id: "heldout-loss", label: "held-out loss", color: "#d62728", dash: "6 4",
          points: validation.map { ($0.epoch, $0.valLoss) }))
    }
    var lossMax = 0.0
    for s in lossSeries { for p in s.points where p.1.isFinite { lossMax = max(lossMax, p.1) } }
    if let f = lossFloor, f.isFinite { lossMax = max(lossMax, f) }
    panel(
      &out, id: "loss", heading: "Loss per epoch (cross-entropy, nats)", y0: Self.top, plotW: plotW, plotH: plotH,
      epochs: epochs, yMax: Self.niceMax(lossMax), series: lossSeries, floor: lossFloor, percent: false)
    panel(
      &out, id: "accuracy", heading: "Accuracy per epoch", y0: Self.top + Self.panelHeight, plotW: plotW,
      plotH: plotH, epochs: epochs, yMax: (1, 0.2),
      series: [
        Series(
          id: "accuracy", label: "accuracy", color: "#2ca02c", dash: nil,
          points: log.map { ($0.epoch, $0.accuracy) })
      ], floor: nil, percent: true)
    out.append("</svg>")
    return out.joined(separator: "\n") + "\n"
  }

  func panel(
    _ out: inout [String], id: String, heading: String, y0: Double, plotW: Double, plotH: Double, epochs: Int,
    yMax: (top: Double, step: Double), series: [Series], floor: Double?, percent: Bool
  ) {
    let x0 = Self.left
    let top = y0 + 30
    let xMin = 1.0
    let xMax = Double(max(epochs, 2))
    func px(_ e: Double) -> Double { x0 + (e - xMin) / (xMax - xMin) * plotW }
    func py(_ v: Double) -> Double { top + plotH - v / yMax.top * plotH }
    out.append(
      "<g id=\"\(id)-panel\" data-plot-x=\"\(Self.c(x0))\" data-plot-y=\"\(Self.c(top))\" data-plot-width=\"\(Self.c(plotW))\" data-plot-height=\"\(Self.c(plotH))\" data-x-min=\"\(fixed(xMin, 0))\" data-x-max=\"\(fixed(xMax, 0))\" data-y-min=\"0\" data-y-max=\"\(yMax.top)\">"
    )
    out.append("<text x=\"\(Self.c(x0))\" y=\"\(Self.c(y0 + 18))\" font-size=\"14\">\(Self.xml(heading))</text>")
    out.append(
      "<rect x=\"\(Self.c(x0))\" y=\"\(Self.c(top))\" width=\"\(Self.c(plotW))\" height=\"\(Self.c(plotH))\" fill=\"none\" stroke=\"#888\"/>"
    )
    // Horizontal grid and y labels.
    var v = 0.0
    while v <= yMax.top + yMax.step / 1000 {
      let y = py(v)
      out.append(
        "<line x1=\"\(Self.c(x0))\" y1=\"\(Self.c(y))\" x2=\"\(Self.c(x0 + plotW))\" y2=\"\(Self.c(y))\" stroke=\"#eee\"/>"
      )
      let label = percent ? fixed(v * 100, 0) + "%" : fixed(v, yMax.step < 0.1 ? 2 : (yMax.step < 1 ? 1 : 0))
      out.append(
        "<text x=\"\(Self.c(x0 - 6))\" y=\"\(Self.c(y + 4))\" text-anchor=\"end\" fill=\"#444\">\(label)</text>")
      v += yMax.step
    }
    // Epoch ticks: about 10.
    let stepE = max(1, Int(SVGChart.niceMax(Double(epochs)).step))
    var e = 1
    while e <= epochs {
      let x = px(Double(e))
      out.append(
        "<line x1=\"\(Self.c(x))\" y1=\"\(Self.c(top + plotH))\" x2=\"\(Self.c(x))\" y2=\"\(Self.c(top + plotH + 4))\" stroke=\"#888\"/>"
      )
      out.append(
        "<text x=\"\(Self.c(x))\" y=\"\(Self.c(top + plotH + 17))\" text-anchor=\"middle\" fill=\"#444\">\(e)</text>")
      e = e == 1 && stepE > 1 ? stepE : e + stepE
    }
    out.append(
      "<text x=\"\(Self.c(x0 + plotW / 2))\" y=\"\(Self.c(top + plotH + 34))\" text-anchor=\"middle\" fill=\"#444\">epoch</text>"
    )
    var legendY = top + 10
    func legend(_ label: String, _ color: String, _ dash: String?) {
      let lx = x0 + plotW + 14
      out.append(
        "<line x1=\"\(Self.c(lx))\" y1=\"\(Self.c(legendY))\" x2=\"\(Self.c(lx + 24))\" y2=\"\(Self.c(legendY))\" stroke=\"\(color)\" stroke-width=\"2\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>"
      )
      out.append("<text x=\"\(Self.c(lx + 30))\" y=\"\(Self.c(legendY + 4))\">\(Self.xml(label))</text>")
      legendY += 20
    }
    if let floor, floor.isFinite {
      let y = py(floor)
      out.append(
        "<line id=\"loss-floor\" data-value=\"\(floor)\" x1=\"\(Self.c(x0))\" y1=\"\(Self.c(y))\" x2=\"\(Self.c(x0 + plotW))\" y2=\"\(Self.c(y))\" stroke=\"#7f7f7f\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>"
      )
      legend("loss floor \(fixed(floor, 4))", "#7f7f7f", "2 3")
    }
    for s in series {
      let pts = s.points.filter { $0.1.isFinite }
      let coords = pts.map { "\(Self.c(px(Double($0.0)))),\(Self.c(py($0.1)))" }.joined(separator: " ")
      out.append(
        "<polyline id=\"\(s.id)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(s.dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") points=\"\(coords)\"/>"
      )
      if pts.count <= 200 {
        for p in pts {
          let value = percent ? fixed(p.1 * 100, 2) + "%" : fixed(p.1, 4)
          out.append(
            "<g><title>epoch \(p.0): \(Self.xml(s.label)) \(value)</title><circle cx=\"\(Self.c(px(Double(p.0))))\" cy=\"\(Self.c(py(p.1)))\" r=\"2.5\" fill=\"\(s.color)\"/></g>"
          )
        }
      }
      let lastText = pts.last.map { percent ? fixed($0.1 * 100, 1) + "%" : fixed($0.1, 4) } ?? "-"
      legend("\(s.label) \(lastText)", s.color, s.dash)
    }
    out.append("</g>")
  }
}

/// Writes `text` to `path` (replacing it), or fails naming the file and the system's reason.
func writeTextFile(_ path: String, _ text: String) throws {
  guard let f = fopen(path, "wb") else {
    throw CommandFailure(
      "cannot write \(TerminalText.escape(path)): \(NgramError.reason(errno: errno)) (check the directory exists and is writable)"
    )
  }
  let bytes = Array(text.utf8)
  let written = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
  let closed = fclose(f)
  guard written == bytes.count, closed == 0 else {
    throw CommandFailure("cannot write \(TerminalText.escape(path)): \(NgramError.reason(errno: errno))")
  }
}
