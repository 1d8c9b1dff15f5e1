import Glibc

/// The on-disk layout of a run folder `DIR`, which makes one run one commit:
///
///     DIR/artifacts      -> .ngram-tui/current/artifacts   (symbolic links, made once)
///     DIR/outputs        -> .ngram-tui/current/outputs
///     DIR/.ngram-tui/current -> sets/<run id>              (switched with one rename())
///     DIR/.ngram-tui/sets/<run id>/{artifacts,outputs}/…   (each set written complete, fsynced)
///     DIR/.ngram-tui/lock                                  (flock, holder's pid inside)
///
/// A writer builds a whole new set beside the current one and then replaces the `current` link
/// with `rename()`, so `artifacts/` and `outputs/` change together in one atomic step; readers
/// resolve `current` once and read both folders from that one set. A folder written by the
/// Python reference (real `artifacts/` and `outputs/` directories) is read as it is, and moved
/// into a set on the first run here (crash-safe: a marker file names an unfinished move).
struct SetDirectory {
  let directory: String

  static let rootName = ".ngram-tui"
  static let migratingMarker = ".migrating"
  /// The targets of `DIR/artifacts` and `DIR/outputs`.
  static let artifactsTarget = ".ngram-tui/current/artifacts"
  static let outputsTarget = ".ngram-tui/current/outputs"
  /// Every file name a set may hold; removing a set removes only these (anything else a user
  /// put there is kept).
  static let knownFiles: [String] = [
    "artifacts/" + ArtifactMeta.fileName, "artifacts/" + VocabularyCSV.fileName,
    "artifacts/" + DenseWeightsCSV.fileName, "artifacts/" + CompactWeightsTSV.fileName,
    "artifacts/" + EmbeddingsCSV.fileName, "outputs/" + TrainLogCSV.fileName, "outputs/" + EvalLogCSV.fileName,
    migratingMarker,
  ]

  var root: String { Paths.join(directory, Self.rootName) }
  var sets: String { Paths.join(root, "sets") }
  var current: String { Paths.join(root, "current") }
  var lockPath: String { Paths.join(root, "lock") }
  var artifactsLink: String { Paths.join(directory, "artifacts") }
  var outputsLink: String { Paths.join(directory, "outputs") }

  // MARK: What is on disk

  /// What a path is, without following a final symbolic link.
  enum Node: Equatable {
    case missing
    case directory
    case symlink(String)
    case other(String)
  }

  static func node(_ path: String) -> Node {
    var st = stat()
    guard lstat(path, &st) == 0 else { return .missing }
    switch st.st_mode & S_IFMT {
    case S_IFDIR: return .directory
    case S_IFLNK: return .symlink(readLink(path) ?? "")
    case S_IFREG: return .other("a regular file")
    default: return .other("not a directory")
    }
  }

