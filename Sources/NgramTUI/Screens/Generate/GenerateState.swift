import NgramEngine

/// One generation step: the window it read, its distribution and the token chosen.
struct GenerationStep: Sendable {
  /// The context window the step predicted from.
  let window: [Int]
  /// The model's distribution for that window.
  let distribution: Distribution
  /// The token taken.
  let chosen: Int
  /// The distribution's most probable tokens (the most any k shows), sorted once when the step
  /// is taken rather than on every frame.
  let top: [Distribution.Entry]
  /// Whether the token was sampled (else greedy argmax).
  let sampled: Bool
  /// The temperature of a sampled step.
  let temperature: Double
  /// The generator state before the step, restored on undo.
  let rngBefore: SeededGenerator
}

/// A repeated window found in the generated text.
struct RepeatedWindow: Equatable, Sendable {
  /// The step after which the window first appeared (0 = the start).
  let first: Int
  /// The step after which it appeared again.
  let again: Int
  /// Whether every step in between was greedy: then the text cycles forever.
  let greedy: Bool
}

/// The Generate screen: step-by-step decoding from a start window.
struct GenerateState: Sendable {
  /// The start window's ids (nil until the model is ready).
  var start: [Int]?
  /// Where the start came from, for the label.
  var origin = ""
  /// The Explore context version the start came from (-1: the meta start tokens).
  var version = -2
  /// The steps taken so far.
  private(set) var steps: [GenerationStep] = [] {
    didSet { repeatedWindow = findRepeatedWindow() }
  }
  /// The first window that appears twice (after the start or a step), if any: found when the
  /// steps change, not on every frame.
  private(set) var repeatedWindow: RepeatedWindow?
  /// The distribution of the first step and its top tokens, before any step is taken (made
  /// when the generation starts, with the model it starts with).
  private(set) var preview: (distribution: Distribution, top: [Distribution.Entry])?
  /// Whether Space samples instead of taking the argmax.
  var sampling = false
  /// The sampling temperature.
  var temperature = 1.0
  /// The sampling seed (the CLI's default too).
  var seed: UInt64 = 0
  /// The sampling generator: the engine's, so `ngram-tui infer --sample` reproduces a run.
  var rng = SeededGenerator(seed: 0)
  /// Tokens a step reads when that is not the start's length (an ARPA model reads up to
  /// order − 1, and may start from fewer, e.g. `<s>`).
  var windowLength: Int?

  /// The tokens so far: the start window then every chosen token.
  var ids: [Int] { (start ?? []) + steps.map(\.chosen) }

  /// The window the next step reads.
  var window: [Int] {
    guard let start else { return [] }
    return Array(ids.suffix(windowLength ?? start.count))
  }

  /// Restarts from `start`; with `model`, the first step's distribution is worked out now.
  mutating func reset(start: [Int], origin: String, version: Int, model: (any LanguageModel)? = nil) {
    self.start = start
    self.origin = origin
    self.version = version
    steps = []
    rng = SeededGenerator(seed: seed)
    preview = model.map { m in
      let d = m.distribution(after: TokenContext(ids: window))
      return (d, d.top(AppState.maxK))
    }
  }

  /// Takes one step with `model`: the argmax, or a sample when sampling.
  mutating func step(model: any LanguageModel) {
    guard start != nil else { return }
    let w = window
    let dist = model.distribution(after: TokenContext(ids: w))
    let before = rng
    let chosen =
      sampling ? dist.sample(SamplingOptions(temperature: temperature, seed: seed), using: &rng) : dist.argmax
    steps.append(
      GenerationStep(
        window: w, distribution: dist, chosen: chosen, top: dist.top(AppState.maxK), sampled: sampling,
        temperature: temperature, rngBefore: before))
  }

  /// Undoes the last step (restoring the generator).
  mutating func undo() {
    guard let last = steps.popLast() else { return }
    rng = last.rngBefore
  }

  /// The `ngram-tui infer` options that generate the same text, when every step was sampled at
  /// one temperature (greedy runs are plain `infer`).
  var cliEquivalent: String? {
    guard let first = steps.first else { return nil }
    if steps.allSatisfy({ !$0.sampled }) { return "" }
    guard steps.allSatisfy({ $0.sampled && $0.temperature == first.temperature }) else { return nil }
    return "--sample --temperature \(first.temperature) --seed \(seed)"
  }

  /// Scans the text for the first window that appears twice.
  private func findRepeatedWindow() -> RepeatedWindow? {
    guard let start else { return nil }
    let n = windowLength ?? start.count
    let all = ids
    var seen: [[Int]: Int] = [:]
    for s in 0...steps.count {
      // The window after step s ends at start.count + s; a window shorter than n (an ARPA start
      // of fewer tokens) is not a state the model returns to.
      let end = start.count + s
      guard end >= n else { continue }
      let w = Array(all[(end - n)..<end])
      if let j = seen[w] {
        let greedy = steps[j..<s].allSatisfy { !$0.sampled }
        return RepeatedWindow(first: j, again: s, greedy: greedy)
      }
      seen[w] = s
    }
    return nil
  }
}

extension GenerateState {
  /// The Generate screen's reducer: applies a key-map action (a step needs the trained model).
  mutating func reduce(_ action: Action, model: (any LanguageModel)?) {
    switch action {
    case .step:
      if let model { step(model: model) }
    case .undo: undo()
    case .restart:
      if let s = start { reset(start: s, origin: origin, version: version, model: model) }
    case .toggleSampling: sampling.toggle()
    case .cooler: temperature = max(0.1, ((temperature - 0.1) * 10).rounded() / 10)
    case .warmer: temperature = min(5.0, ((temperature + 0.1) * 10).rounded() / 10)
    case .reseed:
      // A new seed restarts the run, so every step of it comes from one seed.
      seed &+= 1
      if let s = start { reset(start: s, origin: origin, version: version, model: model) }
    default: break
    }
  }
}
