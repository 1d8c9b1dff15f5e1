import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// The Step screen: its keys (through the key map) and its frames.
@Suite("Step screen")
struct StepScreenTests {
  /// A state on the Step screen (Shift-Tab from Train).
  static func onStep(ascii: Bool = false) -> AppState {
    var s = Fixture.state(ascii: ascii)
    _ = s.handle(.backTab)
    return s
  }

  /// Pairs per epoch and the corpus ids, computed here from the corpus (context 2, no holdout).
  static var ids: [Int] { Fixture.run.corpus.tokenIDs.map(Int.init) }
  static var pairs: Int { ids.count - 2 }

  @Test func shiftTabFromTrainShowsTheFirstPairOfTheFirstEpoch() throws {
    let s = Self.onStep()
    #expect(s.screen == .step)
    let step = try #require(s.step.current)
    #expect(step.epoch == 1 && step.pair == 1 && step.pairs == Self.pairs)
    #expect(step.context == Array(Self.ids[0..<2]) && step.target == Self.ids[2])
    // Before any update every weight is 0: the row is uniform, p = 1/V and loss = ln V.
    let v = Double(Fixture.run.corpus.vocabulary.count)
    #expect(abs(step.pTarget - 1 / v) < 1e-15)
    #expect(abs(step.loss - log(v)) < 1e-12)
    #expect(step.sharedColumns == Fixture.run.corpus.vocabulary.count)
    // A uniform row's argmax is the lowest id.
    #expect(step.predicted == 0)
    // Tab from the Step screen goes round to Train.
    var t = s
    _ = t.handle(.tab)
    #expect(t.screen == .train)
  }

  @Test func spaceAndNTakeTheNextPairAndWrapIntoTheNextEpoch() {
    var s = Self.onStep()
    _ = s.handle(.char(" "))
    _ = s.handle(.char("n"))
    #expect(s.step.current?.pair == 3 && s.step.current?.epoch == 1)
    for _ in 3..<Self.pairs { _ = s.handle(.char(" ")) }
    #expect(s.step.current?.pair == Self.pairs && s.step.current?.epoch == 1)
    _ = s.handle(.char(" "))
    #expect(s.step.current?.pair == 1 && s.step.current?.epoch == 2)
    // The last pair of the last epoch stays, with a message.
    Fixture.type("g\(Self.pairs)", into: &s)
    _ = s.handle(.enter)
    for _ in 2...50 { _ = s.handle(.char("]")) }
    #expect(s.step.current?.epoch == 50 && s.step.current?.pair == Self.pairs)
    _ = s.handle(.char(" "))
    #expect(s.step.current?.epoch == 50 && s.step.current?.pair == Self.pairs)
    #expect(s.step.message == "this is the last pair of the last epoch")
  }

  @Test func oJumpsToTheNextPairWithTheSameContextThenIntoTheNextEpoch() {
    var s = Self.onStep()
    let ids = Self.ids
    let context = Array(ids[0..<2])
    let same = (0..<Self.pairs).filter { Array(ids[$0..<($0 + 2)]) == context }.map { $0 + 1 }
    #expect(same.count > 1)
    var seen: [Int] = [1]
    for _ in 1..<same.count {
      _ = s.handle(.char("o"))
      #expect(s.step.current?.epoch == 1)
      seen.append(s.step.current?.pair ?? -1)
    }
    #expect(seen == same)
    _ = s.handle(.char("o"))
    #expect(s.step.current?.epoch == 2 && s.step.current?.pair == same[0])
    #expect(s.step.current?.occurrence == 1 && s.step.current?.occurrences == same.count)
  }

  @Test func bracketsAndAnglesChangeTheEpochKeepingThePair() {
    var s = Self.onStep()
    _ = s.handle(.char(" "))
    _ = s.handle(.char("]"))
    _ = s.handle(.char(">"))
    #expect(s.step.current?.epoch == 3 && s.step.current?.pair == 2)
    _ = s.handle(.char("<"))
    #expect(s.step.current?.epoch == 2)
    _ = s.handle(.char("["))
    #expect(s.step.current?.epoch == 1)
    _ = s.handle(.char("["))
    #expect(s.step.current?.epoch == 1 && s.step.message == "this is epoch 1, the first")
    _ = s.handle(.char("n"))
    #expect(s.step.message == nil)
  }

  @Test func gDigitsEnterGoesToAPairNumber() {
    var s = Self.onStep()
    Fixture.type("g12", into: &s)
    #expect(s.step.goTo == "12" && s.step.current?.pair == 1)
    #expect(KeyMap.footer(s).hasPrefix("Enter go  Esc cancel"))
    _ = s.handle(.enter)
    #expect(s.step.goTo == nil && s.step.current?.pair == 12)
    // Backspace erases; letters are ignored, and q does not quit while a number is typed.
    Fixture.type("g1", into: &s)
    _ = s.handle(.backspace)
    #expect(Fixture.type("7q", into: &s).isEmpty)
    _ = s.handle(.enter)
    #expect(s.step.current?.pair == 7)
    // Out of range: a message naming the range, the pair stays.
    Fixture.type("g999", into: &s)
    _ = s.handle(.enter)
    #expect(s.step.current?.pair == 7 && s.step.message == "no pair 999: use 1 to \(Self.pairs)")
    // Esc cancels.
    Fixture.type("g3", into: &s)
    _ = s.handle(.escape)
    #expect(s.step.goTo == nil && s.step.current?.pair == 7)
    // Then q quits again.
    #expect(s.handle(.char("q")) == [.quit])
  }

  @Test func theKeysAreOnTheHelpScreenAndInTheFooter() {
    let s = Self.onStep()
    let footer = KeyMap.footer(s)
    for hint in ["Space next pair", "o same context", "[ ] epoch", "g go to pair", "? help", "q quit"] {
      #expect(footer.contains(hint), "\(hint) missing from: \(footer)")
    }
    let rows = KeyMap.helpSections.first { $0.0 == .step }?.1.map(\.keys) ?? []
    #expect(rows == ["Space / n", "o", "[ ]  or  < >", "g 123 Enter"])
  }

  @Test(arguments: [(80, 24, false), (120, 40, false), (80, 24, true)])
  func snapshot(width: Int, height: Int, ascii: Bool) {
    var s = Self.onStep(ascii: ascii)
    // The second pair with the first pair's context, in epoch 2: a row that has learned.
    _ = s.handle(.char("o"))
    _ = s.handle(.char("]"))
    Snapshot.check(
      Render.frame(s, width: width, height: height), "step_epoch2_\(width)x\(height)_\(ascii ? "ascii" : "unicode")")
  }

  @Test func snapshotFirstPairAskingForANumber() {
    var s = Self.onStep()
    Fixture.type("g4", into: &s)
    Snapshot.check(Render.frame(s, width: 80, height: 24), "step_first_goto_80x24_unicode")
  }

  @Test func helpFromTheStepScreenListsItsKeysAtTheSmallestSize() {
    var s = Self.onStep()
    _ = s.handle(.char("?"))
    let grid = Render.frame(s, width: 80, height: 24)
    let text = (0..<24).map { grid.line($0) }.joined(separator: "\n")
    #expect(text.contains("Step (one training step under the microscope)"))
    #expect(text.contains("g 123 Enter"))
    #expect(text.contains("rows 1-21 of 34: Up/Down and PgUp/PgDn scroll"))
    Snapshot.check(grid, "help_from_step_80x24_unicode")
  }
}
