#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An n-gram back-off language model read from an ARPA file (KenLM's `lmplz`, SRILM's
/// `ngram-count`, ngram-tui's own `export`), scored exactly as KenLM scores it.
///
/// The probability of `w` after a context is the standard ARPA back-off rule, as KenLM's
/// `full_scores(text, bos=False, eos=False)` computes it: take the longest n-gram ending in `w`
/// whose context is a suffix of the typed context; add the back-off weights of every longer
/// suffix of the context that is itself an n-gram. Context words outside the vocabulary are
/// `<unk>`; `<s>` may be typed to mean the start of a sentence; `</s>` is a possible next token
/// and `<s>` is not. A file without `<unk>` gets one with log10 probability −100, as KenLM does.
///
/// The n-grams are kept as a trie in flat arrays sorted by (context, word): about 16 bytes per
/// n-gram, so memory stays proportional to the file.
public struct ARPAModel: LanguageModel {
  /// The words of the 1-grams, in file order (plus `<unk>` at the end if the file has none).
  public let vocabulary: Vocabulary
  /// The highest n-gram order (1–6).
  public let order: Int
  /// How many n-grams of each order the file lists (index 0 = 1-grams).
  public let ngramCounts: [Int]
  /// Whether the file lists `<unk>` (otherwise it was added with log10 probability −100).
  public let hasUnknown: Bool
  /// The id of `<unk>`, which every out-of-vocabulary word is read as.
  public let unknownID: Int
  /// The id of `<s>`, if the file has it: never predicted, but usable as context.
  public let sentenceStartID: Int?
  /// The id of `</s>`, if the file has it.
  public let sentenceEndID: Int?
  /// The path the model was read from.
  public let path: String

  /// Level `k` holds the n-grams of order `k + 1`, sorted by (context entry in level `k - 1`,
  /// word); `firstChild` of level `k` indexes the entries of level `k + 1` whose context it is.
  struct Level: Sendable {
    var word: [Int32] = []
    var prob: [Float] = []
    var backoff: [Float] = []
    var firstChild: [Int32] = []
    var count: Int { prob.count }
  }

  let levels: [Level]

  /// The log10 probability KenLM substitutes for `<unk>` when a file has none.
  public static let missingUnknownLog10 = -100.0

  /// Reads an ARPA file (plain or gzip-compressed) and builds the model.
  ///
  /// Throws ``NgramError`` with the file and line of anything malformed.
  public static func load(path: String) throws -> ARPAModel {
    let bytes = try ARPAFile.read(path)
    let contents = try ARPAReader.parse(bytes, file: path)
    return try ARPAModel(contents: contents, path: path)
  }

  /// Parses ARPA text already in memory (`name` is used in error messages).
  public static func parse(_ text: [UInt8], name: String) throws -> ARPAModel {
    let contents = try ARPAReader.parse(text, file: name)
    return try ARPAModel(contents: contents, path: name)
  }

  init(contents: ARPAContents, path: String) throws {
    var raw = contents.orders
    var words = contents.words
    self.path = path
    order = raw.count
    ngramCounts = raw.map(\.count)
    if let u = words.firstIndex(of: "<unk>") {
      hasUnknown = true
      unknownID = u
    } else {
      hasUnknown = false
      unknownID = words.count
      words.append("<unk>")
      raw[0].ids.append(Int32(unknownID))
      raw[0].prob.append(Float(ARPAModel.missingUnknownLog10))
      raw[0].backoff.append(0)
      raw[0].line.append(0)
    }
    sentenceStartID = words.firstIndex(of: "<s>")
    sentenceEndID = words.firstIndex(of: "</s>")
    vocabulary = Vocabulary(tokens: words, frequencies: [Int](repeating: 0, count: words.count))
    levels = try ARPAModel.build(&raw, words: words, file: path)
  }

  // MARK: - Building the trie

