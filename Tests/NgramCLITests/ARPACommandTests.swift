import Foundation
import Testing

// predict --arpa and eval --arpa against KenLM's scores recorded in the engine tests' fixtures
// (scripts/make-arpa-fixtures.py).
@Suite struct ARPACommandTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../NgramEngineTests/Fixtures/arpa").standardized

  @Test func predictJSONHasThePredictShapeAndKenLMsNumbers() throws {
    let model = Self.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let exp =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: Self.fixtures.appendingPathComponent("expected/cat_dog.o3.arpa.json"))) as! [String: Any]
    let vocab = exp["vocabulary"] as! [String]
    let contexts = exp["contexts"] as! [[String: Any]]
    let entry = contexts.first { ($0["context"] as! [String]) == ["the", "cat"] }!
    let scores = entry["scores"] as! [Double]
    let r = try run(["predict", "--arpa", model, "--json", "--topk", "3", "the", "cat"])
    #expect(r.status == 0)
    let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    #expect(out["context"] as? [String] == ["the", "cat"])
    let top = out["topk"] as! [[String: Any]]
    #expect(top.count == 3)
    for t in top {
      let token = t["token"] as! String
      let kenlm = scores[vocab.firstIndex(of: token)!]
      #expect(abs(log10(t["probability"] as! Double) - kenlm) <= 2e-5)
      #expect(t["id"] as? Int == vocab.firstIndex(of: token))
    }
    // The most probable word by KenLM comes first.
    let best = vocab.indices.filter { vocab[$0] != "<s>" }.max { scores[$0] < scores[$1] }!
    #expect(abs(scores[vocab.firstIndex(of: top[0]["token"] as! String)!] - scores[best]) <= 2e-5)
  }

  /// `--compare-arpa FILE` is read before the explorer (or, without a terminal, the REPL)
  /// starts: a bad file is one error line naming it, and it does not combine with `--arpa`.
  @Test func compareARPAReportsABadFileInOneLine() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("compare-arpa-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad.arpa")
    try "ngram 1=2\n".write(to: bad, atomically: true, encoding: .utf8)
    let r = try run(["--compare-arpa", bad.path], cwd: dir)
    #expect(r.status == 1)
    #expect(
      r.stderrLines
        == [
          "ngram-tui: error: \(bad.path):1: no \\data\\ line: this is not an ARPA language model (expected \\data\\, ngram 1=N, \\1-grams:, …)"
        ])
    let missing = try run(["--compare-arpa", dir.appendingPathComponent("none.arpa").path], cwd: dir)
    #expect(missing.status == 1)
    #expect(
      missing.stderrLines == ["ngram-tui: error: cannot read \(dir.path)/none.arpa: no such file (check the path)"])
    let model = Self.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let both = try run(["--arpa", model, "--compare-arpa", model], cwd: dir)
    #expect(both.status != 0)
    #expect(
      both.stderrLines
        == [
          "ngram-tui: error: --compare-arpa adds ARPA models to Compare beside a model trained on DIR's corpus; it does not apply with --arpa (see ngram-tui --help)"
        ])
  }

  @Test func predictARPARefusesSGDOnlyOptions() throws {
    let model = Self.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let r = try run(["predict", "--arpa", model, "--epoch", "1", "the"])
    #expect(r.status != 0)
    #expect(
      r.stderrLines.first
        == "ngram-tui: error: --arpa answers with the ARPA file alone: leave out --model, --epoch and --backoff (see ngram-tui --help)"
    )
  }

  /// A word holding control characters is printed escaped, and the columns are padded to the
  /// escaped width (they were padded to the raw width, so the percentages did not line up).
  @Test func predictARPAAlignsEscapedWords() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arpa-escape-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let file = dir.appendingPathComponent("esc.arpa")
    try "\\data\\\nngram 1=2\n\n\\1-grams:\n-0.5\t\u{1b}]0;X\u{07}\n-1\tb\n\\end\\\n"
      .write(to: file, atomically: true, encoding: .utf8)
    let r = try run(["predict", "--arpa", file.path, "--topk", "2"])
    #expect(r.status == 0)
    #expect(
      r.stdout.split(separator: "\n").dropFirst().map(String.init)
        == [
          "  \\e]0;X\\u{07}  31.62%  (log10 -0.500000)",
          "  b             10.00%  (log10 -1.000000)",
        ])
  }

  /// A directory or a count line no file can hold is one error line, not an abort.
  @Test func hostileARPAFilesAreOneErrorLine() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("arpa-hostile-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let folder = try run(["predict", "--arpa", dir.path, "the"])
    #expect(folder.status == 1)
    #expect(folder.stderrLines == ["ngram-tui: error: cannot read \(dir.path): is a directory, expected an ARPA file"])
    let file = dir.appendingPathComponent("huge.arpa")
    try "\\data\\\nngram 1=99999999999999\n\n\\1-grams:\n-1\ta\n\\end\\\n"
      .write(to: file, atomically: true, encoding: .utf8)
    let huge = try run(["eval", "--arpa", file.path, "--text", file.path])
    #expect(huge.status == 1)
    #expect(
      huge.stderrLines
        == [
          "ngram-tui: error: \(file.path):2: 'ngram 1=99999999999999' declares more 1-grams than a file of 52 bytes can hold (is the count line wrong, or the file truncated?)"
        ])
  }
}

