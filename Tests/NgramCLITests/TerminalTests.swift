import Foundation
import Testing

/// The explorer in a real terminal: scripts/e2e-tmux.sh drives the built binary in tmux
/// (send-keys, capture-pane) and compares the screen with the CLI's JSON.
@Suite("explorer in a real terminal (tmux)")
struct TerminalTests {
  @Test("train to epoch 50/50, Explore's bars equal predict --json, Generate equals infer --json, resize, quit cleanly")
  func endToEndInTmux() throws {
    let outcome = try TmuxScript.run("e2e-tmux.sh", socket: "ngram-e2e")
    #expect(outcome.succeeded, "e2e-tmux.sh failed:\n\(outcome.text)")
    #expect(outcome.text.contains("e2e-tmux: PASS"), "\(outcome.text)")
  }
}