  static func readLink(_ path: String) -> String? {
    var buf = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let n = readlink(path, &buf, buf.count - 1)
    guard n >= 0 else { return nil }
    return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The folder of the current set (`DIR/.ngram-tui/sets/<id>`), if one was committed.
  var currentSet: String? {
    guard let target = Self.readLink(current), !target.isEmpty else { return nil }
    return target.hasPrefix("/") ? target : Paths.join(root, target)
  }

  /// Set folders by name.
  func setNames() -> [String] { Self.list(sets) }

  static func list(_ dir: String) -> [String] {
    guard let d = opendir(dir) else { return [] }
    defer { closedir(d) }
    var names: [String] = []
    while let e = readdir(d) {
      let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
  }

  /// A set whose move from real `artifacts/`/`outputs/` directories did not finish.
  var unfinishedMigration: String? {
    let cur = currentSet.map(Paths.lastComponent)
    for name in setNames() where name != cur {
      let dir = Paths.join(sets, name)
      if LineReading.exists(Paths.join(dir, Self.migratingMarker)) { return dir }
    }
    return nil
  }

  // MARK: Reading

  /// Where a reader finds the artifacts and outputs of the newest complete set.
  struct Resolved: Equatable {
    var artifacts: String
    var outputs: String
  }

  func resolve() -> Resolved {
    let legacy = Resolved(artifacts: artifactsLink, outputs: outputsLink)
    switch Self.node(artifactsLink) {
    case .directory: return legacy  // the reference's layout (or a folder not yet moved)
    case .symlink(let t) where t != Self.artifactsTarget: return legacy  // someone else's link: follow it
    default: break
    }
    if let m = unfinishedMigration {
      let a = Paths.join(m, "artifacts")
      let o = Paths.join(m, "outputs")
      return Resolved(
        artifacts: LineReading.exists(a) ? a : artifactsLink,
        outputs: Self.node(outputsLink) == .directory ? outputsLink : o)
    }
    if let set = currentSet {
      return Resolved(artifacts: Paths.join(set, "artifacts"), outputs: Paths.join(set, "outputs"))
    }
    return legacy
  }

  // MARK: Writing

  /// Refuses a folder whose `artifacts` or `outputs` this layout cannot manage, naming it.
  func checkLinks() throws {
    for (name, path, target) in [
      ("artifacts", artifactsLink, Self.artifactsTarget), ("outputs", outputsLink, Self.outputsTarget),
    ] {
      switch Self.node(path) {
      case .missing, .directory: break
      case .symlink(let t) where t == target: break
      case .symlink(let t):
        throw NgramError.io(
          "\(path): it is a symbolic link to \(t); ngram-tui keeps \(name) as its own link into \(Self.rootName) so that a run is committed in one step; move \(name) away and run again"
        )
      case .other(let what):
        throw NgramError.io("\(path): it exists and is not a directory (\(what)); move \(name) away and run again")
      }
    }
    if Self.node(outputsLink) == .directory, Self.node(artifactsLink) != .directory, currentSet != nil,
      unfinishedMigration == nil
    {
      throw NgramError.io(
        "\(outputsLink) is a directory but artifacts are kept by ngram-tui in \(Self.rootName): move outputs away and run again"
      )
    }
  }

  /// Finishes what a killed run left: completes an unfinished move of real folders (or starts
  /// one), and removes uncommitted sets and temporary links. Call with the lock held.
  func recover() throws {
    try Fault.point("recover")
    try makeDirectory(root)
    try makeDirectory(sets)
    // Temporary links of a killed run.
    for name in Self.list(root) where name.hasPrefix("tmp-") { unlink(Paths.join(root, name)) }
    // Temporary folders of ngram-tui versions that renamed file by file.
    for name in Self.list(directory) where name.hasPrefix(".ngram-tui-tmp-") {
      removeTree(Paths.join(directory, name))
    }
    if let m = unfinishedMigration {
      try migrate(into: m)
    } else if Self.node(artifactsLink) == .directory
      || (Self.node(outputsLink) == .directory && currentSet == nil)
    {
      let m = Paths.join(sets, "migrated-" + Self.newID())
      try makeDirectory(m)
      let marker = try ByteWriter(path: Paths.join(m, Self.migratingMarker))
      try marker.close()
      try syncDirectory(m)
      try syncDirectory(sets)
      try Fault.point("migrate-started")
      try migrate(into: m)
    }
    removeUncommitted()
  }

  /// Moves real `artifacts/` and `outputs/` into set `m` and makes it current. Every step can be
  /// repeated after a crash.
  private func migrate(into m: String) throws {
    for (name, link) in [("artifacts", artifactsLink), ("outputs", outputsLink)] {
      let dest = Paths.join(m, name)
      if Self.node(link) == .directory && !LineReading.exists(dest) {
        try move(link, dest)
        try syncDirectory(directory)
        try syncDirectory(m)
        try Fault.point("migrate-moved-\(name)")
      }
      try makeDirectory(dest)
    }
    try makeLinks()
    try switchCurrent(to: m)
    unlink(Paths.join(m, Self.migratingMarker))
    try syncDirectory(m)
  }

  /// Creates `DIR/artifacts` and `DIR/outputs` as links into `current` if they are not already.
  func makeLinks() throws {
    for (path, target) in [(artifactsLink, Self.artifactsTarget), (outputsLink, Self.outputsTarget)] {
      if Self.node(path) == .symlink(target) { continue }
      let tmp = Paths.join(root, "tmp-link-" + Self.newID())
      guard symlink(target, tmp) == 0 else { throw Self.failure("cannot create a link in", root) }
      try move(tmp, path)
    }
    try syncDirectory(directory)
    try Fault.point("links")
  }

  /// Points `current` at `set` in one atomic step (a new link renamed over the old one).
  func switchCurrent(to set: String) throws {
    let target = "sets/" + Paths.lastComponent(set)
    if Self.readLink(current) == target { return }
    let tmp = Paths.join(root, "tmp-current-" + Self.newID())
    guard symlink(target, tmp) == 0 else { throw Self.failure("cannot create a link in", root) }
    try Fault.point("switch")
    try move(tmp, current)
    try syncDirectory(root)
    try Fault.point("switched")
  }

  /// Removes every set but the current one and an unfinished move (best effort: a file that
  /// cannot be removed, or one ngram-tui did not write, keeps its set).
  func removeUncommitted() {
    let keep = [currentSet, unfinishedMigration].compactMap { $0.map(Paths.lastComponent) }
    for name in setNames() where !keep.contains(name) { removeSet(Paths.join(sets, name)) }
  }

  func removeSet(_ set: String) {
    for f in Self.knownFiles { unlink(Paths.join(set, f)) }
    rmdir(Paths.join(set, "artifacts"))
    rmdir(Paths.join(set, "outputs"))
    rmdir(set)
  }

  /// A fresh set folder with empty `artifacts/` and `outputs/`.
  func newSet() throws -> String {
    let set = Paths.join(sets, Self.newID())
    try makeDirectory(set)
    try makeDirectory(Paths.join(set, "artifacts"))
    try makeDirectory(Paths.join(set, "outputs"))
    return set
  }

  static func newID() -> String {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return "\(ts.tv_sec)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
  }

  // MARK: System calls with one-line errors

  static func failure(_ what: String, _ path: String, _ code: Int32 = errno) -> NgramError {
    NgramError.io("\(what) \(path): \(NgramError.reason(errno: code))")
  }

  func makeDirectory(_ path: String) throws {
    if mkdir(path, 0o755) != 0 && errno != EEXIST { throw Self.failure("cannot create", path) }
  }

  func move(_ from: String, _ to: String) throws {
    if rename(from, to) != 0 {
      let code = errno
      throw NgramError.io("cannot move \(from) to \(to): \(NgramError.reason(errno: code))")
    }
  }

  /// Flushes a directory's entries to the disk.
  func syncDirectory(_ path: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw Self.failure("cannot open", path) }
    defer { close(fd) }
    if fsync(fd) != 0 && errno != EINVAL { throw Self.failure("cannot flush", path) }
  }

  /// Removes a folder tree of ngram-tui's own temporary files.
  func removeTree(_ path: String) {
    if Self.node(path) == .directory {
      for name in Self.list(path) { removeTree(Paths.join(path, name)) }
      rmdir(path)
    } else {
      unlink(path)
    }
  }

  // MARK: One writer per folder

  /// Takes `DIR/.ngram-tui/lock` (an exclusive `flock`, released by the kernel when the process
  /// ends, so a killed run never blocks the next one) and writes this process's pid in it.
  /// Another holder makes it throw at once, naming that holder's pid.
  func lock() throws -> ArtifactLock {
    try makeDirectory(root)
    let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw Self.failure("cannot open", lockPath) }
    if flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      var buf = [UInt8](repeating: 0, count: 32)
      let n = pread(fd, &buf, buf.count, 0)
      close(fd)
      guard code == EWOULDBLOCK else { throw Self.failure("cannot lock", lockPath, code) }
      let pid = n > 0 ? String(decoding: buf[0..<n], as: UTF8.self).filter(\.isNumber) : ""
      throw NgramError.io(
        "\(directory) is being written by another ngram-tui (\(pid.isEmpty ? "a process" : "pid \(pid)") holds \(lockPath)); wait for it to finish or stop it, then run again"
      )
    }
    let text = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pwrite(fd, text, text.count, 0)
    return ArtifactLock(fd: fd, directory: directory)
  }
}