/// KenLM's held-out perplexities and greedy continuations (Fixtures/arpa/uses.json).
private func uses() throws -> [String: Any] {
  try JSONSerialization.jsonObject(
    with: Data(contentsOf: ARPACommandTests.fixtures.appendingPathComponent("uses.json"))) as! [String: Any]
}

/// KenLM's scores of every vocabulary word after `context` (Fixtures/arpa/expected).
private func kenlmScores(_ model: String, _ context: [String]) throws -> (vocabulary: [String], scores: [Double]) {
  let exp =
    try JSONSerialization.jsonObject(
      with: Data(contentsOf: ARPACommandTests.fixtures.appendingPathComponent("expected/\(model).json")))
    as! [String: Any]
  let entry = (exp["contexts"] as! [[String: Any]]).first { ($0["context"] as! [String]) == context }!
  return (exp["vocabulary"] as! [String], entry["scores"] as! [Double])
}

@Suite struct ARPAUseCommandTests {
  static let corpora = ARPACommandTests.fixtures.deletingLastPathComponent().appendingPathComponent("conformance")

  @Test func compareListsTheARPAModelBesideCountModelsWithKenLMsHeldOutPerplexity() throws {
    let w = Workspace("cmp-arpa")
    let text = try Data(contentsOf: Self.corpora.appendingPathComponent("fortunes_300/corpus/fortunes_300.txt"))
    w.write(corpus: Array(text))
    let model = ARPACommandTests.fixtures.appendingPathComponent("models/fortunes_300.o3.arpa").path
    let r = try run([
      "compare", "--dir", w.path, "--models", "kneser-ney,arpa:\(model)", "--holdout", "0.25", "--json", "--topk",
      "4", "zebra", "huge",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    let entries = out["models"] as! [[String: Any]]
    #expect(entries.map { $0["model"] as! String } == ["kneser-ney", "arpa"])
    let arpa = entries[1]
    #expect(arpa["file"] as? String == model)
    #expect(arpa["order"] as? Int == 3)
    #expect(arpa["context_tokens"] as? [String] == ["zebra", "huge"])
    #expect(arpa["unknown_context_words"] as? [String] == ["zebra"])
    let expected = (try uses()["heldout"] as! [[String: Any]]).first {
      $0["model"] as? String == "fortunes_300.o3.arpa" && $0["corpus"] as? String == "fortunes_300"
        && $0["holdout"] as? Double == 0.25
    }!
    let ppl = try #require(arpa["heldout_perplexity"] as? Double)
    #expect(abs(ppl - (expected["perplexity"] as! Double)) <= 1e-6 * ppl)
    #expect(arpa["heldout_scored"] as? Int == expected["scored"] as? Int)
    // The top-k is KenLM's order after <unk> the.
    let (vocab, scores) = try kenlmScores("fortunes_300.o3.arpa", ["qqnotawordqq", "huge"])
    let top = arpa["topk"] as! [[String: Any]]
    let ranked = vocab.indices.filter { vocab[$0] != "<s>" }.sorted { scores[$0] > scores[$1] }
    #expect(top.count == 4)
    for (t, id) in zip(top, ranked) {
      #expect(abs(log10(t["probability"] as! Double) - scores[id]) <= 2e-5)
      #expect(abs(scores[vocab.firstIndex(of: t["token"] as! String)!] - scores[id]) <= 2e-5)
    }
    // The text form names the model and its perplexity to 2 decimals.
    let plain = try run([
      "compare", "--dir", w.path, "--arpa", model, "--models", "mle", "--holdout", "0.25", "zebra", "huge",
    ])
    #expect(plain.status == 0)
    let line = plain.stdout.split(separator: "\n").first { $0.hasPrefix("arpa ") }
    #expect(
      line
        == "arpa \(model), order 3 (zebra huge; n-gram context used: huge): held-out perplexity \(String(format: "%.2f", expected["perplexity"] as! Double)), unseen held-out contexts \(String(format: "%.1f", 100 * (arpa["heldout_unseen_contexts"] as! Double)))%"
    )
  }

  @Test func compareWithOnlyAnARPAFileNeedsNoCorpusWithoutHoldout() throws {
    let w = Workspace("cmp-arpa-only")
    let model = ARPACommandTests.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let r = try run(["compare", "--dir", w.path, "--models", "arpa:\(model)", "--holdout", "0", "--json", "the", "cat"])
    #expect(r.status == 0, "\(r.stderr)")
    let entries =
      (try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any])["models"] as! [[String: Any]]
    #expect(entries.count == 1)
    #expect(entries[0]["heldout_perplexity"] is NSNull)
    let bad = try run(["compare", "--dir", w.path, "--models", "sgd,arpa:", "the"])
    #expect(
      bad.stderrLines.first
        == "ngram-tui: error: arpa: in --models needs a file name, e.g. --models sgd,arpa:model.arpa (see ngram-tui --help)"
    )
  }

  @Test func inferGeneratesKenLMsGreedyContinuation() throws {
    let all = try uses()["generate"] as! [[String: Any]]
    for e in all where (e["start"] as! [String]).count > 0 {
      let model = ARPACommandTests.fixtures.appendingPathComponent("models/\(e["model"] as! String)").path
      let start = e["start"] as! [String]
      let generated = e["generated"] as! [String]
      let r = try run(
        ["infer", "--arpa", model, "--json", "--num-tokens", String(generated.count), "--start-tokens"] + start)
      #expect(r.status == 0, "\(r.stderr)")
      let out = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
      #expect(out["start_tokens"] as? [String] == start)
      #expect(out["generated"] as? [String] == start + generated)
      #expect(out["model"] as? String == "arpa")
    }
    // Without --start-tokens: from <s>, in the text shape of the SGD path.
    let model = ARPACommandTests.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let r = try run(["infer", "--arpa", model, "--num-tokens", "7"])
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "Top next-token predictions after <s> (ARPA order 3):")
    #expect(lines.last == "  <s> the cat sat on the mat </s>")
  }

  @Test func replAnswersEachLineWithKenLMsTopK() throws {
    let model = ARPACommandTests.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let r = try run(["repl", "--arpa", model, "--topk", "2"], stdin: "the cat\n\nqqnotawordqq\n")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n").map(String.init)
    for (context, heading) in [
      (["the", "cat"], "next after the cat (n-gram context used: the cat):"),
      (["qqnotawordqq"], "next after qqnotawordqq (n-gram context used: qqnotawordqq):"),
    ] {
      let (vocab, scores) = try kenlmScores("cat_dog.o3.arpa", context)
      let i = try #require(lines.firstIndex(of: heading))
      let ranked = vocab.indices.filter { vocab[$0] != "<s>" }.sorted { scores[$0] > scores[$1] }
      for (row, id) in zip(lines[(i + 1)...(i + 2)], ranked) {
        let token = row.split(separator: " ")[0]
        #expect(abs(scores[vocab.firstIndex(of: String(token))!] - scores[id]) <= 2e-5, "\(row)")
        #expect(row.contains(String(format: "%.2f%%", 100 * pow(10, scores[id]))), "\(row)")
      }
    }
    #expect(lines.last == "not in the vocabulary, read as <unk>: qqnotawordqq")
  }
}