  /// Builds the levels. An n-gram whose context is not in the file (KenLM rejects such files;
  /// SRILM's pruning can make them) gets that context added as a "blank" n-gram whose
  /// probability is what back-off gives and whose back-off weight is 0, so it scores the same.
  static func build(_ raw: inout [ARPAContents.RawOrder], words: [String], file: String) throws -> [Level] {
    while true {
      var levels: [Level] = [
        Level(word: [], prob: raw[0].prob, backoff: raw[0].backoff, firstChild: [])
      ]
      var missing: [[Int32]] = []
      var missingOrder = 0
      for k in 1..<raw.count {
        let n = k + 1
        let r = raw[k]
        var ctx = [Int32](repeating: 0, count: r.count)
        var seen = Set<[Int32]>()
        r.ids.withUnsafeBufferPointer { ids in
          var lastPrefix: [Int32] = []
          var lastIndex: Int32 = -1
          for i in 0..<r.count {
            let base = i * n
            if n == 2 {
              ctx[i] = ids[base]
              continue
            }
            let prefix = Array(ids[base..<(base + n - 1)])
            if prefix == lastPrefix {
              ctx[i] = lastIndex
              continue
            }
            let found = find(levels, prefix)
            lastPrefix = prefix
            lastIndex = found.map(Int32.init) ?? -1
            ctx[i] = lastIndex
            if found == nil && seen.insert(prefix).inserted { missing.append(prefix) }
          }
        }
        if !missing.isEmpty {
          missingOrder = k - 1
          break
        }
        // Sort by (context, word).
        var keys = [UInt64](repeating: 0, count: r.count)
        var sorted = true
        for i in 0..<r.count {
          keys[i] = UInt64(UInt32(bitPattern: ctx[i])) << 32 | UInt64(UInt32(bitPattern: r.ids[i * n + n - 1]))
          if i > 0 && keys[i] < keys[i - 1] { sorted = false }
        }
        var perm = Array(0..<r.count)
        if !sorted { perm.sort { keys[$0] < keys[$1] } }
        var level = Level()
        level.word.reserveCapacity(r.count)
        level.prob.reserveCapacity(r.count)
        level.backoff.reserveCapacity(r.count)
        for j in 0..<r.count {
          let i = perm[j]
          if j > 0 && keys[i] == keys[perm[j - 1]] {
            let gram = (0..<n).map { words[Int(r.ids[i * n + $0])] }.joined(separator: " ")
            let (a, b) = (min(r.line[i], r.line[perm[j - 1]]), max(r.line[i], r.line[perm[j - 1]]))
            throw NgramError.malformed(
              file: file, line: Int(b),
              reason: "the \(n)-gram '\(TerminalText.escape(gram))' is listed twice (also on line \(a))")
          }
          level.word.append(r.ids[i * n + n - 1])
          level.prob.append(r.prob[i])
          level.backoff.append(r.backoff[i])
        }
        // The parent level's child offsets.
        var first = [Int32](repeating: 0, count: levels[k - 1].count + 1)
        for j in 0..<r.count { first[Int(ctx[perm[j]]) + 1] += 1 }
        for c in 0..<levels[k - 1].count { first[c + 1] += first[c] }
        levels[k - 1].firstChild = first
        levels.append(level)
      }
      if missing.isEmpty {
        try fillBlanks(&levels, raw: raw, file: file)
        return levels
      }
      // Add the missing contexts as blanks (probability filled in later) and start again.
      for prefix in missing {
        raw[missingOrder].ids.append(contentsOf: prefix)
        raw[missingOrder].prob.append(.nan)
        raw[missingOrder].backoff.append(0)
        raw[missingOrder].line.append(0)
      }
    }
  }

  /// Gives each blank n-gram the probability back-off assigns it, lowest order first.
  static func fillBlanks(_ levels: inout [Level], raw: [ARPAContents.RawOrder], file: String) throws {
    for k in 1..<raw.count {
      let r = raw[k]
      let n = k + 1
      for i in 0..<r.count where r.prob[i].isNaN {
        let gram = r.ids[(i * n)..<(i * n + n)].map(Int.init)
        guard let e = find(levels, gram), let c = find(levels, Array(gram.dropLast())) else { continue }
        let shorter = Array(gram.dropFirst())
        let p =
          Double(levels[k - 1].backoff[c]) + log10Probability(levels, of: shorter.last!, after: shorter.dropLast())
        levels[k].prob[e] = Float(p)
      }
    }
  }

  // MARK: - Lookup

  /// The entry of the n-gram `ids` (oldest first) in level `ids.count - 1`, if listed.
  static func find(_ levels: [Level], _ ids: some Collection<some BinaryInteger>) -> Int? {
    var e = -1
    for (j, w) in ids.enumerated() {
      if j == 0 {
        guard w >= 0 && Int(w) < levels[0].count else { return nil }
        e = Int(w)
      } else {
        guard j < levels.count, let c = child(levels, level: j - 1, entry: e, word: Int32(w)) else { return nil }
        e = c
      }
    }
    return e < 0 ? nil : e
  }

  /// The entry in level `level + 1` of `word` after the context entry `entry` of level `level`.
  @inline(__always)
  static func child(_ levels: [Level], level: Int, entry: Int, word: Int32) -> Int? {
    let first = levels[level].firstChild
    guard !first.isEmpty else { return nil }
    var lo = Int(first[entry])
    var hi = Int(first[entry + 1])
    return levels[level + 1].word.withUnsafeBufferPointer { w in
      while lo < hi {
        let mid = (lo + hi) >> 1
        let x = w[mid]
        if x == word { return mid }
        if x < word { lo = mid + 1 } else { hi = mid }
      }
      return nil
    }
  }

  /// For each suffix length `i` = 1…L of the context (its last L ≤ order − 1 ids), the entry of
  /// that suffix in level `i − 1`, or nil when the suffix is not an n-gram. L is the longest
  /// suffix that is an n-gram, i.e. KenLM's state after reading the context.
  static func contextEntries(_ levels: [Level], _ context: some Collection<Int>) -> [Int?] {
    let ids = Array(context.suffix(levels.count - 1))
    var entries: [Int?] = []
    for i in stride(from: 1, through: ids.count, by: 1) {
      entries.append(find(levels, ids[(ids.count - i)...]))
    }
    while let last = entries.last, last == nil { entries.removeLast() }
    return entries
  }