/// The exclusive right to write one folder's artifacts (see `ArtifactStore.lock(directory:)`);
/// released when the value is released.
public final class ArtifactLock: Sendable {
  let fd: Int32
  /// The folder it locks.
  public let directory: String

  init(fd: Int32, directory: String) {
    self.fd = fd
    self.directory = directory
  }

  deinit { close(fd) }
}

/// A test seam: `NGRAM_TUI_TEST_FAULT=crash:<step>` ends the process at that step of a commit
/// without any cleanup (as `kill -9` would), `fail:<step>` makes the step fail with an error.
enum Fault {
  /// The steps, in the order a run reaches them.
  static let steps = [
    "recover", "migrate-started", "migrate-moved-artifacts", "migrate-moved-outputs", "set-created",
    "wrote-" + TrainLogCSV.fileName, "wrote-" + VocabularyCSV.fileName, "wrote-weights",
    "wrote-" + ArtifactMeta.fileName,
    "synced", "links", "switch", "switched", "cleaned",
  ]

  static func point(_ step: String) throws {
    guard let raw = getenv("NGRAM_TUI_TEST_FAULT") else { return }
    let spec = String(cString: raw)
    if spec == "crash:" + step { _exit(86) }
    if spec == "fail:" + step { throw NgramError.io("injected failure at step \(step)") }
  }
}
