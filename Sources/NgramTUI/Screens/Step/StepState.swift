import NgramEngine

/// The Step screen: one SGD step of training under the microscope — the row of pair `pair` of
/// epoch `epoch` before and after its update (the engine's `StepInspector` replays it).
struct StepState: Sendable {
  /// 1-based epoch shown.
  var epoch = 1
  /// 1-based pair shown (corpus order).
  var pair = 1
  /// The digits typed after `g` (nil: not asking for a pair number).
  var goTo: String?
  /// Why the last key did nothing, until the next key (e.g. no later epoch).
  var message: String?
  /// The step shown (nil until computed, or when the run has no step to show).
  var current: TrainingStep?
  /// Why there is no step to show (no pairs, 0 epochs).
  var problem: String?

  /// The most digits a pair number takes.
  static let maxDigits = 9

  /// Recomputes the step shown with `inspector`.
  mutating func refresh(_ inspector: StepInspector?) {
    guard let inspector else {
      current = nil
      problem = "there is no training run to inspect"
      return
    }
    do {
      current = try inspector.step(epoch: epoch, pair: pair)
      problem = nil
    } catch {
      current = nil
      problem = CommandLineWords.message(for: error)
    }
  }
}

extension StepState {
  /// The Step screen's reducer: applies a key-map action (`key` for the digits of a pair
  /// number), then recomputes the step shown.
  mutating func reduce(_ action: Action, key: Key, inspector: StepInspector?) {
    message = nil
    guard let inspector, inspector.pairCount > 0, inspector.epochs > 0 else {
      goTo = nil
      refresh(inspector)
      return
    }
    let pairs = inspector.pairCount
    let epochs = inspector.epochs
    switch action {
    case .nextPair:
      if pair < pairs {
        pair += 1
      } else if epoch < epochs {
        epoch += 1
        pair = 1
      } else {
        message = "this is the last pair of the last epoch"
      }
    case .nextOccurrence:
      if let next = inspector.nextOccurrence(epoch: epoch, pair: pair) {
        (epoch, pair) = next
      } else {
        message = "no later pair with this context: this is its last one in the last epoch"
      }
    case .previousEpoch:
      if epoch > 1 { epoch -= 1 } else { message = "this is epoch 1, the first" }
    case .nextEpoch:
      if epoch < epochs { epoch += 1 } else { message = "this is epoch \(epochs), the last" }
    case .startGoTo:
      goTo = ""
    case .goToType:
      if case .char(let c) = key, c.isASCII, c.isNumber, (goTo ?? "").count < Self.maxDigits {
        goTo = (goTo ?? "") + String(c)
      }
    case .goToErase:
      if goTo?.isEmpty == false { goTo?.removeLast() }
    case .goToCancel:
      goTo = nil
    case .goToSubmit:
      let typed = goTo ?? ""
      goTo = nil
      if let n = Int(typed), (1...pairs).contains(n) {
        pair = n
      } else if !typed.isEmpty {
        message = "no pair \(typed): use 1 to \(pairs)"
      }
    default: break
    }
    refresh(inspector)
  }
}
