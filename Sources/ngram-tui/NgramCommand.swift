import ArgumentParser
import Foundation
import NgramEngine
import NgramTUI

/// The `ngram-tui` command: the explorer by default, plus train / infer / predict / repl.
@main
struct NgramCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ngram-tui",
    abstract: "Train and explore the toy-gpt context-2 next-token model (exact re-implementation).",
    subcommands: [
      Explore.self, Train.self, Infer.self, Predict.self, Repl.self, Compare.self, Bench.self, BenchTUI.self,
    ],
    defaultSubcommand: Explore.self
  )

  /// Parses and runs; a usage error is one line on stderr (help and version print as usual).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      Foundation.exit(code.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success { exit(withError: error) }
      let message = message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
      FileHandle.standardError.write(Data("ngram-tui: error: \(message) (see ngram-tui --help)\n".utf8))
      Foundation.exit(code.rawValue)
    }
  }
}

/// Options shared by the commands that train.
struct TrainingOptions: ParsableArguments {
  @Option(help: "Base directory holding corpus/, artifacts/ and outputs/.")
  var dir: String = "."
  @Option(help: "Corpus file to use instead of the single file in DIR/corpus.")
  var corpus: String?
  @Option(parsing: .unconditional, help: "Context length: 0 unigram, 1 bigram, 2 context-2, 3 context-3.")
  var context: Int = 2
  @Option(parsing: .unconditional, help: "Learning rate.")
  var lr: Double = 0.1
  @Option(parsing: .unconditional, help: "Training epochs.")
  var epochs: Int = 50
  @Option(
    parsing: .unconditional,
    help: "Keep the last fraction of tokens out of training and score them each epoch (outputs/eval_log.csv).")
  var holdout: Double = 0

  var config: TrainingConfig {
    TrainingConfig(contextLength: context, learningRate: lr, epochs: epochs, holdout: holdout)
  }
}

/// Prints a one-line error and exits non-zero, instead of a backtrace.
func fail(_ error: Error) -> Never {
  let text: String
  if let e = error as? NgramError { text = e.description } else { text = "\(error)" }
  FileHandle.standardError.write(Data("ngram-tui: error: \(text)\n".utf8))
  if case NgramError.cancelled? = error as? NgramError { exit(130) }
  exit(1)
}

/// Writes one JSON document to stdout.
func printJSON(_ value: JSONValue) {
  print(value.rendered(indent: nil, sortKeys: false, asciiOnly: false))
}

func predictionsJSON(_ preds: [Prediction]) -> JSONValue {
  .array(
    preds.map {
      .object([("token", .string($0.token)), ("id", .int($0.id)), ("probability", .double($0.probability))])
    })
}

/// Cancels `control` on SIGINT (Ctrl-C) so the run can clean up before exiting.
func installInterruptHandler(_ control: TrainingControl) -> InterruptHandler {
  signal(SIGINT, SIG_IGN)
  signal(SIGTERM, SIG_IGN)
  let q = DispatchQueue(label: "ngram-tui.signals")
  let src = DispatchSource.makeSignalSource(signal: SIGINT, queue: q)
  src.setEventHandler { control.cancel() }
  src.resume()
  let term = DispatchSource.makeSignalSource(signal: SIGTERM, queue: q)
  term.setEventHandler { control.cancel() }
  term.resume()
  return InterruptHandler(sources: [src, term])
}

