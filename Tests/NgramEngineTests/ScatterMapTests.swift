import Foundation
import Testing

@testable import NgramEngine

/// The map's pure parts: the viewport, the projection onto dots, braille and ASCII cells, and
/// the embeddings reader's refusal of non-finite points.
@Suite("Scatter map")
struct ScatterMapTests {
  @Test("Braille: each dot's bit is Unicode's (dots 1-2-3-7 left, 4-5-6-8 right), cells start at U+2800")
  func braille() {
    #expect(DotCanvas.braille(0) == "\u{2800}")
    #expect(DotCanvas.braille(0xFF) == "\u{28FF}")
    var c = DotCanvas(columns: 2, rows: 1)
    c.set(dotX: 0, dotY: 0)  // dot 1
    #expect(DotCanvas.braille(c.mask(column: 0, row: 0)) == "⠁")
    c.set(dotX: 0, dotY: 3)  // dot 7
    #expect(DotCanvas.braille(c.mask(column: 0, row: 0)) == "⡁")
    c.set(dotX: 3, dotY: 3)  // second cell, dot 8
    c.set(dotX: 3, dotY: 1)  // dot 5
    #expect(DotCanvas.braille(c.mask(column: 1, row: 0)) == "⢐")
    // Dots outside the canvas are ignored.
    c.set(dotX: 4, dotY: 0)
    c.set(dotX: -1, dotY: 0)
    c.set(dotX: 0, dotY: 4)
    #expect(c.masks == [0x41, 0x90])
  }

  @Test("ASCII cells say where their dots are: ' upper, . lower, : both, blank none")
  func ascii() {
    #expect(DotCanvas.ascii(0) == " ")
    #expect(DotCanvas.ascii(DotCanvas.bit(dx: 1, dy: 1)) == "'")
    #expect(DotCanvas.ascii(DotCanvas.bit(dx: 0, dy: 2)) == ".")
    #expect(DotCanvas.ascii(DotCanvas.bit(dx: 1, dy: 3)) == ".")
    #expect(DotCanvas.ascii(DotCanvas.bit(dx: 0, dy: 0) | DotCanvas.bit(dx: 1, dy: 3)) == ":")
  }

  @Test("Projection: corners to the corner dots (y up), the edges inclusive, outside and NaN to nil")
  func projection() {
    let v = MapViewport(centerX: 0, centerY: 0, halfWidth: 1, halfHeight: 2)
    func dot(_ x: Double, _ y: Double) -> [Int]? {
      ScatterMap.dot(x: x, y: y, viewport: v, dotsWide: 10, dotsHigh: 8).map { [$0.x, $0.y] }
    }
    #expect(dot(-1, 2) == [0, 0])
    #expect(dot(1, -2) == [9, 7])
    #expect(dot(1, 2) == [9, 0])
    #expect(dot(0, 0) == [5, 4])
    #expect(dot(-0.81, 1.49) == [0, 1])  // (0.19 * 10, 0.1275 * 8) rounded down
    #expect(dot(1.0001, 0) == nil)
    #expect(dot(0, -2.0001) == nil)
    #expect(dot(.nan, 0) == nil)
    #expect(dot(0, .infinity) == nil)
    #expect(ScatterMap.dot(x: 0, y: 0, viewport: v, dotsWide: 0, dotsHigh: 8) == nil)
  }

  @Test("Fitting: every point inside with a 5% margin; one point or equal points get half extent 1")
  func fitting() throws {
    let v = try #require(MapViewport.fitting(xs: [-1, 3], ys: [2, 2]))
    #expect(v.centerX == 1 && v.centerY == 2)
    #expect(abs(v.halfWidth - 2.2) < 1e-12)
    #expect(v.halfHeight == 1)
    let one = try #require(MapViewport.fitting(xs: [0.5], ys: [-0.25]))
    #expect(one == MapViewport(centerX: 0.5, centerY: -0.25, halfWidth: 1, halfHeight: 1))
    #expect(MapViewport.fitting(xs: [], ys: []) == nil)
    // Every point lands on the canvas.
    for (x, y) in [(-1.0, 2.0), (3.0, 2.0)] {
      #expect(ScatterMap.dot(x: x, y: y, viewport: v, dotsWide: 40, dotsHigh: 20) != nil)
    }
  }

  @Test("Zoom halves the extents around the centre, pan moves by fractions of the view")
  func zoomAndPan() {
    let v = MapViewport(centerX: 1, centerY: -1, halfWidth: 4, halfHeight: 2)
    #expect(v.zoomed(by: 2) == MapViewport(centerX: 1, centerY: -1, halfWidth: 2, halfHeight: 1))
    #expect(v.zoomed(by: 0.5) == MapViewport(centerX: 1, centerY: -1, halfWidth: 8, halfHeight: 4))
    #expect(v.panned(dx: 0.125, dy: -0.25) == MapViewport(centerX: 2, centerY: -2, halfWidth: 4, halfHeight: 2))
    #expect(v.centred(x: 7, y: 8) == MapViewport(centerX: 7, centerY: 8, halfWidth: 4, halfHeight: 2))
    #expect(ScatterMap.firstNonFinite(xs: [1, 2, .nan], ys: [0, 0, 0]) == 2)
    #expect(ScatterMap.firstNonFinite(xs: [1], ys: [-.infinity]) == 0)
    #expect(ScatterMap.firstNonFinite(xs: [1, 2], ys: [3, 4]) == nil)
  }

  @Test("The reader refuses a NaN or infinite point with its file and line", arguments: ["nan", "inf", "-inf"])
  func nonFinite(value: String) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-scatter-\(getpid())-\(value)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let artifacts = dir.appendingPathComponent("artifacts")
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    let csv = "row,label,x,y\r\n0,a,0.5,1\r\n1,b,\(value),0\r\n"
    try csv.write(to: artifacts.appendingPathComponent("03_token_embeddings.csv"), atomically: true, encoding: .utf8)
    #expect {
      _ = try TrainingLogs.embeddings(directory: dir.path)
    } throws: { error in
      let m = NgramError.message(for: error)
      return m.contains("03_token_embeddings.csv:3: ")
        && m.contains("x and y must be finite numbers, found \(value),0")
    }
  }
}
