/// One finished epoch, as charted.
struct EpochPoint: Equatable, Sendable {
  /// Mean loss.
  var loss: Double
  /// Accuracy in [0, 1].
  var accuracy: Double
}

/// Where the background run is.
enum TrainPhase: Equatable, Sendable {
  /// Epochs are running.
  case training
  /// Training finished; artifacts are being written.
  case writing
  /// Artifacts were written (the message says where and how).
  case saved(String)
  /// Training or writing failed.
  case failed(String)
  /// The run was cancelled.
  case cancelled

  /// Whether training itself has finished (the model exists).
  var trainingFinished: Bool {
    switch self {
    case .training, .cancelled: return false
    case .writing, .saved: return true
    case .failed: return false
    }
  }
}

/// The latest report from the training thread.
struct TrainStatus: Equatable, Sendable {
  /// Epochs completed.
  var epochsDone = 0
  /// Pairs processed within the running epoch.
  var pairsDone = 0
  /// Mean loss over the running epoch's pairs so far.
  var runningLoss = Double.nan
  /// Accuracy over the running epoch's pairs so far.
  var runningAccuracy = 0.0
  /// The finished epochs.
  var history: [EpochPoint] = []
  /// Held-out loss after each finished epoch (empty without `--holdout`).
  var heldOut: [Double] = []
  /// Share of held-out pairs whose context never occurred in training.
  var unseenContexts = 0.0
  /// Seconds of training so far (pauses excluded).
  var elapsed = 0.0
  /// Whether the trainer is waiting at an epoch boundary.
  var trainerPaused = false
  /// The run's phase.
  var phase: TrainPhase = .training
}

/// The Train screen's state: the latest status plus the display pacing.
///
/// Small corpora train in milliseconds; the screen then *replays* the finished epochs at a pace of
/// `pace` seconds for the whole run so the charts can be watched. Pacing never slows training: the
/// display shows `min(epochs trained, epochs revealed)`, and the reveal budget only grows with time.
struct TrainDisplay: Equatable, Sendable {
  /// The latest status from the trainer.
  var status = TrainStatus()
  /// Seconds over which the whole run is revealed; 0 shows epochs as soon as they finish.
  var pace: Double
  /// Epochs the display may show so far.
  var revealed = 0.0
  /// Whether the replay was skipped (`s`).
  var skipped = false
  /// Whether the user paused (Space).
  var paused = false
  /// Epochs requested.
  let totalEpochs: Int

  /// Creates the display for a run of `totalEpochs` epochs, paced over `pace` seconds.
  init(totalEpochs: Int, pace: Double) {
    self.totalEpochs = totalEpochs
    self.pace = pace
  }

  /// Epochs on screen.
  var shown: Int {
    if pace <= 0 || skipped { return status.epochsDone }
    return min(status.epochsDone, Int(revealed.rounded(.down)))
  }

  /// Whether finished epochs are still being revealed.
  var replaying: Bool { shown < status.epochsDone }

  /// Whether everything is on screen and training is over.
  var complete: Bool { !replaying && status.phase != .training }

  /// The epochs on screen.
  var visibleHistory: ArraySlice<EpochPoint> { status.history.prefix(shown) }

  /// Advances the reveal clock by `dt` seconds; returns whether the screen changed.
  mutating func advance(by dt: Double) -> Bool {
    guard !paused, !skipped, pace > 0, totalEpochs > 0 else { return false }
    let before = shown
    revealed = min(revealed + dt * Double(totalEpochs) / pace, Double(totalEpochs))
    return shown != before
  }

  /// Seconds until the display catches up, or nil when not replaying.
  var replayRemaining: Double? {
    guard replaying, pace > 0, totalEpochs > 0 else { return nil }
    return Double(status.epochsDone) - revealed > 0
      ? (Double(status.epochsDone) - revealed) * pace / Double(totalEpochs) : 0
  }

  /// Fraction of the run on screen, counting the running epoch's pairs when live.
  func progressFraction(pairsPerEpoch: Int) -> Double {
    guard totalEpochs > 0 else { return 1 }
    var done = Double(shown)
    if !replaying, status.phase == .training, pairsPerEpoch > 0, shown < totalEpochs {
      done += Double(status.pairsDone) / Double(pairsPerEpoch)
    }
    return min(done / Double(totalEpochs), 1)
  }
}

extension TrainDisplay {
  /// The Train screen's reducer: applies a key-map action; returns what the trainer must do.
  mutating func reduce(_ action: Action) -> [Command] {
    switch action {
    case .togglePause:
      // Nothing left to pause once every epoch is on screen and training is over.
      if complete && !paused { return [] }
      paused.toggle()
      return [paused ? .pauseTraining : .resumeTraining]
    case .stepEpoch:
      guard paused else { return [] }
      if replaying {
        revealed = Double(shown + 1)
        return []
      }
      revealed = max(revealed, Double(status.epochsDone + 1))
      return status.phase == .training ? [.stepEpoch] : []
    case .skipReplay:
      skipped = true
      return []
    default:
      return []
    }
  }
}
