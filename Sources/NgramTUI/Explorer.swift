import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine
import Synchronization

/// The explorer: trains on a corpus in the background and shows it live in the terminal.
public enum Explorer {
  /// What the explorer trains on and how it shows it.
  public struct Options: Sendable {
    /// Base directory holding `corpus/`; artifacts are written under it.
    public var directory: String
    /// A corpus file to use instead of the one in `directory/corpus`.
    public var corpus: String?
    /// The training settings.
    public var config: TrainingConfig
    /// How many predictions Explore and Generate list at first.
    public var topK: Int
    /// Use ASCII glyphs even in a UTF-8 locale.
    public var ascii: Bool
    /// Seconds over which the Train screen reveals the epochs (0: as they finish).
    public var pace: Double
    /// The weights format written after training.
    public var weights: WeightsFormat
    /// The seed of sampling mode on the Generate screen.
    public var seed: UInt64
    /// An ARPA file to explore instead of training on a corpus (nil: train).
    public var arpa: String?
    /// ARPA models (loaded by the caller, so a bad file is reported before the terminal is
    /// taken over) added to Compare's models view beside the SGD and count-based models.
    public var compareARPA: [ARPAModel]

    /// Creates options; the defaults are the CLI's.
    public init(
      directory: String = ".", corpus: String? = nil, config: TrainingConfig = TrainingConfig(), topK: Int = 5,
      ascii: Bool = false, pace: Double = 2.0, weights: WeightsFormat = .auto, seed: UInt64 = 0, arpa: String? = nil,
      compareARPA: [ARPAModel] = []
    ) {
      self.arpa = arpa
      self.compareARPA = compareARPA
      self.directory = directory
      self.corpus = corpus
      self.config = config
      self.topK = topK
      self.ascii = ascii
      self.pace = pace
      self.weights = weights
      self.seed = seed
    }
  }

  /// Runs the explorer with the default options; returns the process exit status.
  public static func run() -> Int32 { run(options: Options()) }

  /// Runs the explorer until the user quits; returns the process exit status.
  ///
  /// Problems found before the terminal is taken over (no corpus, bad UTF-8, too few tokens)
  /// are printed to stderr as one line and give status 1.
  public static func run(options: Options) -> Int32 {
    if let path = options.arpa { return runARPA(path: path, options: options) }
    let job = TrainingJob(
      directory: options.directory, corpusOverride: options.corpus, config: options.config, format: options.weights)
    let prepared: TrainingJob.Prepared
    do {
      prepared = try job.prepare()
    } catch {
      writeStandardError("ngram-tui: error: \(CommandLineWords.message(for: error))\n")
      return 1
    }
    let corpus = prepared.corpus
    let trainer = prepared.trainer
    let info = SessionInfo(
      corpusName: Paths.lastComponent(corpus.path), directory: options.directory,
      tokens: corpus.tokenCount, vocabSize: corpus.vocabulary.count, pairs: trainer.pairCount,
      contexts: trainer.rowCount, contextLength: options.config.contextLength,
      learningRate: options.config.learningRate, epochs: options.config.epochs, holdout: options.config.holdout,
      lossFloor: trainer.countOptimumLoss)

    // Signals end the loop (and the terminal is restored) instead of killing the process mid-frame.
    let signalled = Atomic<Int32>(0)
    let sources = watchSignals { signalled.store($0, ordering: .relaxed) }
    defer { sources.forEach { $0.cancel() } }

    guard let terminal = openTerminal(options: options, fallback: "ngram-tui repl") else { return 1 }
    defer { terminal.stop() }

    var state = AppState(
      info: info, corpus: corpus,
      glyphs: terminal.supportsUnicode ? .unicodeSet : .asciiSet, topK: options.topK, pace: options.pace)
    state.generate.seed = options.seed
    state.generate.rng = SeededGenerator(seed: options.seed)
    state.compare.addARPAModels(options.compareARPA)

    let control = TrainingControl()
    let monitor = TrainingMonitor()
    monitor.start(job, prepared, control: control)

    var loop = RunLoop(state: state, terminal: terminal, monitor: monitor, control: control)
    let status = loop.run(signalled: signalled)
    // Stop training (or writing) and give the thread a moment to clean up its temporary files;
    // stop Compare's trainings too.
    control.cancel()
    loop.jobs.cancel()
    monitor.waitUntilFinished(seconds: 3)
    terminal.stop()
    return status
  }
}

extension Explorer {
  /// The explorer on an ARPA model: loaded before the terminal is taken over (a bad file is one
  /// line on stderr, status 1), no training.
  static func runARPA(path: String, options: Options) -> Int32 {
    let model: ARPAModel
    do {
      model = try ARPAModel.load(path: path)
    } catch {
      writeStandardError("ngram-tui: error: \(CommandLineWords.message(for: error))\n")
      return 1
    }
    let signalled = Atomic<Int32>(0)
    let sources = watchSignals { signalled.store($0, ordering: .relaxed) }
    defer { sources.forEach { $0.cancel() } }
    guard let terminal = openTerminal(options: options, fallback: "ngram-tui repl --arpa FILE") else { return 1 }
    defer { terminal.stop() }
    var state: AppState
    do {
      state = try AppState(
        arpa: model, glyphs: terminal.supportsUnicode ? .unicodeSet : .asciiSet, topK: options.topK)
    } catch {
      terminal.stop()
      writeStandardError("ngram-tui: error: \(CommandLineWords.message(for: error))\n")
      return 1
    }
    state.generate.seed = options.seed
    state.generate.rng = SeededGenerator(seed: options.seed)
    var loop = RunLoop(state: state, terminal: terminal, monitor: TrainingMonitor(), control: TrainingControl())
    let status = loop.run(signalled: signalled)
    terminal.stop()
    return status
  }
}

