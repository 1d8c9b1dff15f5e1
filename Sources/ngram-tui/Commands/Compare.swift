import ArgumentParser
import NgramTUI
import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// `ngram-tui compare`: train several context lengths and compare their answers for one text.
struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train context lengths 1, 2 and 3 on the corpus and compare their answers for the same text.")
  @OptionGroup var directory: DirectoryOption
  @OptionGroup var training: TrainingOptions
  @Option(parsing: .unconditional, help: "Fraction of tokens held out to measure perplexity (0: skip).")
  var holdout: Double = 0.1
  @OptionGroup var topK: TopKOption<FivePredictions>
  @Option(parsing: .upToNextOption, help: "Context lengths to compare.")
  var contexts: [Int] = [1, 2, 3]
  @OptionGroup var output: JSONOption
  @Argument(help: "The typed text; each model uses its last n tokens.")
  var tokens: [String] = []

  func validate() throws {
    guard holdout.isFinite, holdout >= 0, holdout < 1 else {
      throw ValidationError("--holdout must be a fraction in [0, 1), got \(holdout)")
    }
    for n in contexts { try validateContextLength(n, option: "--contexts") }
  }

  func run() throws {
    let path = try Corpus.locate(directory: directory.dir, corpusOverride: training.corpus)
    let c = try Corpus.load(path: path)
    let words = tokens.flatMap { $0.pythonSplit() }
    let usable = contexts.filter { $0 <= words.count }
    for n in contexts where n > words.count {
      writeStandardError("ngram-tui: note: skipping context \(n): it needs \(n) typed tokens, got \(words.count)\n")
    }
    let rows = try ContextComparison.run(
      corpus: c, tokens: words, contextLengths: usable, learningRate: training.lr, epochs: training.epochs,
      topK: topK.topk, holdout: holdout)
    if output.json {
      printJSON(
        .object([
          (
            "models",
            .array(
              rows.map { r in
                .object([
                  ("context", .int(r.contextLength)), ("context_tokens", .array(r.context.map { .string($0) })),
                  ("topk", predictionsJSON(r.topK)), ("context_seen", .bool(r.contextSeen)),
                  ("training_loss", .double(r.trainingLoss)), ("contexts", .int(r.contexts)),
                  ("heldout_perplexity", r.heldOutPerplexity.map { .double($0) } ?? .null),
                  ("heldout_unseen_contexts", r.heldOutUnseen.map { .double($0) } ?? .null),
                ])
              })
          )
        ]))
    } else {
      for r in rows {
        let ppl = r.heldOutPerplexity.map { fixed($0, 2) } ?? "-"
        let unseen = r.heldOutUnseen.map { fixed(100 * $0, 1) + "%" } ?? "-"
        printLine(
          "context \(r.contextLength) (\(r.context.joined(separator: " "))): training loss \(fixed(r.trainingLoss, 4)), \(r.contexts) contexts, held-out perplexity \(ppl), unseen held-out contexts \(unseen)"
        )
        let shown = r.topK.map { TerminalText.escape($0.token) }
        let width = shown.map(\.count).max() ?? 0
        for (p, token) in zip(r.topK, shown) {
          printLine(
            "    \(padRight(token, width))  \(padLeft(fixed(100 * p.probability, 1), 5))%"
          )
        }
      }
    }
  }
}
