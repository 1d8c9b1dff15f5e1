import Foundation
import Testing

/// The explorer in a real terminal: scripts/e2e-tmux.sh drives the built binary in tmux
/// (send-keys, capture-pane) and compares the screen with the CLI's JSON.
@Suite("explorer in a real terminal (tmux)")
struct TerminalTests {
  @Test("train to epoch 50/50, Explore's bars equal predict --json, Generate equals infer --json, resize, quit cleanly")
  func endToEndInTmux() throws {
    let binary = try #require(Binary.url, "the ngram-tui executable was not found next to the tests")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let script = root.appendingPathComponent("scripts/e2e-tmux.sh")
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [script.path, binary.path]
    p.currentDirectoryURL = root
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    p.standardInput = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let text = String(decoding: data, as: UTF8.self)
    #expect(p.terminationStatus == 0, "e2e-tmux.sh failed:\n\(text)")
  }
}
