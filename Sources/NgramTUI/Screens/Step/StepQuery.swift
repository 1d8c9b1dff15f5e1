import NgramEngine

// The Step screen's work on the shared state: the inspector that replays training.
extension AppState {
  /// Makes the inspector for this run (once) and computes the step shown.
  mutating func prepareStep() {
    if stepInspector == nil {
      let config = TrainingConfig(
        contextLength: info.contextLength, learningRate: info.learningRate, epochs: info.epochs,
        holdout: info.holdout)
      do {
        stepInspector = try StepInspector(corpus: corpus, config: config)
      } catch {
        step.current = nil
        step.problem = CommandLineWords.message(for: error)
        return
      }
    }
    if step.current == nil { step.refresh(stepInspector) }
  }
}
