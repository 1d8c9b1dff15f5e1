import NgramEngine

/// The explorer's entry point (placeholder until the explorer lands).
public enum Explorer {
  /// Runs the explorer; returns the process exit status.
  public static func run() -> Int32 { 0 }
}
