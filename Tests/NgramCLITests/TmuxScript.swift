import Foundation
import Testing

/// Runs one of the `scripts/e2e-tmux*.sh` scripts on the built binary, the way the terminal
/// suites need it: output to a file, not a pipe (tmux's server is a daemon and could hold a pipe
/// open), the script spawned and reaped directly with no blocked signals, killed after 240 s.
enum TmuxScript {
  /// What the script did: whether it exited with status 0, and everything it printed.
  struct Outcome {
    let succeeded: Bool
    let text: String
  }

  /// Runs `scripts/<script>` with the binary's path; `socket` is the tmux socket name the script
  /// uses before `-<its pid>`, whose server is killed afterwards in case the script left it.
  static func run(_ script: String, socket: String) throws -> Outcome {
    let binary = try #require(Binary.url, "the ngram-tui executable was not found next to the tests")
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let scriptPath = root.appendingPathComponent("scripts/\(script)").path
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(getpid()).log").path
    defer { unlink(log) }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // A test runner's thread may block signals; the explorer must see SIGWINCH and SIGINT.
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let argv = ["/bin/bash", scriptPath, binary.path]
    var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
    defer { cargs.forEach { free($0) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/bin/bash", &actions, &attributes, &cargs, environ)
    try #require(rc == 0, "cannot start bash: \(rc)")
    var status: Int32 = 0
    let deadline = Date().addingTimeInterval(240)
    while waitpid(pid, &status, WNOHANG) == 0 {
      if Date() > deadline {
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        break
      }
      usleep(50_000)
    }
    // Belt and braces: the script's tmux server is named after its pid.
    let cleanup = Process()
    cleanup.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    cleanup.arguments = ["tmux", "-L", "\(socket)-\(pid)", "kill-server"]
    cleanup.standardError = FileHandle.nullDevice
    try? cleanup.run()
    cleanup.waitUntilExit()
    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
    let exited = status & 0x7f == 0
    let code = (status >> 8) & 0xff
    return Outcome(succeeded: exited && code == 0, text: text)
  }
}