/// Keeps the signal sources alive; `cancel()` stops listening.
struct InterruptHandler {
  let sources: [DispatchSourceSignal]
  func cancel() { sources.forEach { $0.cancel() } }
}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train on the corpus; write DIR/artifacts/* and DIR/outputs/train_log.csv.")
  @OptionGroup var options: TrainingOptions
  @Option(help: "Weights file format: dense (the reference's CSV), compact (sparse, lossless) or auto.")
  var weights: String = "auto"
  @Option(help: "Largest dense weights table, in numbers, that --weights auto writes.")
  var denseLimit: Int = ArtifactWriter.defaultDenseCellLimit
  @Flag(help: "Print one JSON document with the final figures instead of the log.")
  var json = false
  @Flag(help: "Print nothing but errors.")
  var quiet = false

  func run() throws {
    do {
      guard let format = WeightsFormat(rawValue: weights) else {
        throw NgramError.invalidOption("unknown weights format '\(weights)': use dense, compact or auto")
      }
      let control = TrainingControl()
      let src = installInterruptHandler(control)
      defer { src.cancel() }
      let started = Date()
      let result = try TrainingSession.run(
        directory: options.dir, corpusOverride: options.corpus, config: options.config, format: format,
        denseLimit: denseLimit, control: control,
        onEpoch: json || quiet
          ? nil
          : { e, total in
            print(
              "epoch \(e.epoch)/\(total)  avg_loss \(String(format: "%.8f", e.avgLoss))  accuracy \(String(format: "%.6f", e.accuracy))"
            )
          })
      let elapsed = Date().timeIntervalSince(started)
      if json {
        let last = result.log.last
        printJSON(
          .object(
            [
              ("epochs", .int(options.epochs)),
              ("avg_loss", last.map { .double($0.avgLoss) } ?? .null),
              ("accuracy", last.map { .double($0.accuracy) } ?? .null),
              ("vocab_size", .int(result.corpus.vocabulary.count)),
              ("tokens", .int(result.corpus.tokenCount)),
              ("pairs", .int(result.pairs)),
              ("context", .int(options.context)),
              ("learning_rate", .double(options.lr)),
              ("trained_rows", .int(result.model.trainedRowCount)),
              ("weights_format", .string(result.written.format.rawValue)),
              ("elapsed_seconds", .double((elapsed * 1000).rounded() / 1000)),
            ] + validationJSON(result.validation)))
      } else if !quiet {
        print(
          "trained \(result.corpus.tokenCount) tokens, vocabulary \(result.corpus.vocabulary.count), \(result.pairs) pairs in \(String(format: "%.2f", elapsed)) s; wrote \(options.dir)/artifacts (\(result.written.format.rawValue) weights) and \(options.dir)/outputs/train_log.csv"
        )
      }
    } catch {
      fail(error)
    }
  }
}

struct Infer: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Greedy generation from the saved artifacts.")
  @Option(help: "Base directory holding artifacts/.")
  var dir: String = "."
  @Option(parsing: .upToNextOption, help: "Start tokens (n of them; default: start_tokens from the meta).")
  var startTokens: [String] = []
  @Option(help: "Tokens to generate.")
  var numTokens: Int = 10
  @Option(help: "How many top predictions to show for the start context.")
  var topk: Int = 3
  @Flag(help: "Print one JSON document.")
  var json = false
  @Flag(help: "Sample instead of greedy decoding (beyond the reference).")
  var sample = false
  @Option(help: "Sampling temperature (0 = greedy).")
  var temperature: Double = 1.0
  @Option(name: .customLong("top-k"), help: "Sample only among the k most probable tokens.")
  var sampleTopK: Int?
  @Option(
    name: .customLong("top-p"), help: "Sample only among the most probable tokens reaching this probability mass.")
  var sampleTopP: Double?
  @Option(help: "Seed of the sampler (same seed, same text on every machine).")
  var seed: UInt64 = 0

  func run() throws {
    do {
      guard numTokens >= 0 else {
        throw NgramError.invalidOption("invalid --num-tokens \(numTokens): use a whole number >= 0")
      }
      guard topk >= 0 else { throw NgramError.invalidOption("invalid --topk \(topk): use a whole number >= 0") }
      let loaded = try ArtifactLoader.load(directory: dir)
      let model = loaded.model
      let n = model.contextLength.value
      var start = startTokens.isEmpty ? Array(loaded.startTokens.prefix(n)) : startTokens
      if start.count > n { start = Array(start.suffix(n)) }
      guard start.count == n else {
        throw NgramError.invalidOption(
          startTokens.isEmpty
            ? "no start_tokens in 00_meta.json: pass --start-tokens with \(n) tokens"
            : "--start-tokens needs \(n) token\(n == 1 ? "" : "s") for this model, got \(start.count)")
      }
      let ids = try model.ids(for: start)
      let top = model.topK(context: ids, k: topk)
      let options = SamplingOptions(temperature: temperature, topK: sampleTopK, topP: sampleTopP, seed: seed)
      if sample { try options.validate() }
      let genIDs =
        sample
        ? model.sample(start: ids, count: numTokens, options: options) : model.generate(start: ids, count: numTokens)
      let gen = genIDs.map { model.vocabulary.tokens[$0] }
      if json {
        var members: [(String, JSONValue)] = [
          ("start_tokens", .array(start.map { .string($0) })),
          ("topk", predictionsJSON(top)),
          ("generated", .array((start + gen).map { .string($0) })),
        ]
        if sample {
          members.append(
            (
              "sampling",
              .object([
                ("temperature", .double(temperature)), ("top_k", sampleTopK.map { .int($0) } ?? .null),
                ("top_p", sampleTopP.map { .double($0) } ?? .null), ("seed", .int(Int(truncatingIfNeeded: seed))),
              ])
            ))
        }
        printJSON(.object(members))
      } else {
        print("Top next-token predictions after \(start.joined(separator: "|")):")
        for p in top { print("  \(p.token) (ID \(p.id)): \(String(format: "%.4f", p.probability))") }
        print(
          sample
            ? "Sampled sequence (temperature \(temperature), seed \(seed); beyond the reference):"
            : "Generated sequence:")
        print("  " + (start + gen).joined(separator: " "))
      }
    } catch {
      fail(error)
    }
  }
}

/// Formats a top-k list for humans.
func describe(_ preds: [Prediction], context: [String], seen: Bool) -> String {
  var lines = [
    "next after \(context.isEmpty ? "(no context)" : context.joined(separator: " "))\(seen ? "" : " (context never seen in training: uniform)"):"
  ]
  let width = preds.map { $0.token.count }.max() ?? 0
  for p in preds {
    lines.append(
      "  \(p.token.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(format: "%6.2f%%", p.probability * 100))  (id \(p.id))"
    )
  }
  return lines.joined(separator: "\n")
}

struct Predict: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Top-k next tokens after a context (the last n tokens given).")
  @Option(help: "Base directory holding artifacts/.")
  var dir: String = "."
  @Option(help: "How many predictions.")
  var topk: Int = 5
  @Flag(help: "Print one JSON document.")
  var json = false
  @Option(help: "Answer as the model stood after this many epochs (replays the context's own training).")
  var epoch: Int?
  @Flag(help: "For a context never seen in training, back off to shorter contexts (beyond the reference).")
  var backoff = false
  @Argument(help: "Context tokens; the last n are used.")
  var tokens: [String] = []

  func run() throws {
    do {
      guard topk >= 0 else { throw NgramError.invalidOption("invalid --topk \(topk): use a whole number >= 0") }
      if let e = epoch, e < 0 { throw NgramError.invalidOption("invalid --epoch \(e): use a whole number >= 0") }
      let loaded = try ArtifactLoader.load(directory: dir)
      let model = loaded.model
      let n = model.contextLength.value
      let words = tokens.flatMap { $0.pythonSplit() }
      guard words.count >= n else {
        throw NgramError.invalidOption(
          "this \(loaded.meta["model_kind"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? "") model needs \(n) context token\(n == 1 ? "" : "s"), got \(words.count)"
        )
      }
      let ctx = Array(words.suffix(n))
      let ids = try model.ids(for: ctx)
      let insight = try PredictionInsight(
        dir: dir, loaded: loaded, context: ids, epoch: epoch, backoff: backoff, needCorpus: epoch != nil || backoff)
      let top = insight.distribution.top(topk).map {
        Prediction(token: model.vocabulary.tokens[$0.id], id: $0.id, probability: $0.probability)
      }
      if json {
        printJSON(
          .object([("context", .array(ctx.map { .string($0) })), ("topk", predictionsJSON(top))] + insight.json(model)))
      } else {
        print(describe(top, context: ctx, seen: model.isTrained(context: ids)))
        for line in insight.lines(model) { print(line) }
      }
    } catch {
      fail(error)
    }
  }
}

/// The line REPL: one context per line on stdin, its top-k on stdout.
func runLineREPL(dir: String, topk: Int) -> Int32 {
  let loaded: LoadedArtifacts
  do {
    loaded = try ArtifactLoader.load(directory: dir)
  } catch {
    fail(error)
  }
  let model = loaded.model
  let n = model.contextLength.value
  let interactive = isatty(0) == 1
  if interactive {
    print(
      "ngram-tui repl: type \(n) context token\(n == 1 ? "" : "s") per line (the last \(n) are used); Ctrl-D quits.")
  }
  while true {
    if interactive {
      print("> ", terminator: "")
      fflush(nil)
    }
    guard let line = readLine(strippingNewline: true) else { break }
    let words = line.pythonSplit()
    if words.isEmpty { continue }
    if words.count < n {
      print("need \(n) context token\(n == 1 ? "" : "s"), got \(words.count)")
      continue
    }
    let ctx = Array(words.suffix(n))
    do {
      let ids = try model.ids(for: ctx)
      print(describe(model.topK(context: ids, k: topk), context: ctx, seen: model.isTrained(context: ids)))
    } catch {
      print("error: \(error)")
    }
    fflush(nil)
  }
  return 0
}

struct Repl: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Line REPL: read a context per line on stdin, print its top-k.")
  @Option(help: "Base directory holding artifacts/.")
  var dir: String = "."
  @Option(help: "How many predictions per line.")
  var topk: Int = 5

  func run() throws {
    throw ExitCode(runLineREPL(dir: dir, topk: topk))
  }
}

struct Explore: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tui", abstract: "The explorer (default): train on the corpus and explore the model live.")
  @OptionGroup var options: TrainingOptions
  @Option(help: "How many predictions to show.")
  var topk: Int = 5
  @Flag(help: "Draw bars and charts with ASCII characters only (automatic when the locale is not UTF-8).")
  var ascii = false
  @Option(help: "Seconds over which the Train screen reveals the epochs of a fast run (0: no pacing).")
  var pace: Double = 2.0
  @Option(help: "Weights file format written after training: dense, compact or auto.")
  var weights: String = "auto"
  @Option(help: "Seed for sampling mode on the Generate screen (as `infer --sample --seed`).")
  var seed: UInt64 = 0

  func run() throws {
    if isatty(0) != 1 || isatty(1) != 1 {
      // Not a terminal: train if needed, then the line REPL.
      if (try? ArtifactLoader.load(directory: options.dir)) == nil {
        do {
          let control = TrainingControl()
          let src = installInterruptHandler(control)
          defer { src.cancel() }
          _ = try TrainingSession.run(
            directory: options.dir, corpusOverride: options.corpus, config: options.config, format: .auto,
            denseLimit: ArtifactWriter.defaultDenseCellLimit, control: control, onEpoch: nil)
        } catch {
          fail(error)
        }
      }
      throw ExitCode(runLineREPL(dir: options.dir, topk: topk))
    }
    guard let format = WeightsFormat(rawValue: weights) else {
      fail(NgramError.invalidOption("unknown weights format '\(weights)': use dense, compact or auto"))
    }
    guard topk >= 1, pace >= 0, pace.isFinite else {
      fail(NgramError.invalidOption("invalid --topk \(topk) or --pace \(pace): use --topk >= 1 and --pace >= 0"))
    }
    throw ExitCode(
      Explorer.run(
        options: Explorer.Options(
          directory: options.dir, corpus: options.corpus, config: options.config, topK: topk, ascii: ascii,
          pace: pace, weights: format, seed: seed)))
  }
}
