import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// The Map screen: the reference's `03_token_embeddings.csv` for the cat/dog run (the Python
/// reference wrote it: `Fixtures/conformance/cat_dog`), drawn, searched, panned and zoomed; and
/// files with nothing sensible to draw.
@Suite("Map screen")
struct MapScreenTests {
  /// The reference's embeddings file of the fixture's run (cat/dog, context 2, lr 0.1, 50 epochs).
  static let referenceCSV = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent(
      "../NgramEngineTests/Fixtures/conformance/cat_dog/expected/artifacts/03_token_embeddings.csv"
    )
    .standardized

  /// A run directory whose `artifacts/03_token_embeddings.csv` holds `csv` (the reference's by default).
  static func directory(_ name: String, csv: String? = nil) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-map-\(getpid())-\(name)")
    let artifacts = dir.appendingPathComponent("artifacts")
    try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
    let text = try csv ?? String(contentsOf: referenceCSV, encoding: .utf8)
    try text.write(to: artifacts.appendingPathComponent("03_token_embeddings.csv"), atomically: true, encoding: .utf8)
    return dir.path
  }

  /// A state on the Map screen with the points of `directory` read.
  static func onMap(_ directory: String, ascii: Bool = false) -> AppState {
    var s = Fixture.state(ascii: ascii, directory: directory)
    for _ in 0..<4 { s.cycle(+1) }
    #expect(s.screen == .map)
    Fixture.runJobs(&s)
    return s
  }

  /// The corpus's tokens, split independently of the engine.
  static let words = Fixture.text.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)

  @Test("The reference's points: one per context row, counted as contexts in the corpus")
  func points() throws {
    let dir = try Self.directory("points")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let s = Self.onMap(dir)
    let d = try #require(s.map.data)
    let v = Fixture.run.corpus.vocabulary.count
    #expect(d.points.count == v * v)  // dense: every context of 2 tokens
    // Each point's frequency is the count of its context among the corpus's windows.
    for (i, p) in d.points.enumerated() {
      let parts = p.label.split(separator: "|").map(String.init)
      let count = (0..<(Self.words.count - 2)).filter { Array(Self.words[$0..<($0 + 2)]) == parts }.count
      #expect(d.frequencies[i] == count, "\(p.label)")
      #expect(d.contexts[i].map { Fixture.run.corpus.vocabulary.tokens[$0] } == parts)
    }
    #expect(d.neverSeen == d.frequencies.filter { $0 == 0 }.count && d.neverSeen > 0)
    #expect(d.labels[d.byFrequency[0]] == "on|the")  // 4 times, the most frequent context
  }

  @Test(arguments: [(80, 24, false), (100, 30, true)])
  func snapshot(width: Int, height: Int, ascii: Bool) throws {
    let dir = try Self.directory("snap-\(ascii)")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let s = Self.onMap(dir, ascii: ascii)
    Snapshot.check(
      Render.frame(s, width: width, height: height), "map_cat_dog_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test("Help from the Map screen lists the Map's keys first")
  func help() throws {
    let dir = try Self.directory("help")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var s = Self.onMap(dir)
    _ = s.handle(.char("?"))
    #expect(s.screen == .help)
    let frame = Render.frame(s, width: 80, height: 24)
    for keys in ["arrows / h j k l", "/ word Enter"] { #expect(frame.text.contains(keys)) }
    Snapshot.check(frame, "help_from_map_80x24_unicode")
    _ = s.handle(.escape)
    #expect(s.screen == .map)
  }

  @Test("/ finds a word: its seen contexts highlighted, the view centred on the most frequent")
  func search() throws {
    let dir = try Self.directory("search")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var s = Self.onMap(dir)
    _ = s.handle(.char("/"))
    #expect(s.map.query == "")
    Fixture.type("cat", into: &s)  // q, ? and digits would go to the search too
    #expect(s.map.query == "cat")
    _ = s.handle(.enter)
    let d = try #require(s.map.data)
    let labels = s.map.highlighted.map { d.labels[$0] }.sorted()
    #expect(labels == ["cat|lay", "cat|sat", "the|cat"])
    let best = try #require(d.points.first { $0.label == "the|cat" })
    #expect(s.map.shown?.centerX == best.x && s.map.shown?.centerY == best.y)
    #expect(s.map.message?.hasPrefix("'cat': 3 points; centred on the|cat (") == true)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "map_search_cat_80x24_unicode")
    // A whole context.
    _ = s.handle(.char("/"))
    Fixture.type("the dog", into: &s)
    _ = s.handle(.enter)
    #expect(s.map.highlighted.map { d.labels[$0] } == ["the|dog"])
    // Not there.
    _ = s.handle(.char("/"))
    Fixture.type("kat", into: &s)
    _ = s.handle(.enter)
    #expect(s.map.highlighted.isEmpty)
    #expect(s.map.message == "'kat' is not in the map: 'kat' is not a token of the corpus")
    let frame = Render.frame(s, width: 80, height: 24)
    #expect(frame.text.contains("'kat' is not in the map"))
    // Esc cancels a search without changing anything.
    _ = s.handle(.char("/"))
    Fixture.type("q", into: &s)
    _ = s.handle(.escape)
    #expect(s.map.query == nil && s.screen == .map)
  }

  @Test("Zoom, pan and reset move the viewport; a key does nothing harmful before the map exists")
  func zoomPanReset() throws {
    let dir = try Self.directory("zoom")
    defer { try? FileManager.default.removeItem(atPath: dir) }
    var s = Self.onMap(dir)
    let fit = try #require(s.map.shown)
    _ = s.handle(.char("+"))
    #expect(s.map.shown == fit.zoomed(by: 2))
    _ = s.handle(.right)
    _ = s.handle(.char("k"))
    let moved = fit.zoomed(by: 2).panned(dx: 0.125, dy: 0).panned(dx: 0, dy: 0.125)
    #expect(s.map.shown == moved)
    #expect(Render.frame(s, width: 80, height: 24).text.contains("zoom 2.0x"))
    _ = s.handle(.char("-"))
    _ = s.handle(.char("-"))
    #expect(Render.frame(s, width: 80, height: 24).text.contains("zoom 1/2x"))
    _ = s.handle(.char("0"))
    #expect(s.map.viewport == nil && s.map.shown == fit)

    var early = Fixture.state(epochs: 20, directory: dir)
    early.show(.map)
    #expect(early.takeJobs().isEmpty)
    _ = early.handle(.char("+"))
    #expect(early.map.message == "no map yet: it appears when training has saved its artifacts")
    #expect(Render.frame(early, width: 80, height: 24).text.contains("20/50): the map appears then."))
  }

  @Test("Degenerate files: one point and equal points sit in the middle; NaN, no rows, a foreign row are refused")
  func degenerate() throws {
    let one = try Self.directory("one", csv: "row,label,x,y\r\n6,cat|sat,0.25,-0.5\r\n")
    let same = try Self.directory("same", csv: "row,label,x,y\r\n6,cat|sat,1,1\r\n7,cat|the,1,1\r\n")
    let nan = try Self.directory("nan", csv: "row,label,x,y\r\n6,cat|sat,nan,1\r\n")
    let empty = try Self.directory("empty", csv: "row,label,x,y\r\n")
    let foreign = try Self.directory("foreign", csv: "row,label,x,y\r\n64,x|y,0,0\r\n")
    defer { for d in [one, same, nan, empty, foreign] { try? FileManager.default.removeItem(atPath: d) } }
    for dir in [one, same] {
      let s = Self.onMap(dir)
      let frame = Render.frame(s, width: 80, height: 24)
      // The dot is in the middle of the plot (the viewport is centred on it).
      let v = try #require(s.map.shown)
      let p = try #require(s.map.data?.points.first)
      #expect(v.centerX == p.x && v.centerY == p.y && v.halfWidth == 1 && v.halfHeight == 1)
      #expect(frame.text.contains("cat|sat"))
    }
    Snapshot.check(Render.frame(Self.onMap(one), width: 80, height: 24), "map_one_point_80x24_unicode")
    let failures: [(String, String)] = [
      (nan, "03_token_embeddings.csv:2: x and y must be finite numbers, found nan,1"),
      (empty, "03_token_embeddings.csv has no points (only its header): nothing to draw"),
      (foreign, "03_token_embeddings.csv: row 64 is not one of the 64 context rows of this vocabulary"),
    ]
    for (dir, want) in failures {
      let s = Self.onMap(dir)
      guard case .failed(let why) = s.map.load else {
        Issue.record("\(dir): expected a failure")
        continue
      }
      #expect(why.contains(want), "\(why)")
      #expect(Render.frame(s, width: 80, height: 24).text.contains("Cannot draw the map:"))
    }
  }

  @Test("Labels: highlighted first, then by frequency; never overlapping, one per cell, never-seen unlabelled")
  func labels() {
    let cells: [(x: Int, y: Int)?] = [(0, 0), (1, 0), (5, 0), (5, 0), nil, (9, 1)]
    let placed = MapView.placeLabels(
      cells: cells, labels: ["aa", "bb", "cc", "dd", "ee", "ff"], frequencies: [5, 4, 3, 9, 8, 0],
      order: [3, 4, 0, 1, 2, 5], highlighted: [2], columns: 10, rows: 2, maxLabels: 10, ellipsis: "~")
    #expect(
      placed == [
        .init(x: 6, y: 0, text: "cc", point: 2, highlighted: true),
        // 3 shares point 2's cell; 4 is outside; 0 goes right of (0,0) at 1-2, which covers no label.
        .init(x: 1, y: 0, text: "aa", point: 0, highlighted: false),
      ])
    // Point 1's cell (1, 0) is covered by 'aa' and its own label would touch it: skipped; 5 never seen.
  }

  @Test("Context 1: one point per token, counted as a context; unigram: one point for every pair")
  func otherContextLengths() throws {
    let corpus = Fixture.run.corpus
    let tokens = corpus.vocabulary.tokens
    // Context 1: rows are token ids; each token's count as the context of a pair.
    let points = tokens.indices.map { EmbeddingPoint(row: $0, label: tokens[$0], x: Double($0), y: -Double($0)) }
    let d = try MapData(points: points, path: "a/03_token_embeddings.csv", corpus: corpus, contextLength: 1)
    for (i, t) in tokens.enumerated() {
      #expect(d.frequencies[i] == Self.words.dropLast().filter { $0 == t }.count, "\(t)")
      #expect(d.contexts[i] == [i])
    }
    #expect(d.labels[d.byFrequency[0]] == "the" && d.neverSeen == 0)
    #expect(d.matches(["on"], vocabulary: corpus.vocabulary) == [tokens.firstIndex(of: "on")!])
    #expect(d.matches(["the", "cat"], vocabulary: corpus.vocabulary).isEmpty)
    // Unigram: one row, the context of every pair.
    let one = try MapData(
      points: [EmbeddingPoint(row: 0, label: "(no context)", x: 0.5, y: 0)], path: "a", corpus: corpus,
      contextLength: 0)
    #expect(one.frequencies == [Self.words.count] && one.contexts == [[]])
    #expect(one.matches(["the"], vocabulary: corpus.vocabulary).isEmpty)
    var s = Fixture.state()
    s.map.install(.success(one))
    s.show(.map)
    _ = s.handle(.char("/"))
    Fixture.type("the", into: &s)
    _ = s.handle(.enter)
    #expect(s.map.message == "'the' is not in the map: a unigram model has one row, (no context)")
    #expect(Render.frame(s, width: 80, height: 24).text.contains("1 point, the one row (no context)"))
  }
}
