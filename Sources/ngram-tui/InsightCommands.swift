import ArgumentParser
import Foundation
import NgramEngine

/// The held-out figures of a run for `train --json`.
func validationJSON(_ v: [ValidationStats]) -> [(String, JSONValue)] {
  guard let last = v.last else { return [] }
  return [
    ("val_loss", .double(last.valLoss)), ("val_perplexity", .double(last.valPerplexity)),
    ("unseen_contexts", .double(last.unseenContexts)),
  ]
}

/// The corpus the artifacts were trained on, if it is still where the meta says and unchanged.
func trainingCorpus(dir: String, meta: JSONValue) -> Corpus? {
  guard case .string(let rel)? = meta["corpus"]?["path"] else { return nil }
  let path = rel.hasPrefix("/") ? rel : (dir as NSString).appendingPathComponent(rel)
  guard let corpus = try? Corpus.load(path: path) else { return nil }
  if case .string(let sha)? = meta["corpus"]?["sha256"], sha != corpus.sha256 { return nil }
  return corpus
}

/// A prediction with what explains it: observed counts, entropy, KL, time travel, backoff.
struct PredictionInsight {
  let distribution: Distribution
  let observed: SuccessorCounts?
  let epoch: Int?
  let backoffContext: [Int]?

  init(dir: String, loaded: LoadedArtifacts, context: [Int], epoch: Int?, backoff: Bool, needCorpus: Bool) throws {
    let model = loaded.model
    let corpus = trainingCorpus(dir: dir, meta: loaded.meta)
    if needCorpus && corpus == nil {
      throw NgramError.invalidOption(
        "--epoch and --backoff replay training and need the training corpus unchanged where 00_meta.json says (corpus.path, corpus.sha256)"
      )
    }
    var lr = 0.1
    if case .double(let x)? = loaded.meta["training"]?["learning_rate"] { lr = x }
    if case .int(let x)? = loaded.meta["training"]?["learning_rate"] { lr = Double(x) }
    var epochs = 50
    if case .int(let x)? = loaded.meta["training"]?["epochs"] { epochs = x }
    var dist = model.distribution(context: context)
    if let e = epoch, let corpus {
      dist = TimeTravel.history(corpus: corpus, context: context, learningRate: lr, epochs: e).last!
    }
    var used: [Int]?
    if backoff, let corpus, !model.isTrained(context: context) {
      var shorter = context
      while !shorter.isEmpty {
        shorter.removeFirst()
        if !corpus.successorTargets(of: shorter).isEmpty || shorter.isEmpty {
          dist = TimeTravel.history(corpus: corpus, context: shorter, learningRate: lr, epochs: epoch ?? epochs).last!
          used = shorter
          break
        }
      }
    }
    distribution = dist
    observed = corpus?.successors(of: used ?? context)
    self.epoch = epoch
    backoffContext = used
  }

  func json(_ model: NgramModel) -> [(String, JSONValue)] {
    var out: [(String, JSONValue)] = [("entropy_bits", .double(distribution.entropyBits))]
    if let epoch { out.append(("epoch", .int(epoch))) }
    if let backoffContext {
      out.append(("backoff_context", .array(backoffContext.map { .string(model.vocabulary.tokens[$0]) })))
    }
    if let observed {
      out.append(("occurrences", .int(observed.occurrences)))
      out.append(("observed", .object(observed.counts.map { (model.vocabulary.tokens[$0.id], .int($0.count)) })))
      out.append(("kl_bits", .double(observed.klDivergenceBits(from: distribution))))
    } else {
      out.append(("observed", .null))
    }
    return out
  }

  func lines(_ model: NgramModel) -> [String] {
    var out = [
      String(format: "entropy %.3f bits, perplexity %.2f", distribution.entropyBits, pow(2, distribution.entropyBits))
    ]
    if let epoch { out.append("as the model stood after epoch \(epoch)") }
    if let b = backoffContext {
      out.append(
        "context never seen: backed off to \(b.isEmpty ? "(no context)" : b.map { model.vocabulary.tokens[$0] }.joined(separator: " ")) (beyond the reference)"
      )
    }
    if let observed {
      let shown = observed.counts.prefix(8).map { c in
        String(
          format: "%@ %d (%.1f%%, model %.1f%%)", model.vocabulary.tokens[c.id], c.count,
          100 * Double(c.count) / Double(observed.occurrences), 100 * distribution.probability(of: c.id))
      }
      out.append(
        "seen \(observed.occurrences) time\(observed.occurrences == 1 ? "" : "s") in the corpus; followed by: \(shown.joined(separator: ", "))\(observed.counts.count > 8 ? ", …" : "")"
      )
      out.append(String(format: "KL(observed ‖ model) = %.4f bits", observed.klDivergenceBits(from: distribution)))
    }
    return out
  }
}

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train context lengths 1, 2 and 3 on the corpus and compare their answers for the same text.")
  @Option(help: "Base directory holding corpus/.")
  var dir: String = "."
  @Option(help: "Corpus file to use instead of the single file in DIR/corpus.")
  var corpus: String?
  @Option(help: "Learning rate.")
  var lr: Double = 0.1
  @Option(help: "Training epochs.")
  var epochs: Int = 50
  @Option(help: "Fraction of tokens held out to measure perplexity (0: skip).")
  var holdout: Double = 0.1
  @Option(help: "How many predictions per model.")
  var topk: Int = 5
  @Option(parsing: .upToNextOption, help: "Context lengths to compare.")
  var contexts: [Int] = [1, 2, 3]
  @Flag(help: "Print one JSON document.")
  var json = false
  @Argument(help: "The typed text; each model uses its last n tokens.")
  var tokens: [String] = []

  func run() throws {
    do {
      try TrainingConfig(contextLength: 2, learningRate: lr, epochs: epochs, holdout: holdout).validate()
      for n in contexts { try TrainingConfig(contextLength: n).validate() }
      let path = try Corpus.locate(directory: dir, corpusOverride: corpus)
      let c = try Corpus.load(path: path)
      let words = tokens.flatMap { $0.pythonSplit() }
      let usable = contexts.filter { $0 <= words.count }
      for n in contexts where n > words.count {
        FileHandle.standardError.write(
          Data("ngram-tui: note: skipping context \(n): it needs \(n) typed tokens, got \(words.count)\n".utf8))
      }
      let rows = try ContextComparison.run(
        corpus: c, tokens: words, contextLengths: usable, learningRate: lr, epochs: epochs, topK: topk, holdout: holdout
      )
      if json {
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
          let ppl = r.heldOutPerplexity.map { String(format: "%.2f", $0) } ?? "-"
          let unseen = r.heldOutUnseen.map { String(format: "%.1f%%", 100 * $0) } ?? "-"
          print(
            "context \(r.contextLength) (\(r.context.joined(separator: " "))): training loss \(String(format: "%.4f", r.trainingLoss)), \(r.contexts) contexts, held-out perplexity \(ppl), unseen held-out contexts \(unseen)"
          )
          let width = r.topK.map(\.token.count).max() ?? 0
          for p in r.topK {
            print(
              "    \(p.token.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(format: "%5.1f%%", 100 * p.probability))"
            )
          }
        }
      }
    } catch {
      fail(error)
    }
  }
}
