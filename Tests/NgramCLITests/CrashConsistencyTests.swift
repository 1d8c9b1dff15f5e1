import Foundation
import NgramEngine
import Testing

// One run, one commit: a real `train` killed with SIGKILL at many moments, and a crash or a
// failure injected at every step of the commit (the NGRAM_TUI_TEST_FAULT seam), each followed
// by checking that the folder holds wholly the previous set or wholly the new one — meta,
// vocabulary, weights, embeddings and train log together — and that the next run leaves no
// leftovers. Also: one writer per folder, and `outputs` that cannot be managed.

/// Runs the binary with extra environment variables; `killAfter` sends SIGKILL after that many
/// seconds if it is still running.
private func runBinary(
  _ args: [String], env: [String: String] = [:], killAfter: Double? = nil
) throws -> RunResult {
  let binary = try #require(Binary.url, "the ngram-tui executable was not found next to the tests")
  let r = Running()
  r.process.executableURL = binary
  r.process.arguments = args
  r.process.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
  r.process.standardInput = FileHandle.nullDevice
  try r.begin()
  if let killAfter {
    usleep(useconds_t(killAfter * 1_000_000))
    if r.process.isRunning { kill(r.process.processIdentifier, SIGKILL) }
  }
  return try r.wait(timeout: 120)
}

/// A corpus whose dense bigram table is large enough (V ≈ 400: 160,000 numbers, ~0.7 MB) that
/// writing takes some milliseconds, and trains quickly.
private func corpus(seed: UInt64) -> String {
  var x = seed
  var words: [String] = []
  for _ in 0..<2500 {
    x = x &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    words.append("w\((x >> 33) % 400)")
  }
  return stride(from: 0, to: words.count, by: 12).map { words[$0..<min($0 + 12, words.count)].joined(separator: " ") }
    .joined(separator: "\n") + "\n"
}

@Suite("Crash consistency: one run, one commit", .serialized)
struct CrashConsistencyTests {
  /// What a folder's newest set is, checked whole: it loads (the loader verifies every file
  /// against the meta's manifest of sizes and SHA-256), the train log has one line per epoch
  /// the meta records, and `DIR/artifacts` and `DIR/outputs` show the same set.
  struct SetState: Equatable {
    let epochs: Int
    let meta: Data
    let log: Data
  }

