import NgramEngine

// Explore's rank query: `r` asks for a word and says where it stands after the context.
extension AppState {
  /// Whether Explore is asking for the word to rank.
  var askingRank: Bool { screen == .explore && explore.rankQuery != nil }

  /// Whether `r` can ask: Explore with a prediction on screen (any model's: SGD or ARPA) and the
  /// prompt left.
  var canAskRank: Bool {
    guard screen == .explore, !isTyping, explore.rankQuery == nil, case .prediction? = explore.result else {
      return false
    }
    return true
  }

  /// The rank query's reducer: type the word, Enter answers in the footer, Esc cancels.
  mutating func reduceRank(_ action: Action, key: Key) {
    switch action {
    case .askRank: explore.rankQuery = ""
    case .rankType:
      if case .char(let c) = key { explore.rankQuery = (explore.rankQuery ?? "") + String(c) }
    case .rankErase:
      if explore.rankQuery?.isEmpty == false { explore.rankQuery?.removeLast() }
    case .rankCancel:
      explore.rankQuery = nil
      return
    case .rankSubmit:
      let word = explore.rankQuery ?? ""
      explore.rankQuery = nil
      notice = rankAnswer(for: word)
      return
    default: return
    }
    notice = "rank of which word? \(explore.rankQuery ?? "")_   Enter show  Esc cancel"
  }

  /// Where `word` stands in the distribution on screen (at the epoch shown), as one line naming
  /// the model ranked (SGD or ARPA); with Explore's count column on, the count model's rank too.
  /// The rank is `Distribution.rank`: the order of the bars (probability descending, then id).
  func rankAnswer(for word: String) -> String? {
    guard !word.isEmpty, case .prediction(let p)? = explore.result else { return nil }
    guard let id = vocabulary.id(of: word) else { return "\(word) is not in the vocabulary" }
    let d = p.distribution(atEpoch: explore.epoch)
    let after = p.context.isEmpty ? "" : " after \"\(p.context.joined(separator: " "))\""
    let when = explore.epoch.map { " at epoch \($0)" } ?? ""
    let rank = d.rank(of: id)
    let probability = Format.percent(d.probability(of: id))
    guard profile.trainsOnCorpus, let column = CountColumn(counts, ids: p.ids) else {
      return
        "\(profile.name) rank of \(word)\(after)\(when): \(rank) of \(d.vocabSize), probability \(probability)"
    }
    // Both ranks on one footer line (80 columns): the count model's vocabulary is always the
    // corpus's plus <UNK>, so its "of N" is left out.
    let count: String
    if column.undefined {
      count = "\(column.name) undefined"
    } else {
      let c = column.model.distribution(after: column.context)
      count = "\(column.name) \(c.rank(of: id)) (\(Format.percent(c.probability(of: id))))"
    }
    return "rank of \(word)\(after)\(when): SGD \(rank) of \(d.vocabSize) (\(probability)), \(count)"
  }
}
