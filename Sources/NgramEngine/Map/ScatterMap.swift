/// The part of the plane a scatter shows: a centre and the half extents of each axis (the
/// axes are scaled independently, so the points fill the box).
public struct MapViewport: Sendable, Equatable {
  /// The x at the centre.
  public var centerX: Double
  /// The y at the centre.
  public var centerY: Double
  /// Half the width shown (> 0).
  public var halfWidth: Double
  /// Half the height shown (> 0).
  public var halfHeight: Double

  /// Creates a viewport; non-positive or non-finite half extents become 1.
  public init(centerX: Double, centerY: Double, halfWidth: Double, halfHeight: Double) {
    self.centerX = centerX
    self.centerY = centerY
    self.halfWidth = halfWidth > 0 && halfWidth.isFinite ? halfWidth : 1
    self.halfHeight = halfHeight > 0 && halfHeight.isFinite ? halfHeight : 1
  }

  /// The smallest x shown.
  public var minX: Double { centerX - halfWidth }
  /// The largest x shown.
  public var maxX: Double { centerX + halfWidth }
  /// The smallest y shown.
  public var minY: Double { centerY - halfHeight }
  /// The largest y shown.
  public var maxY: Double { centerY + halfHeight }

  /// The viewport showing every point with a margin of `margin` of the span on each side. An
  /// axis on which all points are equal (one point, or all the same) gets half extent 1 around
  /// the value, so the points sit in the middle. Nil when there are no points. The points must
  /// be finite (`ScatterMap.firstNonFinite` finds those that are not).
  public static func fitting(xs: [Double], ys: [Double], margin: Double = 0.05) -> MapViewport? {
    guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return nil }
    func half(_ lo: Double, _ hi: Double) -> Double {
      let span = hi - lo
      return span > 0 ? span / 2 * (1 + 2 * margin) : 1
    }
    return MapViewport(
      centerX: x0 / 2 + x1 / 2, centerY: y0 / 2 + y1 / 2, halfWidth: half(x0, x1), halfHeight: half(y0, y1))
  }

  /// The same centre, each half extent divided by `factor` (> 1 zooms in).
  public func zoomed(by factor: Double) -> MapViewport {
    MapViewport(centerX: centerX, centerY: centerY, halfWidth: halfWidth / factor, halfHeight: halfHeight / factor)
  }

  /// Moved by `dx` widths right and `dy` heights up (fractions of the whole view: 0.25 is a quarter).
  public func panned(dx: Double, dy: Double) -> MapViewport {
    MapViewport(
      centerX: centerX + dx * 2 * halfWidth, centerY: centerY + dy * 2 * halfHeight, halfWidth: halfWidth,
      halfHeight: halfHeight)
  }

  /// The same extents around (`x`, `y`).
  public func centred(x: Double, y: Double) -> MapViewport {
    MapViewport(centerX: x, centerY: y, halfWidth: halfWidth, halfHeight: halfHeight)
  }
}

/// A canvas of dots drawn as text cells: braille (each cell 2 dots wide and 4 high, U+2800 +
/// the dot bits) or, without Unicode, one ASCII character per cell that says where in the cell
/// its dots are.
public struct DotCanvas: Sendable, Equatable {
  /// Cells across.
  public let columns: Int
  /// Cells down.
  public let rows: Int
  /// The dot bits of each cell, row by row (the braille bit of each dot, see `bit`).
  public private(set) var masks: [UInt8]

  /// An empty canvas of `columns` × `rows` cells (negative sizes become 0).
  public init(columns: Int, rows: Int) {
    self.columns = max(0, columns)
    self.rows = max(0, rows)
    masks = Array(repeating: 0, count: self.columns * self.rows)
  }

  /// Dots across (2 per cell).
  public var dotsWide: Int { columns * 2 }
  /// Dots down (4 per cell).
  public var dotsHigh: Int { rows * 4 }

  /// The braille bit of the dot at (`dx`, `dy`) within a cell (dx 0–1, dy 0–3): dots 1, 2, 3, 7
  /// down the left column, 4, 5, 6, 8 down the right (Unicode's braille patterns block).
  public static func bit(dx: Int, dy: Int) -> UInt8 {
    let left: [UInt8] = [0x01, 0x02, 0x04, 0x40]
    let right: [UInt8] = [0x08, 0x10, 0x20, 0x80]
    return dx == 0 ? left[dy] : right[dy]
  }

  /// Sets the dot at dot column `x`, dot row `y` (row 0 at the top); dots outside are ignored.
  public mutating func set(dotX x: Int, dotY y: Int) {
    guard x >= 0, y >= 0, x < dotsWide, y < dotsHigh else { return }
    masks[(y / 4) * columns + x / 2] |= Self.bit(dx: x % 2, dy: y % 4)
  }

  /// The dot bits of cell (`column`, `row`).
  public func mask(column: Int, row: Int) -> UInt8 { masks[row * columns + column] }

  /// The braille character of dot bits `mask` (U+2800 when empty).
  public static func braille(_ mask: UInt8) -> Character {
    Character(Unicode.Scalar(0x2800 + UInt32(mask))!)
  }

  /// The ASCII stand-in of dot bits `mask`: a space when empty, `'` for dots only in the upper
  /// half of the cell, `.` only in the lower half, `:` in both.
  public static func ascii(_ mask: UInt8) -> Character {
    let upper: UInt8 = 0x01 | 0x02 | 0x08 | 0x10
    let hasUpper = mask & upper != 0
    let hasLower = mask & ~upper != 0
    switch (hasUpper, hasLower) {
    case (false, false): return " "
    case (true, false): return "'"
    case (false, true): return "."
    case (true, true): return ":"
    }
  }
}

/// Projection of 2-D points onto a dot canvas (pure functions, shared by the explorer's map).
public enum ScatterMap {
  /// The dot (column, row; row 0 at the top, so y grows upward) where (`x`, `y`) falls in a
  /// canvas of `dotsWide` × `dotsHigh` dots showing `viewport`; nil when outside the viewport
  /// or not finite. The right and top edges belong to the last dot.
  public static func dot(x: Double, y: Double, viewport v: MapViewport, dotsWide: Int, dotsHigh: Int) -> (
    x: Int, y: Int
  )? {
    guard dotsWide > 0, dotsHigh > 0, x.isFinite, y.isFinite else { return nil }
    guard x >= v.minX, x <= v.maxX, y >= v.minY, y <= v.maxY else { return nil }
    let fx = (x - v.minX) / (2 * v.halfWidth)
    let fy = (v.maxY - y) / (2 * v.halfHeight)
    let dx = min(Int((fx * Double(dotsWide)).rounded(.down)), dotsWide - 1)
    let dy = min(Int((fy * Double(dotsHigh)).rounded(.down)), dotsHigh - 1)
    return (max(0, dx), max(0, dy))
  }

  /// The index of the first point whose x or y is NaN or infinite, if any.
  public static func firstNonFinite(xs: [Double], ys: [Double]) -> Int? {
    zip(xs, ys).enumerated().first { !$0.element.0.isFinite || !$0.element.1.isFinite }?.offset
  }
}