  func state(_ ws: Workspace, sourceLocation: SourceLocation = #_sourceLocation) throws -> SetState? {
    let fm = FileManager.default
    let (artifacts, outputs) = ArtifactStore.locate(directory: ws.path)
    guard fm.fileExists(atPath: artifacts + "/00_meta.json") else { return nil }
    let loaded = try ArtifactStore.load(directory: ws.path)
    let epochs = try #require(loaded.meta.training.epochs, sourceLocation: sourceLocation)
    let meta = try #require(fm.contents(atPath: artifacts + "/00_meta.json"))
    let log = try #require(fm.contents(atPath: outputs + "/train_log.csv"))
    // Ordinary tools read DIR/artifacts and DIR/outputs: the same set, when they are there.
    if let m = fm.contents(atPath: ws.path + "/artifacts/00_meta.json") {
      #expect(m == meta, "DIR/artifacts shows another set", sourceLocation: sourceLocation)
    }
    if let l = fm.contents(atPath: ws.path + "/outputs/train_log.csv") {
      #expect(l == log, "DIR/outputs shows another set", sourceLocation: sourceLocation)
    }
    let lines = String(decoding: log, as: UTF8.self).split(separator: "\r\n")
    #expect(
      lines.count == epochs + 1, "train log of \(lines.count - 1) epochs beside a meta of \(epochs)",
      sourceLocation: sourceLocation)
    #expect(loaded.meta.manifest?.isEmpty == false, sourceLocation: sourceLocation)
    return SetState(epochs: epochs, meta: meta, log: log)
  }

  /// No uncommitted set, temporary link or temporary folder is left.
  func expectNoLeftovers(
    _ ws: Workspace, keeping userFiles: [String] = [], sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let fm = FileManager.default
    let current = (try? fm.destinationOfSymbolicLink(atPath: ws.path + "/.ngram-tui/current")) ?? ""
    let sets = ((try? fm.contentsOfDirectory(atPath: ws.path + "/.ngram-tui/sets")) ?? []).filter {
      "sets/" + $0 != current
    }
    // Other sets may remain only to keep a file ngram-tui did not write.
    for set in sets {
      let files = ((try? fm.subpathsOfDirectory(atPath: ws.path + "/.ngram-tui/sets/" + set)) ?? []).filter {
        !["artifacts", "outputs"].contains($0)
      }
      #expect(
        !files.isEmpty && files.allSatisfy(userFiles.contains), "set \(set) left: \(files)",
        sourceLocation: sourceLocation)
    }
    let root = (try? fm.contentsOfDirectory(atPath: ws.path + "/.ngram-tui")) ?? []
    #expect(
      root.filter { $0.hasPrefix("tmp-") }.isEmpty, "temporary links left: \(root)", sourceLocation: sourceLocation)
    #expect(ws.tempLeftovers.isEmpty, sourceLocation: sourceLocation)
  }

  func train(_ ws: Workspace, epochs: Int, env: [String: String] = [:], killAfter: Double? = nil) throws -> RunResult {
    try runBinary(
      ["train", "--dir", ws.path, "--context", "1", "--epochs", "\(epochs)", "--quiet"], env: env, killAfter: killAfter)
  }

  @Test(
    "SIGKILL at many moments of a real train: the folder holds the old set or the new one, whole; the next run cleans up"
  )
  func killedAtManyMoments() throws {
    let ws = Workspace("kill", corpus: corpus(seed: 1))
    defer { ws.cleanup() }
    let t0 = Date()
    let first = try train(ws, epochs: 2)
    let duration = Date().timeIntervalSince(t0)
    #expect(first.status == 0, "\(first.stderr)")
    var previous = try #require(try state(ws))
    var outcomes: Set<String> = []
    // Delays spread over the whole run, start-up to commit.
    let steps = 10
    for i in 0..<steps {
      let epochs = 3 + i % 2
      let delay = duration * 1.2 * Double(i + 1) / Double(steps)
      let r = try train(ws, epochs: epochs, killAfter: delay)
      let now = try #require(try state(ws))
      if r.status == 0 {
        #expect(now.epochs == epochs)
        outcomes.insert("finished")
      } else {
        #expect(now == previous || now.epochs == epochs, "killed after \(delay) s: neither the old set nor the new one")
        outcomes.insert(now == previous ? "old" : "new")
      }
      previous = now
    }
    // At least some kills landed before the end (the test would prove nothing otherwise).
    #expect(outcomes.contains("old"), "\(outcomes)")
    let last = try train(ws, epochs: 2)
    #expect(last.status == 0, "\(last.stderr)")
    #expect(try state(ws)?.epochs == 2)
    expectNoLeftovers(ws)
  }

  static let commitSteps = [
    "recover", "set-created", "wrote-train_log.csv", "wrote-01_vocabulary.csv", "wrote-weights",
    "wrote-00_meta.json", "synced", "links", "switch", "switched", "cleaned",
  ]

  @Test("a crash or a failure injected at each step of the commit leaves the old set or the new one, whole")
  func faultAtEachStep() throws {
    let ws = Workspace("fault", corpus: corpus(seed: 2))
    defer { ws.cleanup() }
    #expect(try train(ws, epochs: 2).status == 0)
    for step in Self.commitSteps {
      let old = try #require(try state(ws))
      let committed = ["switched", "cleaned"].contains(step)

      let crashed = try train(ws, epochs: 3, env: ["NGRAM_TUI_TEST_FAULT": "crash:\(step)"])
      #expect(crashed.status == 86, "the crash at \(step) was not reached: \(crashed.stderr)")
      let afterCrash = try #require(try state(ws))
      #expect(committed ? afterCrash.epochs == 3 : afterCrash == old, "after a crash at \(step)")

      let failed = try train(ws, epochs: 4, env: ["NGRAM_TUI_TEST_FAULT": "fail:\(step)"])
      #expect(failed.status == 1, "\(step)")
      #expect(failed.stderr.split(separator: "\n").count == 1, "one line: \(failed.stderr)")
      #expect(failed.stderr.contains("injected failure at step \(step)"), "\(failed.stderr)")
      let afterFailure = try #require(try state(ws))
      #expect(committed ? afterFailure.epochs == 4 : afterFailure == afterCrash, "after a failure at \(step)")

      // The next run commits and removes what the crash and the failure left.
      #expect(try train(ws, epochs: 2).status == 0)
      #expect(try state(ws)?.epochs == 2)
      expectNoLeftovers(ws)
    }
  }

  static let migrationSteps = [
    "migrate-started", "migrate-moved-artifacts", "migrate-moved-outputs", "links", "switch",
  ]

  @Test(
    "moving the reference's real artifacts/ and outputs/ into a set survives a crash at each step",
    arguments: migrationSteps)
  func migrationCrash(_ step: String) throws {
    let ws = Workspace("migrate", corpus: corpus(seed: 3))
    defer { ws.cleanup() }
    // A folder as the reference (or an older ngram-tui) leaves it: real directories, no manifest.
    #expect(try train(ws, epochs: 2).status == 0)
    let fm = FileManager.default
    for sub in ["artifacts", "outputs"] {
      let real = ws.path + "/" + sub
      let set = try fm.destinationOfSymbolicLink(atPath: ws.path + "/.ngram-tui/current")
      try fm.removeItem(atPath: real)
      try fm.copyItem(atPath: ws.path + "/.ngram-tui/\(set)/\(sub)", toPath: real)
    }
    try fm.removeItem(atPath: ws.path + "/.ngram-tui")
    try Data("my notes\n".utf8).write(to: ws.url.appendingPathComponent("outputs/notes.txt"))
    let legacy = try #require(try state(ws))

    let crashed = try train(ws, epochs: 3, env: ["NGRAM_TUI_TEST_FAULT": "crash:\(step)"])
    #expect(crashed.status == 86, "the crash at \(step) was not reached: \(crashed.stderr)")
    #expect(try state(ws) == legacy, "after a crash at \(step) the moved set must still be what readers see")

    #expect(try train(ws, epochs: 3).status == 0)
    #expect(try state(ws)?.epochs == 3)
    expectNoLeftovers(ws, keeping: ["outputs/notes.txt"])
    // A file ngram-tui did not write is never deleted with the old set: it stays in .ngram-tui/sets.
    let sets = try fm.subpathsOfDirectory(atPath: ws.path + "/.ngram-tui/sets")
    #expect(sets.contains { $0.hasSuffix("outputs/notes.txt") })
  }

  @Test("a second writer on the same folder stops at once, naming the pid that holds it; the lock dies with its holder")
  func oneWriterPerFolder() throws {
    let ws = Workspace("lock", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try runBinary(["train", "--dir", ws.path, "--epochs", "2", "--quiet"]).status == 0)
    let before = ws.snapshot()
    var lock: ArtifactLock? = try ArtifactStore.lock(directory: ws.path)
    let r = try runBinary(["train", "--dir", ws.path, "--epochs", "3", "--quiet"])
    expectCleanFailure(r, contains: ["pid \(getpid())", "another ngram-tui"])
    #expect(ws.snapshot() == before)
    withExtendedLifetime(lock) {}
    lock = nil
    #expect(try runBinary(["train", "--dir", ws.path, "--epochs", "3", "--quiet"]).status == 0)
    #expect(try state(ws)?.epochs == 3)
  }

  @Test("outputs as a regular file or as someone else's link is one line naming outputs, and nothing changes")
  func unmanageableOutputs() throws {
    let ws = Workspace("outputs", corpus: catDog)
    defer { ws.cleanup() }
    let fm = FileManager.default
    #expect(fm.createFile(atPath: ws.path + "/outputs", contents: Data("x".utf8)))
    expectCleanFailure(try runBinary(["train", "--dir", ws.path, "--epochs", "2"]), contains: ["outputs"])
    #expect(!ws.exists("artifacts"))
    try fm.removeItem(atPath: ws.path + "/outputs")
    try fm.createDirectory(atPath: ws.path + "/elsewhere", withIntermediateDirectories: true)
    try fm.createSymbolicLink(atPath: ws.path + "/outputs", withDestinationPath: ws.path + "/elsewhere")
    let r = try runBinary(["train", "--dir", ws.path, "--epochs", "2"])
    expectCleanFailure(r, contains: ["outputs", "symbolic link"])
    #expect(!ws.exists("artifacts"))
    #expect(try fm.contentsOfDirectory(atPath: ws.path + "/elsewhere").isEmpty)
  }

  @Test("a file changed after the commit is refused by the manifest, naming it")
  func manifestMismatch() throws {
    let ws = Workspace("manifest", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try runBinary(["train", "--dir", ws.path, "--epochs", "2", "--quiet"]).status == 0)
    let log = ws.url.appendingPathComponent("outputs/train_log.csv")
    var bytes = try Data(contentsOf: log)
    bytes[bytes.count - 3] = UInt8(ascii: "9")
    try bytes.write(to: log)
    let r = try runBinary(["predict", "--dir", ws.path, "the", "cat"])
    expectCleanFailure(r, contains: ["train_log.csv", "does not belong"])
  }
}
