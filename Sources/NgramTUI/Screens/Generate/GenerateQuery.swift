import NgramEngine

// The Generate screen's work on the shared state: where a generation starts.
extension AppState {
  /// Starts a new generation when the Explore context changed since the last one.
  mutating func prepareGenerate() {
    guard languageModel != nil else { return }
    if let ctx = lastContext {
      if generate.version != contextVersion {
        generate.reset(start: ctx, origin: "the last Explore context", version: contextVersion, model: languageModel)
      }
    } else if generate.version != -1 {
      generate.reset(start: defaultStart, origin: profile.startOrigin, version: -1, model: languageModel)
    }
  }
}
