import Foundation
import Testing

/// The explorer on an ARPA model in a real terminal: scripts/e2e-tmux-arpa.sh drives
/// `ngram-tui --arpa FILE` in tmux and checks Explore's first bar against KenLM's recorded scores.
@Suite("ARPA explorer in a real terminal (tmux)")
struct ARPATerminalTests {
  @Test("--arpa: Train shows the n-gram counts, Explore's top word is KenLM's, Tab skips training screens, q quits")
  func arpaExplorerInTmux() throws {
    let outcome = try TmuxScript.run("e2e-tmux-arpa.sh", socket: "ngram-e2e-arpa")
    #expect(outcome.succeeded, "e2e-tmux-arpa.sh failed:\n\(outcome.text)")
    #expect(outcome.text.contains("e2e-tmux-arpa: PASS"), "\(outcome.text)")
  }
}