extension Explorer {
  /// Ignores SIGINT, SIGTERM, SIGHUP and SIGQUIT and reports each to `onSignal` on a private
  /// queue instead; the caller cancels the returned sources when its loop ends.
  static func watchSignals(_ onSignal: @escaping @Sendable (Int32) -> Void) -> [DispatchSourceSignal] {
    let sigQueue = DispatchQueue(label: "ngram-tui.signals")
    var sources: [DispatchSourceSignal] = []
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT] {
      signal(sig, SIG_IGN)
      let src = DispatchSource.makeSignalSource(signal: sig, queue: sigQueue)
      src.setEventHandler { onSignal(sig) }
      src.resume()
      sources.append(src)
    }
    return sources
  }

  /// Takes over the terminal (colour unless NO_COLOR is set), or writes one error line naming
  /// the missing ncurses library or TERM, and the `fallback` command to use instead, and returns
  /// nil.
  static func openTerminal(options: Options, fallback: String) -> NcursesTerminal? {
    if let failure = NcursesTerminal.loadLibrary() {
      writeStandardError("ngram-tui: error: \(TerminalText.escape(failure)) (or use `\(fallback)`)\n")
      return nil
    }
    let noColor = !(environmentValue("NO_COLOR") ?? "").isEmpty
    if let terminal = NcursesTerminal(forceASCII: options.ascii, allowColor: !noColor) { return terminal }
    let term = TerminalText.escape(environmentValue("TERM") ?? "(unset)")
    writeStandardError(
      "ngram-tui: error: cannot drive terminal type '\(term)' (set TERM, e.g. TERM=xterm-256color, or use `\(fallback)`)\n"
    )
    return nil
  }
}

/// The UI loop: poll a key (30 ms while training, replaying or working in the background, else
/// 100 ms), apply it and every key already waiting, take the latest training status and any finished background job, redraw
/// if anything changed.
struct RunLoop {
  /// Milliseconds to wait for a key while something is in motion.
  static let busyWait: Int32 = 30
  /// Milliseconds to wait for a key when idle (also the longest delay before a signal is seen).
  static let idleWait: Int32 = 100
  /// Most keys handled between two frames (a paste is absorbed in batches of this many).
  static let keysPerFrame = 4096

  var state: AppState
  let terminal: TerminalDriver
  let monitor: TrainingMonitor
  let control: TrainingControl
  /// Runs the state's slow jobs (Compare's training, long replays) off the UI thread.
  let jobs = JobRunner()

  /// Runs until quit; returns the exit status (128 + signal when a signal ended it).
  mutating func run(signalled: borrowing Atomic<Int32>) -> Int32 {
    var lastVersion = -1
    var haveModel = false
    var last = DispatchTime.now().uptimeNanoseconds
    let started = last
    var lastSize = (width: -1, height: -1)
    var dirty = true
    while true {
      let sig = signalled.load(ordering: .relaxed)
      if sig != 0 { return 128 + sig }
      let current = terminal.size
      state.tooSmall = current.width < Render.minWidth || current.height < Render.minHeight
      // Nothing in motion (training over, replay shown, no background job): wake less often.
      let idle = state.train.complete && jobs.pending == 0
      // Take every key already waiting (a paste arrives as thousands) before drawing once, so
      // a paste costs one frame, not one per character, and a Ctrl-C behind it quits at once.
      var taken = 0
      while taken < Self.keysPerFrame,
        let key = terminal.readKey(
          timeoutMilliseconds: taken > 0 || dirty ? 0 : idle ? Self.idleWait : Self.busyWait)
      {
        taken += 1
        let commands = state.handle(key)
        dirty = true
        for c in commands {
          switch c {
          case .quit: return 0
          case .pauseTraining: control.pause()
          case .resumeTraining: control.resume()
          case .stepEpoch: control.stepOneEpoch()
          case .save(let request):
            let size = terminal.size
            let text = request.contents ?? Render.frame(state, width: size.width, height: size.height).plainText
            state.notice = Saving.save(text, request, directory: state.info.directory)
          }
        }
        if !commands.isEmpty || signalled.load(ordering: .relaxed) != 0 { break }
      }
      let now = DispatchTime.now().uptimeNanoseconds
      if state.train.advance(by: Double(now - last) / 1e9) { dirty = true }
      last = now
      // Compare shows how long its models have been training: redraw as the seconds tick.
      let clock = Double(now - started) / 1e9
      if !state.compare.training.isEmpty && Int(clock) != Int(state.compare.now) { dirty = true }
      state.compare.now = clock
      if monitor.version != lastVersion {
        let snap = monitor.snapshot()
        lastVersion = snap.version
        state.update(status: snap.status)
        if !haveModel, let m = snap.model {
          haveModel = true
          state.setModel(m, run: snap.run)
        }
        dirty = true
      }
      for job in state.takeJobs() { jobs.submit(job) }
      let finished = jobs.take()
      if !finished.isEmpty {
        for r in finished { state.receive(r) }
        dirty = true
      }
      let size = terminal.size
      if size != lastSize {
        lastSize = size
        // Help scrolls by the rows this size holds (a resize arrives as a key, after the top).
        state.helpRows = size.height - 3
        state.helpScroll = min(state.helpScroll, state.helpMaxScroll)
        dirty = true
      }
      if dirty {
        terminal.present(Render.frame(state, width: size.width, height: size.height))
        dirty = false
      }
    }
  }
}

/// The value of the environment variable `name`, if set (`getenv`).
func environmentValue(_ name: String) -> String? {
  getenv(name).map { String(cString: $0) }
}