@Suite struct CountExportCommandTests {
  @Test func exportKneserNeyWritesGzipWhenAskedAndMLEAsRelativeFrequencies() throws {
    let w = Workspace("kn-export", corpus: "the cat sat on the mat the dog sat on the rug")
    let file = w.url.appendingPathComponent("kn.arpa.gz").path
    let r = try run(["export", "--dir", w.path, "--model", "kneser-ney", "--context", "1", "--arpa", file])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == "wrote \(file): order 2 (10 1-grams, 9 2-grams)\n")
    let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
    #expect(Array(bytes.prefix(2)) == [0x1f, 0x8b])
    // MLE: its relative frequencies at order 3 (counted by hand: "on the" is followed by mat and
    // rug once each), back-off 0, every lower-order n-gram -inf (see scripts/make-count-arpa-fixtures.py
    // for KenLM's scores of such files).
    let plain = w.url.appendingPathComponent("mle.arpa").path
    let mle = try run(["export", "--dir", w.path, "--model", "mle", "--arpa", plain])
    #expect(mle.status == 0, "\(mle.stderr)")
    #expect(mle.stdout == "wrote \(plain): order 3 (10 1-grams, 9 2-grams, 9 3-grams)\n")
    let lines = try String(contentsOfFile: plain, encoding: .utf8).split(separator: "\n").map(String.init)
    #expect(lines.contains("-0.30103\ton the mat") && lines.contains("0\tcat sat on"))
    #expect(lines.contains("-inf\ton the\t0") && lines.contains("-inf\tthe\t0") && lines.contains("-inf\t<unk>\t0"))
  }
}
