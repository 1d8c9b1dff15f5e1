import Foundation
import Testing

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The elements of an SVG file, parsed by Foundation's XML parser (not by the product's code).
final class SVGElements: NSObject, XMLParserDelegate {
  var elements: [(name: String, attributes: [String: String])] = []
  var texts: [String] = []
  func parser(
    _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    elements.append((name, attributes))
  }
  func parser(_ parser: XMLParser, foundCharacters string: String) { texts.append(string) }

  static func parse(_ data: Data) throws -> SVGElements {
    let parser = XMLParser(data: data)
    let d = SVGElements()
    parser.delegate = d
    let ok = parser.parse()
    try #require(ok, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
    return d
  }

  func first(_ name: String, id: String) -> [String: String]? {
    elements.first { $0.name == name && $0.attributes["id"] == id }?.attributes
  }
}

/// (epoch, value) points of a polyline, mapped back through its panel's plot area and axis ranges.
func readBack(_ svg: SVGElements, panel: String, line: String) throws -> [(Double, Double)] {
  let g = try #require(svg.first("g", id: "\(panel)-panel"))
  func num(_ k: String) throws -> Double { try #require(Double(g[k] ?? ""), "\(k)") }
  let (x, y, w, h) = (
    try num("data-plot-x"), try num("data-plot-y"), try num("data-plot-width"), try num("data-plot-height")
  )
  let (x0, x1, y0, y1) = (try num("data-x-min"), try num("data-x-max"), try num("data-y-min"), try num("data-y-max"))
  let pl = try #require(svg.first("polyline", id: line), "polyline \(line)")
  return try (pl["points"] ?? "").split(separator: " ").map { pair in
    let c = pair.split(separator: ",").compactMap { Double($0) }
    try #require(c.count == 2)
    return (x0 + (c[0] - x) / w * (x1 - x0), y0 + (y + h - c[1]) / h * (y1 - y0))
  }
}

/// A CSV log's rows as numbers (header dropped).
func logRows(_ path: String) -> [[Double]] {
  let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
  return text.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",").compactMap { Double($0) } }
}

@Suite("plot", .serialized)
struct PlotTests {
  @Test("plot --out: well-formed SVG whose lines are the train log, the eval log and the loss floor")
  func plot() throws {
    let ws = Workspace("plot", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "12", "--holdout", "0.25", "--quiet"]).status == 0)
    let out = ws.url.appendingPathComponent("chart.svg").path
    let r = try run(["plot", "--dir", ws.path, "--out", out])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.hasPrefix("wrote \(out): 12 epochs, held-out loss, loss floor "))
    let data = try #require(FileManager.default.contents(atPath: out))
    let svg = try SVGElements.parse(data)
    #expect(svg.elements.first?.name == "svg")
    #expect(svg.elements.first?.attributes["xmlns"] == "http://www.w3.org/2000/svg")

    let train = logRows(ws.path + "/outputs/train_log.csv")
    let eval = logRows(ws.path + "/outputs/eval_log.csv")
    #expect(train.count == 12 && eval.count == 12)
    let lossMax = try #require(Double(svg.first("g", id: "loss-panel")?["data-y-max"] ?? ""))
    let tolerance = 0.006 / 190 * lossMax + 1e-8
    for (line, panel, rows, column) in [
      ("train-loss", "loss", train, 1), ("accuracy", "accuracy", train, 2), ("heldout-loss", "loss", eval, 1),
    ] {
      let pts = try readBack(svg, panel: panel, line: line)
      #expect(pts.count == rows.count, "\(line)")
      for (p, row) in zip(pts, rows) {
        #expect(abs(p.0 - row[0]) < 0.01, "\(line) epoch \(row[0]) at x \(p.0)")
        #expect(abs(p.1 - row[column]) < (panel == "loss" ? tolerance : 0.006 / 190), "\(line) epoch \(row[0])")
      }
    }
    // The loss floor: the conditional entropy of the successor counts of the training tokens.
    let words = catDog.split(whereSeparator: \.isWhitespace).map(String.init)
    let training = Array(words.prefix(words.count - 6))
    var follow: [String: [String: Int]] = [:]
    for i in 0..<(training.count - 2) {
      follow[training[i] + " " + training[i + 1], default: [:]][training[i + 2], default: 0] += 1
    }
    var h = 0.0
    for (_, f) in follow {
      let n = Double(f.values.reduce(0, +))
      for c in f.values { h -= Double(c) * log(Double(c) / n) }
    }
    h /= Double(training.count - 2)
    let floor = try #require(Double(svg.first("line", id: "loss-floor")?["data-value"] ?? ""))
    #expect(abs(floor - h) < 1e-12)
    #expect(svg.texts.contains { $0.contains("loss floor \(String(format: "%.4f", h))") })
  }

  @Test("plot without --holdout has no held-out line; without a corpus no floor")
  func plotPlain() throws {
    let ws = Workspace("plot2", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "3", "--quiet"]).status == 0)
    try FileManager.default.removeItem(at: ws.url.appendingPathComponent("corpus"))
    let out = ws.url.appendingPathComponent("p.svg").path
    let r = try run(["plot", "--dir", ws.path, "--out", out])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "wrote \(out): 3 epochs\n")
    let svg = try SVGElements.parse(try #require(FileManager.default.contents(atPath: out)))
    #expect(svg.first("polyline", id: "heldout-loss") == nil)
    #expect(svg.first("line", id: "loss-floor") == nil)
    #expect(try readBack(svg, panel: "loss", line: "train-loss").count == 3)
  }

  @Test("plot errors: no training log, a directory that cannot be written")
  func plotErrors() throws {
    let ws = Workspace("plot3", corpus: catDog)
    defer { ws.cleanup() }
    expectCleanFailure(
      try run(["plot", "--dir", ws.path, "--out", ws.path + "/x.svg"]), contains: ["train_log.csv", "ngram-tui train"])
    #expect(try run(["train", "--dir", ws.path, "--epochs", "2", "--quiet"]).status == 0)
    expectCleanFailure(
      try run(["plot", "--dir", ws.path, "--out", ws.path + "/no/such/dir/x.svg"]), contains: ["cannot write"])
  }
}
