import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A seeded generator of our own (SplitMix64), so a seed gives the same text on every machine.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  /// Creates a generator from a seed.
  public init(seed: UInt64) { state = seed }

  /// The next 64 random bits.
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform double in [0, 1) from the top 53 bits.
  public mutating func nextUnit() -> Double { Double(next() >> 11) * 0x1p-53 }
}

/// Settings for sampled generation (beyond the reference, which only decodes greedily).
public struct SamplingOptions: Sendable, Equatable {
  /// Temperature; at or below 1e-6 sampling is greedy decoding.
  public var temperature: Double
  /// Keep only the k most probable tokens (nil: all).
  public var topK: Int?
  /// Keep the smallest set of most probable tokens whose probability reaches p (nil: all).
  public var topP: Double?
  /// The generator's seed.
  public var seed: UInt64

  /// Creates sampling settings.
  public init(temperature: Double = 1, topK: Int? = nil, topP: Double? = nil, seed: UInt64 = 0) {
    self.temperature = temperature
    self.topK = topK
    self.topP = topP
    self.seed = seed
  }

  /// Checks the values, with a message saying what is accepted.
  public func validate() throws {
    guard temperature.isFinite, temperature >= 0 else {
      throw NgramError.invalidTemperature(temperature)
    }
    if let k = topK, k < 1 { throw NgramError.invalidTopK(k) }
    if let p = topP, !(p > 0 && p <= 1) {
      throw NgramError.invalidTopP(p)
    }
  }
}

extension Distribution {
  /// Draws one token id: temperature, then top-k, then top-p, then a draw from `rng`.
  public func sample(_ options: SamplingOptions, using rng: inout SeededGenerator) -> Int {
    if options.temperature <= 1e-6 { return argmax }
    var candidates = top(options.topK ?? vocabSize)
    guard let best = candidates.first?.probability, best > 0 else { return argmax }
    // p^(1/T), scaled by the largest for stability.
    var weights = candidates.map {
      $0.probability > 0 ? libmExp(libmLog($0.probability / best) / options.temperature) : 0
    }
    var total = weights.reduce(0, +)
    if let p = options.topP {
      var acc = 0.0
      var keep = weights.count
      for (i, w) in weights.enumerated() {
        acc += w
        if acc >= p * total {
          keep = i + 1
          break
        }
      }
      weights = Array(weights.prefix(keep))
      candidates = Array(candidates.prefix(keep))
      total = weights.reduce(0, +)
    }
    let u = rng.nextUnit() * total
    var acc = 0.0
    for (i, w) in weights.enumerated() {
      acc += w
      if u < acc { return candidates[i].id }
    }
    return candidates[weights.count - 1].id
  }
}

extension LanguageModel {
  /// Sampled generation: `count` draws from `start`, reproducible for a given seed.
  public func sample(start: [Int], count: Int, options: SamplingOptions) -> [Int] {
    var out: [Int] = []
    forEachGenerated(from: TokenContext(ids: start), count: count, sampling: options) { out.append($0) }
    return out
  }
}
