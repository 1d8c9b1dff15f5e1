import NgramEngine

/// The Map screen: the 2-D points of `artifacts/03_token_embeddings.csv` as a scatter, with
/// pan, zoom and a search that highlights a word's points.
struct MapState: Sendable {
  /// Where the points are.
  enum Load: Sendable, Equatable {
    /// Not asked for yet (training has not saved its artifacts).
    case notRequested
    /// Being read in the background.
    case loading
    /// Read.
    case ready(MapData)
    /// Could not be read or drawn: why.
    case failed(String)
  }

  /// The points, once read.
  var load: Load = .notRequested
  /// The part of the plane shown (nil: fitted to every point).
  var viewport: MapViewport?
  /// The text typed after `/` (nil: not searching).
  var query: String?
  /// Points highlighted by the last search.
  var highlighted: [Int] = []
  /// The words of the last search.
  var searched: String?
  /// What the last key did or why it did nothing, until the next key.
  var message: String?
  /// Whether `message` says something went wrong (a search found nothing).
  var messageWarns = false

  /// How much one `+` or `-` zooms.
  static let zoomStep = 2.0
  /// How far one arrow key pans: this fraction of the view.
  static let panStep = 0.125
  /// The most characters a search takes.
  static let maxQuery = 200

  /// The data, when read.
  var data: MapData? {
    if case .ready(let d) = load { return d }
    return nil
  }

  /// The viewport fitted to every point.
  static func fitted(_ d: MapData) -> MapViewport? {
    MapViewport.fitting(xs: d.points.map(\.x), ys: d.points.map(\.y))
  }

  /// The viewport shown.
  var shown: MapViewport? { viewport ?? data.flatMap(Self.fitted) }

  /// Installs the points read (or why they could not be) and shows all of them.
  mutating func install(_ result: Result<MapData, JobFailure>) {
    switch result {
    case .success(let d): load = .ready(d)
    case .failure(let f): load = .failed(f.message)
    }
    viewport = nil
    highlighted = []
  }
}

extension MapState {
  /// The Map screen's reducer: applies a key-map action (`key` for arrows and typed characters).
  mutating func reduce(_ action: Action, key: Key, vocabulary: Vocabulary) {
    message = nil
    messageWarns = false
    switch action {
    case .startSearch:
      query = ""
      return
    case .searchType:
      if case .char(let c) = key, (query ?? "").count < Self.maxQuery { query = (query ?? "") + String(c) }
      return
    case .searchErase:
      if query?.isEmpty == false { query?.removeLast() }
      return
    case .searchCancel:
      query = nil
      return
    case .searchSubmit:
      let typed = query ?? ""
      query = nil
      search(typed, vocabulary: vocabulary)
      return
    case .resetMap:
      viewport = nil
      highlighted = []
      searched = nil
      return
    default: break
    }
    guard let v = shown else {
      message = "no map yet: it appears when training has saved its artifacts"
      return
    }
    switch action {
    case .pan:
      var dx = 0.0
      var dy = 0.0
      switch key {
      case .left, .char("h"): dx = -Self.panStep
      case .right, .char("l"): dx = Self.panStep
      case .up, .char("k"): dy = Self.panStep
      case .down, .char("j"): dy = -Self.panStep
      default: break
      }
      viewport = v.panned(dx: dx, dy: dy)
    case .zoomIn: viewport = v.zoomed(by: Self.zoomStep)
    case .zoomOut: viewport = v.zoomed(by: 1 / Self.zoomStep)
    default: break
    }
  }

  /// Highlights the points of `typed` and centres on the most frequent; says when there are none.
  mutating func search(_ typed: String, vocabulary: Vocabulary) {
    let words = Tokens.split(typed)
    guard !words.isEmpty else { return }
    let shownWords = TerminalText.escape(words.joined(separator: " "))
    guard let d = data, let v = shown else {
      message = "no map yet: it appears when training has saved its artifacts"
      return
    }
    let hits = d.matches(words, vocabulary: vocabulary)
    searched = shownWords
    guard let best = hits.min(by: { d.byFrequencyRank[$0] < d.byFrequencyRank[$1] }) else {
      highlighted = []
      let why: String
      if let unknown = words.first(where: { vocabulary.id(of: $0) == nil }) {
        why = "'\(TerminalText.escape(unknown))' is not a token of the corpus"
      } else if d.contextLength == 0 {
        why = "a unigram model has one row, (no context)"
      } else if words.count != 1 && words.count != d.contextLength {
        why = "type one word or a whole context of \(d.contextLength)"
      } else {
        why = "no context row holds it"
      }
      message = "'\(shownWords)' is not in the map: \(why)"
      messageWarns = true
      return
    }
    highlighted = hits
    let p = d.points[best]
    viewport = v.centred(x: p.x, y: p.y)
    let times = d.frequencies[best] == 1 ? "once" : "\(d.frequencies[best]) times"
    message =
      "'\(shownWords)': \(hits.count) point\(hits.count == 1 ? "" : "s"); centred on \(d.labels[best])"
      + " (\(Format.fixed(p.x, 4)), \(Format.fixed(p.y, 4)); \(d.frequencies[best] > 0 ? "occurs \(times)" : "never occurs"))"
  }
}
