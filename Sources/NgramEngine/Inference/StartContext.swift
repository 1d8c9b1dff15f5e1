/// Where generation starts: the start tokens (printed before the generated ones) and the context
/// they resolve to. Build one with ``LanguageModel/startContext(given:default:)``.
public struct StartContext: Sendable, Equatable {
  /// The start tokens, oldest first.
  public let tokens: [String]
  /// The tokens resolved against the model's vocabulary.
  public let context: TokenContext
}

extension LanguageModel {
  /// The start of generation, one rule for every model — the Python reference's: `given` when
  /// it is not empty, else the model's own start `defaultTokens` (its first `contextLength`
  /// tokens; for an SGD model the meta's `start_tokens`, the corpus's first tokens).
  ///
  /// `given` must hold exactly `contextLength` tokens (the reference's `--start-tokens` takes
  /// exactly n); a model that ``acceptsShorterContexts`` also takes fewer. Unknown tokens are
  /// what the model's ``context(for:)`` makes of them (an error naming them with suggestions,
  /// or its unknown-word token).
  ///
  /// Throws ``NgramError/startTokenCount(needed:given:fewerAllowed:)`` for `given` of the wrong
  /// length, ``NgramError/startTokensMissing(needed:)`` when `given` is empty and the default is
  /// nil or too short, or what ``context(for:)`` throws.
  public func startContext(given: [String], default defaultTokens: [String]?) throws -> StartContext {
    let n = contextLength.value
    let tokens: [String]
    if given.isEmpty {
      guard let d = defaultTokens, d.count >= n || acceptsShorterContexts else {
        throw NgramError.startTokensMissing(needed: n)
      }
      tokens = Array(d.prefix(n))
    } else {
      guard given.count == n || (given.count < n && acceptsShorterContexts) else {
        throw NgramError.startTokenCount(needed: n, given: given.count, fewerAllowed: acceptsShorterContexts)
      }
      tokens = given
    }
    return StartContext(tokens: tokens, context: try context(for: tokens))
  }
}

extension Corpus {
  /// The first `count` tokens of the corpus (fewer if it is shorter): the start of generation
  /// of a model trained on it, as the reference's meta records for context 2.
  public func firstTokens(_ count: Int) -> [String] {
    tokenIDs.prefix(max(count, 0)).map { vocabulary.tokens[Int($0)] }
  }
}
