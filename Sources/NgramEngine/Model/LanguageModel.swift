/// How many tokens of context a model reads before predicting the next one.
///
/// The SGD trainer supports 0…3 (unigram, bigram, context-2, context-3); ARPA and count-based
/// models of order up to 6 read up to 5 tokens. The n-gram *order* is `value + 1`.
public struct ContextLength: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// The number of context tokens.
  public let value: Int

  /// The largest context any model of this package reads (ARPA order 6).
  public static let maximum = 5
  /// The lengths the SGD trainer supports.
  public static let trainable = 0...3

  /// Creates a context length, or returns nil outside `0...maximum`.
  public init?(_ value: Int) {
    guard (0...Self.maximum).contains(value) else { return nil }
    self.value = value
  }

  init(unchecked value: Int) { self.value = value }

  /// The n-gram order: context length + 1.
  public var order: Int { value + 1 }

  public static func < (a: ContextLength, b: ContextLength) -> Bool { a.value < b.value }
  public var description: String { String(value) }
}

/// A context resolved against a model's vocabulary: the token ids the model conditions on,
/// oldest first. Build one with ``LanguageModel/context(for:)``.
public struct TokenContext: Sendable, Hashable {
  /// Token ids, oldest first.
  public let ids: [Int]
  /// Creates a context from ids the caller has already checked against the vocabulary.
  public init(ids: [Int]) { self.ids = ids }
}

/// Anything that gives a next-token distribution for a context: the SGD rows trained here
/// (``NgramModel``), and the ARPA and count-based models.
///
/// The front ends (explorer, command line) only talk to models through this protocol, so a new
/// kind of model is explored, generated from and compared without changes elsewhere.
public protocol LanguageModel: Sendable {
  /// The tokens the model predicts over, by id.
  var vocabulary: Vocabulary { get }
  /// How many tokens of context the model reads (at most).
  var contextLength: ContextLength { get }
  /// The next-token distribution after `context`.
  func distribution(after context: TokenContext) -> Distribution
  /// Resolves typed tokens to a context: by default the last `contextLength` tokens, each of
  /// which must be in the vocabulary (throws ``NgramError/unknownTokens(_:suggestions:)`` or
  /// ``NgramError/contextTooShort(needed:given:)``).
  func context(for tokens: [String]) throws -> TokenContext
  /// Whether a context shorter than ``contextLength`` is a valid query: false by default; true
  /// for a back-off model (an ARPA file), which reads the longest n-gram it has.
  var acceptsShorterContexts: Bool { get }
  /// How many of the context's last tokens the model actually conditions on: for a back-off
  /// model the longest suffix it lists as an n-gram (KenLM's state length); by default all of
  /// them, up to ``contextLength``.
  func usedContextLength(_ context: TokenContext) -> Int
}

extension LanguageModel {
  public var acceptsShorterContexts: Bool { false }

  public func usedContextLength(_ context: TokenContext) -> Int { min(context.ids.count, contextLength.value) }

  public func context(for tokens: [String]) throws -> TokenContext {
    let n = contextLength.value
    guard tokens.count >= n else { throw NgramError.contextTooShort(needed: n, given: tokens.count) }
    return TokenContext(ids: try vocabulary.ids(for: Array(tokens.suffix(n))))
  }

  /// The `k` most probable next tokens after `context`, ties broken by lower id.
  public func topK(after context: TokenContext, k: Int) -> [Prediction] {
    distribution(after: context).top(k).map {
      Prediction(token: vocabulary.tokens[$0.id], id: $0.id, probability: $0.probability)
    }
  }

  /// Greedy generation: `count` argmax steps, sliding the window over the generated tokens.
  public func generate(from start: TokenContext, count: Int) -> [Int] {
    var out: [Int] = []
    out.reserveCapacity(count)
    forEachGenerated(from: start, count: count, sampling: nil) { out.append($0) }
    return out
  }

  /// Generation that hands each chosen token to `body` and keeps nothing but the context
  /// window, so memory stays the same however many tokens are asked for: greedy (argmax) when
  /// `sampling` is nil, else draws reproducible for the options' seed.
  public func forEachGenerated(
    from start: TokenContext, count: Int, sampling: SamplingOptions?, _ body: (Int) throws -> Void
  ) rethrows {
    var window = start.ids
    var rng = SeededGenerator(seed: sampling?.seed ?? 0)
    let n = contextLength.value
    for _ in 0..<max(count, 0) {
      let dist = distribution(after: TokenContext(ids: window))
      let next = sampling.map { dist.sample($0, using: &rng) } ?? dist.argmax
      try body(next)
      if n > 0 {
        window.append(next)
        if window.count > n { window.removeFirst(window.count - n) }
      }
    }
  }
}

extension Vocabulary {
  /// Resolves tokens to ids, or throws naming the unknown ones with near entries.
  public func ids(for tokens: [String]) throws -> [Int] {
    var unknown: [String] = []
    var ids: [Int] = []
    ids.reserveCapacity(tokens.count)
    for t in tokens {
      if let id = id(of: t) { ids.append(id) } else { unknown.append(t) }
    }
    if !unknown.isEmpty {
      throw NgramError.unknownTokens(unknown, suggestions: unknown.map { suggestions(for: $0) })
    }
    return ids
  }
}