  static func log10Probability(_ levels: [Level], of word: Int, after context: some Collection<Int>) -> Double {
    let entries = contextEntries(levels, context)
    var matched = 0
    var p = Double(levels[0].prob[word])
    for i in stride(from: entries.count, through: 1, by: -1) {
      if let e = entries[i - 1], let c = child(levels, level: i - 1, entry: e, word: Int32(word)) {
        p = Double(levels[i].prob[c])
        matched = i
        break
      }
    }
    for i in stride(from: matched + 1, through: entries.count, by: 1) {
      if let e = entries[i - 1] { p += Double(levels[i - 1].backoff[e]) }
    }
    return p
  }

  // MARK: - Scoring

  /// Tokens of context read: order − 1 (shorter contexts are allowed).
  public var contextLength: ContextLength { ContextLength(unchecked: order - 1) }

  /// The log10 probability of token `word` after `context` (ids, oldest first; only the last
  /// order − 1 count), exactly KenLM's `full_scores` value for `word` after that text.
  public func log10Probability(of word: Int, after context: [Int]) -> Double {
    ARPAModel.log10Probability(levels, of: word, after: context)
  }

  /// The log10 probability of every vocabulary id after `context` (KenLM's scores, `<s>`
  /// included as the file lists it), computed top-down: the 1-gram column, then for each longer
  /// suffix of the context that is an n-gram, its back-off weight added to every word and its
  /// own n-grams written over their words.
  public func log10Distribution(after context: [Int]) -> [Double] {
    let entries = ARPAModel.contextEntries(levels, context)
    let v = levels[0].count
    var out = [Double](repeating: 0, count: v)
    var offset = 0.0
    out.withUnsafeMutableBufferPointer { q in
      levels[0].prob.withUnsafeBufferPointer { u in
        for w in 0..<v { q[w] = Double(u[w]) }
      }
      for (i, entry) in entries.enumerated() {
        guard let e = entry else { continue }
        offset += Double(levels[i].backoff[e])
        let lo = Int(levels[i].firstChild[e])
        let hi = Int(levels[i].firstChild[e + 1])
        levels[i + 1].word.withUnsafeBufferPointer { words in
          levels[i + 1].prob.withUnsafeBufferPointer { probs in
            for c in lo..<hi { q[Int(words[c])] = Double(probs[c]) - offset }
          }
        }
      }
      if offset != 0 { for w in 0..<v { q[w] += offset } }
    }
    return out
  }

  /// The next-token distribution over the whole vocabulary: 10^score for every word but `<s>`
  /// (probability 0: a sentence start is never predicted).
  public func distribution(after context: TokenContext) -> Distribution {
    let scores = log10Distribution(after: context.ids)
    var explicit: [Distribution.Entry] = []
    explicit.reserveCapacity(scores.count)
    let start = sentenceStartID ?? -1
    for (id, s) in scores.enumerated() where id != start {
      explicit.append(Distribution.Entry(id: id, probability: pow(10, s)))
    }
    return Distribution(vocabSize: scores.count, defaultProbability: 0, explicit: explicit)
  }

  /// True: a back-off model reads the longest n-gram of a context of any length.
  public var acceptsShorterContexts: Bool { true }

  /// The last order − 1 tokens (fewer are fine); words outside the vocabulary are read as `<unk>`.
  public func context(for tokens: [String]) throws -> TokenContext {
    TokenContext(ids: tokens.suffix(order - 1).map { vocabulary.id(of: $0) ?? unknownID })
  }

  /// How many tokens of the typed context the model actually uses: the longest suffix that is an
  /// n-gram in the file (KenLM's state length).
  public func usedContextLength(_ context: TokenContext) -> Int {
    ARPAModel.contextEntries(levels, context.ids).count
  }
}

extension ARPAModel: ARPASource {
  /// The vocabulary's tokens.
  public var arpaTokens: [String] { vocabulary.tokens }
  /// ``order``.
  public var arpaOrder: Int { order }

  /// The n-grams as stored, sorted by (context, word) (contexts added for a file that lacked
  /// them are included; `<unk>` at −100 if the file had none).
  public func forEachARPANgram(
    order n: Int, _ body: (_ ids: [Int], _ log10Probability: Double, _ log10Backoff: Double) throws -> Void
  ) rethrows {
    guard (1...order).contains(n) else { return }
    func walk(level: Int, entry: Int, prefix: [Int]) throws {
      let gram = prefix + [level == 0 ? entry : Int(levels[level].word[entry])]
      if level == n - 1 {
        let bo = level < order - 1 ? Double(levels[level].backoff[entry]) : 0
        try body(gram, Double(levels[level].prob[entry]), bo)
        return
      }
      let lo = Int(levels[level].firstChild[entry])
      let hi = Int(levels[level].firstChild[entry + 1])
      for c in lo..<hi { try walk(level: level + 1, entry: c, prefix: gram) }
    }
    for w in 0..<levels[0].count { try walk(level: 0, entry: w, prefix: []) }
  }
}
