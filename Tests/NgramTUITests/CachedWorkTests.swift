import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// What the screens keep instead of redoing on every frame (the top tokens, the first step's
/// distribution, the repeated window, the header hints) equals what a fresh computation gives,
/// after every kind of change.
@Suite struct CachedWorkTests {
  /// The top tokens kept for the largest k give every smaller k as a prefix (the order is total:
  /// probability descending, then id), so a kept list serves every k.
  @Test("the kept top-50 list's prefixes are the top-k lists of Explore and Generate")
  func keptTopIsEveryTopK() throws {
    var s = Fixture.state()
    _ = s.handle(.tab)
    Fixture.type("the cat", into: &s)
    _ = s.handle(.enter)
    guard case .prediction(let p)? = s.explore.result else {
      Issue.record("no prediction")
      return
    }
    for epoch in [nil, 0, 1, 7] as [Int?] {
      s.explore.epoch = epoch
      let kept = s.explore.shownStats(p).top
      let d = p.distribution(atEpoch: epoch)
      for k in 1...AppState.maxK {
        #expect(Array(kept.prefix(k)) == d.top(k), "epoch \(String(describing: epoch)) k \(k)")
      }
      // The corpus column's counts, kept for the same tokens.
      let observed = s.explore.shownStats(p).observed
      for e in kept {
        let count = p.followers.counts.first { $0.id == e.id }?.count
        #expect(observed[e.id] == count)
        #expect(Double(count ?? 0) / Double(p.followers.occurrences) == p.followers.frequency(of: e.id))
      }
    }
    _ = s.handle(.tab)
    #expect(s.screen == .generate)
    let preview = try #require(s.generate.preview)
    let first = Fixture.run.model.distribution(after: TokenContext(ids: s.generate.window))
    #expect(preview.top == first.top(AppState.maxK))
    for _ in 0..<6 { _ = s.handle(.char(" ")) }
    for step in s.generate.steps { #expect(step.top == step.distribution.top(AppState.maxK)) }
  }

  @Test("the repeated window is found again after steps, undo and restart")
  func repeatedWindowFollowsTheSteps() {
    var s = Fixture.state()
    s.show(.generate)
    var found = 0
    for key in [
      Key.char(" "), .char(" "), .char(" "), .char(" "), .char(" "), .char(" "), .char(" "), .char(" "),
      .backspace, .backspace, .char(" "), .char("m"), .char(" "), .char(" "),
    ] {
      _ = s.handle(key)
      // A fresh scan, as the old per-frame code did: the first window seen twice.
      let n = 2
      let ids = s.generate.ids
      var seen: [[Int]: Int] = [:]
      var expected: RepeatedWindow?
      for step in 0...s.generate.steps.count {
        let w = Array(ids[step..<(step + n)])
        if let j = seen[w] {
          expected = RepeatedWindow(
            first: j, again: step, greedy: s.generate.steps[j..<step].allSatisfy { !$0.sampled })
          break
        }
        seen[w] = step
      }
      #expect(s.generate.repeatedWindow == expected)
      if expected != nil { found += 1 }
    }
    #expect(found > 0)
  }

  @Test("the header hints kept after each event are the ones the key map makes for the state")
  func headerHintsFollowEvents() {
    var s = Fixture.state()
    let keys: [Key] =
      [.tab] + "the cat".map { Key.char($0) } + [
        .enter, .escape, .char("+"), .char("/"), .char("<"), .end, .tab, .tab,
        .char("="), .escape, .backTab, .backTab, .char("x"), .ctrlU, .enter,
      ]
    for key in keys {
      _ = s.handle(key)
      #expect(s.headerHints == KeyMap.header(s), "after \(key)")
    }
  }
}
