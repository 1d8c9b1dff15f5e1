import Foundation
import Testing

// `--model mle|add-k|kneser-ney` on predict and infer. Expected numbers are NLTK 3.10's
// (`scripts/make-nltk-fixtures.py` fits the same way), e.g. for the cat/dog corpus:
//   KneserNeyInterpolated(3, discount=0.75).score('lay', ('the','cat')) == 0.30528846153846156
//   Lidstone(0.5, 3).score('cat', ('zebra','the'))                      == 0.1111111111111111
//   KneserNeyInterpolated(2, discount=0.75).score('cat', ('the',))      == 0.18509615384615385

@Suite("count-based models on the command line", .serialized)
struct CountModelCLITests {
  func topk(_ o: [String: Any]) -> [(String, Double)] {
    ((o["topk"] as? [[String: Any]]) ?? []).map { ($0["token"] as! String, $0["probability"] as! Double) }
  }

  @Test("predict --model kneser-ney --json answers with NLTK's numbers, order from the trained model")
  func predictKneserNey() throws {
    let ws = Workspace("kn", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--quiet"]).status == 0)
    let r = try run(["predict", "--dir", ws.path, "--model", "kneser-ney", "--json", "the", "cat"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try json(r.stdout)
    #expect(o["model"] as? String == "kneser-ney")
    #expect(o["order"] as? Int == 3)
    #expect(o["context"] as? [String] == ["the", "cat"])
    let top = topk(o)
    #expect(top.count == 5)
    #expect(top[0].0 == "lay" && abs(top[0].1 - 0.30528846153846156) < 1e-12)
    #expect(top[1].0 == "sat")
    #expect(top[2].0 == "the" && abs(top[2].1 - 0.1298076923076923) < 1e-12)
  }

  @Test("add-k reads an unknown context word as <UNK> and names it")
  func addKUnknownContext() throws {
    let ws = Workspace("addk", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    let r = try run(["predict", "--dir", ws.path, "--model", "add-k", "--k", "0.5", "--json", "zebra", "the"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try json(r.stdout)
    #expect(o["unknown_context_words"] as? [String] == ["zebra"])
    #expect(o["context_seen"] as? Bool == false)
    #expect(topk(o).allSatisfy { abs($0.1 - 0.1111111111111111) < 1e-12 })
    let text = try run(["predict", "--dir", ws.path, "--model", "add-k", "zebra", "the"])
    #expect(text.stdout.contains("not in the corpus, read as <UNK>: 'zebra'"))
  }

  @Test("MLE after an unseen context says it is undefined and lists nothing")
  func mleUndefined() throws {
    let ws = Workspace("mle", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    let r = try run(["predict", "--dir", ws.path, "--model", "mle", "--json", "mat", "mat"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try json(r.stdout)
    #expect(topk(o).isEmpty)
    #expect((o["undefined"] as? String)?.hasPrefix("MLE is undefined after this context") == true)
    let text = try run(["predict", "--dir", ws.path, "--model", "mle", "mat", "mat"])
    #expect(text.stdout.contains("MLE is undefined after this context"))
  }

  @Test("infer --model mle stops where MLE is undefined; --context sets the order")
  func inferStops() throws {
    let ws = Workspace("infer", corpus: "a b c d", name: "abcd.txt")
    defer { ws.cleanup() }
    let r = try run(["infer", "--dir", ws.path, "--model", "mle", "--start-tokens", "a", "b", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    let o = try json(r.stdout)
    #expect(o["generated"] as? [String] == ["a", "b", "c", "d"])
    #expect((o["stopped"] as? String)?.contains("MLE is undefined") == true)
    let kn = try run([
      "infer", "--dir", ws.path, "--model", "kneser-ney", "--context", "1", "--start-tokens", "b", "--num-tokens", "2",
      "--json",
    ])
    #expect(kn.status == 0, "\(kn.stderr)")
    let k = try json(kn.stdout)
    #expect(k["order"] as? Int == 2)
    #expect((k["generated"] as? [String])?.count == 3)
    #expect(k["stopped"] is NSNull)
  }

  @Test("bad count-model options are one-line errors")
  func badOptions() throws {
    let ws = Workspace("bad", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--model", "kneser-ney", "--context", "0", "the"]),
      contains: ["kneser-ney needs a context of at least 1 token"])
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--model", "add-k", "--k", "0", "the"]), contains: ["--k must be"])
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--model", "kneser-ney", "--discount", "1.5", "the", "cat"]),
      contains: ["--discount must be between 0 and 1"])
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--model", "mle", "--epoch", "2", "the", "cat"]),
      contains: ["do not apply to --model mle"])
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--model", "bogus", "the"]), contains: ["bogus"])
  }

  @Test("compare with too few typed tokens for every length is a usage error, not exit 0 with nothing printed")
  func compareWithNothingToCompare() throws {
    let ws = Workspace("cmpnone", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    for (args, message) in [
      ([], "compare needs at least 1 typed token for context 1, got 0"),
      (["--contexts", "3", "the", "cat"], "compare needs at least 3 typed tokens for context 3, got 2"),
      (
        ["--models", "mle", "--contexts", "2", "--json", "cat"],
        "compare needs at least 2 typed tokens for context 2, got 1"
      ),
    ] {
      let r = try run(["compare", "--dir", ws.path] + args)
      #expect(r.status == 64, "\(args)")
      #expect(r.stdout == "", "\(args)")
      #expect(
        r.stderrLines.map(String.init)
          == [
            "ngram-tui: error: \(message): give the text to compare, e.g. ngram-tui compare the cat sat (see ngram-tui --help)"
          ], "\(args)")
    }
    // One usable length is enough: the others are skipped with a note, as before.
    let some = try run(["compare", "--dir", ws.path, "--epochs", "2", "the", "cat"])
    #expect(some.status == 0)
    #expect(some.stderrLines == ["ngram-tui: note: skipping context 3: it needs 3 typed tokens, got 2"])
  }

  @Test("compare --models lists every model with NLTK's held-out perplexity")
  func compareModels() throws {
    let ws = Workspace("cmp", corpus: catDog, name: "cat_dog.txt")
    defer { ws.cleanup() }
    let r = try run([
      "compare", "--dir", ws.path, "--models", "sgd,mle,add-k,kneser-ney", "--epochs", "5", "--json", "the", "cat",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let entries = try #require(try json(r.stdout)["models"] as? [[String: Any]])
    #expect(entries.map { $0["model"] as? String } == ["sgd", "mle", "add-k", "kneser-ney"])
    #expect(entries.allSatisfy { $0["context"] as? Int == 2 })
    // NLTK: fit on the first 22 tokens (holdout 0.1), score the last 2 with order 3.
    let nltk = [1.7320508075688774, 5.47722557505166, 3.1161850086171983]
    for (entry, expected) in zip(entries.dropFirst(), nltk) {
      let ppl = try #require(entry["heldout_perplexity"] as? Double)
      #expect(abs(ppl - expected) < 1e-9 * expected, "\(entry["model"]!)")
      #expect(entry["heldout_scored"] as? Int == 2)
    }
    let text = try run(["compare", "--dir", ws.path, "--models", "mle,kneser-ney", "mat", "mat"])
    #expect(text.status == 0, "\(text.stderr)")
    #expect(text.stdout.contains("mle, context 2 (mat mat): 13 contexts, held-out perplexity 1.73"))
    #expect(text.stdout.contains("MLE is undefined after this context"))
    #expect(text.stdout.contains("kneser-ney (D=0.75), context 2 (mat mat)"))
    expectCleanFailure(
      try run(["compare", "--dir", ws.path, "--models", "sgd,bogus", "the"]), contains: ["unknown model 'bogus'"])
  }
}
