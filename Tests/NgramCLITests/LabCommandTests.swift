import Foundation
import NgramEngine
import Testing

// Issue 11 at the command line: `step` and `predict --rank`.

/// The reference's SGD, densely: the row of pair `pair` of epoch `epoch` before and after its
/// update (full V-wide rows, straightforward loops).
func denseStep(ids: [Int], v: Int, n: Int, lr: Double, epoch: Int, pair: Int) -> (before: [Double], after: [Double]) {
  var rows: [[Int]: [Double]] = [:]
  func softmax(_ w: [Double]) -> [Double] {
    let m = w.max()!
    let e = w.map { exp($0 - m) }
    let z = e.reduce(0, +)
    return e.map { $0 / z }
  }
  for e in 1...epoch {
    for i in 0..<(ids.count - n) {
      let ctx = Array(ids[i..<(i + n)])
      var w = rows[ctx] ?? [Double](repeating: 0, count: v)
      let p = softmax(w)
      for j in 0..<v { w[j] -= lr * (p[j] - (j == ids[i + n] ? 1 : 0)) }
      rows[ctx] = w
      if e == epoch && i + 1 == pair { return (p, softmax(w)) }
    }
  }
  fatalError("no such step")
}

@Suite("step and predict --rank", .serialized)
struct LabCommandTests {
  @Test("step --json equals a dense replay of the reference's SGD", arguments: [(1, 0.5), (2, 0.1), (3, 0.1)])
  func stepJSON(context: Int, lr: Double) throws {
    let ws = Workspace("step", corpus: catDog)
    defer { ws.cleanup() }
    let t = try run(["train", "--dir", ws.path, "--context", "\(context)", "--lr", "\(lr)", "--epochs", "4", "--quiet"])
    #expect(t.status == 0, "\(t.stderr)")
    let corpus = try Corpus(bytes: Array(catDog.utf8), path: "cat_dog.txt")
    let tokens = corpus.vocabulary.tokens
    let ids = corpus.tokenIDs.map(Int.init)
    let pairs = ids.count - context
    for (epoch, pair) in [(1, 1), (1, pairs), (2, 7), (4, 3), (4, pairs)] {
      let r = try run(["step", "--dir", ws.path, "--epoch", "\(epoch)", "--pair", "\(pair)", "--json", "--topk", "3"])
      #expect(r.status == 0, "\(r.stderr)")
      let j = try json(r.stdout)
      #expect(
        Set(j.keys)
          == [
            "epoch", "pair", "pairs", "context", "target", "learning_rate", "p_target", "loss", "predicted", "correct",
            "before", "after", "gradient", "explicit_columns", "shared_columns",
          ])
      let (before, after) = denseStep(ids: ids, v: tokens.count, n: context, lr: lr, epoch: epoch, pair: pair)
      let target = ids[pair - 1 + context]
      #expect(j["epoch"] as? Int == epoch && j["pair"] as? Int == pair && j["pairs"] as? Int == pairs)
      #expect(j["context"] as? [String] == ids[(pair - 1)..<(pair - 1 + context)].map { tokens[$0] })
      #expect(j["target"] as? String == tokens[target])
      #expect((j["learning_rate"] as? NSNumber)?.doubleValue == lr)
      let pt = try #require((j["p_target"] as? NSNumber)?.doubleValue)
      #expect(abs(pt - before[target]) < 1e-10)
      #expect(abs(try #require((j["loss"] as? NSNumber)?.doubleValue) + log(max(before[target], 1e-12))) < 1e-10)
      var best = 0
      for k in 0..<tokens.count where before[k] > before[best] { best = k }
      #expect(j["predicted"] as? String == tokens[best])
      #expect(j["correct"] as? Bool == (best == target))
      for (key, dense) in [("before", before), ("after", after)] {
        let list = try #require(j[key] as? [[String: Any]])
        let order = dense.indices.sorted { dense[$0] != dense[$1] ? dense[$0] > dense[$1] : $0 < $1 }.prefix(3)
        #expect(list.compactMap { $0["token"] as? String } == order.map { tokens[$0] }, "\(key)")
        for (entry, id) in zip(list, order) {
          #expect(abs(((entry["probability"] as? NSNumber)?.doubleValue ?? -1) - dense[id]) < 1e-10)
        }
      }
      let gradient = try #require(j["gradient"] as? [[String: Any]])
      #expect(gradient.contains { $0["token"] as? String == tokens[target] })
      for g in gradient {
        let id = try #require(corpus.vocabulary.id(of: g["token"] as? String ?? ""))
        let want = before[id] - (id == target ? 1 : 0)
        #expect(abs(((g["gradient"] as? NSNumber)?.doubleValue ?? 9) - want) < 1e-10)
      }
      // Columns with their own weight: the distinct targets of this context before this step.
      var seen = Set<Int>()
      for e in 1...epoch {
        for i in 0..<pairs
        where (e < epoch || i + 1 < pair)
          && Array(ids[i..<(i + context)]) == Array(ids[(pair - 1)..<(pair - 1 + context)])
        {
          seen.insert(ids[i + context])
        }
      }
      #expect(j["explicit_columns"] as? Int == seen.count)
      #expect(j["shared_columns"] as? Int == tokens.count - seen.count)
    }
  }

  @Test("step's worked example: the window, p, the loss, the gradient, the update, after")
  func stepText() throws {
    let ws = Workspace("steptext", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "3", "--quiet"]).status == 0)
    let r = try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "1"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    // Before any update the row is uniform over V = 8: p = 0.125, loss = ln 8.
    #expect(lines[0] == "epoch 1/3  pair 1/22  learning rate 0.1")
    #expect(lines[1].hasPrefix("window: the cat → sat"))
    #expect(lines.contains("p(sat | the cat) = 0.1250 → loss = −ln 0.1250 = 2.0794"))
    #expect(lines.contains("gradient = p − y: on sat = 0.1250 − 1 = −0.8750; on every other token = its p"))
    #expect(lines.contains { $0.hasPrefix("predicted: cat ") && $0.hasSuffix("→ wrong") })
    // w[sat] = 0 − 0.1·(−0.875) = 0.0875; every other weight 0 − 0.1·0.125 = −0.0125.
    #expect(lines.contains { $0.hasPrefix("  w[sat] = 0.0000 − 0.1 · (−0.8750) = 0.0875") })
    #expect(lines.contains("  shared w = 0.0000 − 0.1 · 0.1250 = −0.0125  (7 tokens)"))
    // After: e^0.0875 / (e^0.0875 + 7 e^−0.0125).
    let after = exp(0.0875) / (exp(0.0875) + 7 * exp(-0.0125))
    #expect(lines.contains("after: p(sat) = \(fixed(after, 4)) (was 0.1250)"))
  }

  @Test("step's tables pad tokens to their escaped width, so a token with control characters keeps the columns")
  func stepTableEscapedWidth() throws {
    let ws = Workspace("stepesc", corpus: "x \u{1b}]0;PWNED\u{07} y x q y\n")
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "1", "--quiet"]).status == 0)
    let r = try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "1", "--topk", "5"])
    #expect(r.status == 0, "\(r.stderr)")
    let rows = r.stdout.split(separator: "\n").map(String.init).filter { $0.contains("  p = ") }
    #expect(rows.count >= 5)
    // Every 'p =' starts in the same column; the escaped token is 16 characters wide.
    #expect(Set(rows.map { $0.components(separatedBy: "  p = ")[0].count }) == [2 + 16])
    #expect(rows.contains { $0.hasPrefix("  \\e]0;PWNED\\u{07}  p = ") })
  }

  @Test("step's tables say how many tokens they list: never more than the vocabulary")
  func stepTopOfSmallVocabulary() throws {
    let ws = Workspace("steptop", corpus: "a b c a b c a\n")
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "1", "--quiet"]).status == 0)
    let r = try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "1"])
    #expect(r.status == 0, "\(r.stderr)")
    let lines = r.stdout.split(separator: "\n").map(String.init)
    #expect(lines.contains("before the update (top 3):") && lines.contains("after the update (top 3):"))
    #expect(lines.filter { $0.contains("  p = ") }.count == 6)
  }

  @Test("step: bad epoch, bad pair, missing corpus are one-line errors")
  func stepErrors() throws {
    let ws = Workspace("steperr", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "3", "--quiet"]).status == 0)
    expectCleanFailure(
      try run(["step", "--dir", ws.path, "--epoch", "4", "--pair", "1"]),
      contains: ["invalid --epoch 4: use 1 to 3"])
    expectCleanFailure(
      try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "23"]),
      contains: ["invalid --pair 23: use 1 to 22"])
    expectCleanFailure(try run(["step", "--dir", ws.path, "--epoch", "0", "--pair", "1"]), contains: ["--epoch"])
    expectCleanFailure(try run(["step", "--dir", ws.path, "--pair", "1"]), contains: ["--epoch"])
    try FileManager.default.removeItem(at: ws.url.appendingPathComponent("corpus"))
    expectCleanFailure(
      try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "1"]), contains: ["needs the training corpus"])
  }

  @Test("step with --holdout counts only the training pairs")
  func stepHoldout() throws {
    let ws = Workspace("stephold", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "2", "--holdout", "0.25", "--quiet"]).status == 0)
    // 24 tokens, 6 held out: 18 training tokens, 16 pairs.
    let r = try run(["step", "--dir", ws.path, "--epoch", "2", "--pair", "16", "--json"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try json(r.stdout)["pairs"] as? Int == 16)
    expectCleanFailure(
      try run(["step", "--dir", ws.path, "--epoch", "1", "--pair", "17"]), contains: ["use 1 to 16"])
  }

  @Test("predict --rank: every token's rank and probability equal the sorted full distribution")
  func rank() throws {
    let ws = Workspace("rank", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--epochs", "7", "--quiet"]).status == 0)
    let model = try ArtifactStore.load(directory: ws.path).model
    let v = model.vocabulary.count
    for context in [["the", "cat"], ["sat", "on"], ["mat", "mat"]] {
      let d = model.distribution(after: try model.context(for: context))
      let p = (0..<v).map { d.probability(of: $0) }
      let order = p.indices.sorted { p[$0] != p[$1] ? p[$0] > p[$1] : $0 < $1 }
      for id in 0..<v {
        let token = model.vocabulary.tokens[id]
        let r = try run(["predict", "--dir", ws.path, "--json", "--rank", token] + context)
        #expect(r.status == 0, "\(r.stderr)")
        let rank = try #require(try json(r.stdout)["rank"] as? [String: Any])
        #expect(rank["token"] as? String == token)
        #expect(rank["rank"] as? Int == order.firstIndex(of: id)! + 1, "\(context) \(token)")
        #expect(abs(((rank["probability"] as? NSNumber)?.doubleValue ?? -1) - p[id]) < 1e-15)
      }
    }
    let text = try run(["predict", "--dir", ws.path, "--rank", "dog", "the", "cat"])
    #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("rank of dog: ") && $0.contains(" of 8, ") })
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--rank", "dgo", "the", "cat"]), contains: ["'dgo'", "did you mean"])
  }

  /// The engine tests' fixtures (NLTK's and KenLM's numbers, the reference's vocabulary).
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../NgramEngineTests/Fixtures").standardized

  /// Ranks from an oracle's full distribution: probability descending (values within `tie`
  /// of each other are tied), then id.
  static func ranks(_ p: [Double], tie: Double) -> [Int] {
    p.indices.map { i in
      1 + p.indices.filter { j in j != i && (p[j] > p[i] + tie || (abs(p[j] - p[i]) <= tie && j < i)) }.count
    }
  }

  @Test(
    "predict --model mle|add-k|kneser-ney --rank: each token's rank and probability equal NLTK's full distribution",
    arguments: [("mle", "mle"), ("add-k", "add-k"), ("kneser-ney", "kneser-ney")])
  func rankCountModels(model: String, nltkName: String) throws {
    let ws = Workspace("rank-\(model)", corpus: catDog)
    defer { ws.cleanup() }
    let nltk =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: Self.fixtures.appendingPathComponent("nltk/cat_dog.json"))) as! [String: Any]
    let nltkVocab = nltk["vocab"] as! [String]
    // Our ids are the reference's: its 01_vocabulary.csv for this corpus.
    let vocabCSV = try String(
      contentsOf: Self.fixtures.appendingPathComponent("conformance/cat_dog/expected/artifacts/01_vocabulary.csv"),
      encoding: .utf8)
    // The count models add NLTK's <UNK> after the corpus's words (ranked like any word).
    let tokens = vocabCSV.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[1]) } + ["<UNK>"]
    #expect(tokens.count == 9)
    let cases = nltk["cases"] as! [[String: Any]]
    let fitted = try #require(
      cases.first { c in
        c["model"] as? String == nltkName && c["order"] as? Int == 3
          && (nltkName != "add-k" || c["k"] as? Double == 1.0)
          && (nltkName != "kneser-ney" || c["discount"] as? Double == 0.75)
      })
    let contexts = (fitted["contexts"] as! [[String: Any]]).filter {
      ["seen", "unseen"].contains($0["kind"] as! String)
        && [["the", "cat"], ["on", "the"], ["sat", "on"], ["dog", "on"]].contains($0["context"] as! [String])
    }
    #expect(contexts.count == 4)
    for entry in contexts {
      let context = entry["context"] as! [String]
      let scores = entry["scores"] as! [Double]
      let p = tokens.map { scores[nltkVocab.firstIndex(of: $0)!] }
      let undefined = model == "mle" && p.allSatisfy { $0 == 0 }
      let want = Self.ranks(p, tie: 1e-12)
      for (id, token) in tokens.enumerated() {
        let r = try run(
          ["predict", "--dir", ws.path, "--model", model, "--context", "2", "--json", "--rank", token] + context)
        #expect(r.status == 0, "\(r.stderr)")
        let rank = try #require(try json(r.stdout)["rank"] as? [String: Any])
        #expect(rank["token"] as? String == token)
        if undefined {
          #expect(rank["rank"] is NSNull && rank["probability"] is NSNull, "\(context) \(token)")
        } else {
          #expect(rank["rank"] as? Int == want[id], "\(model) \(context) \(token)")
          #expect(abs(((rank["probability"] as? NSNumber)?.doubleValue ?? -1) - p[id]) < 1e-12)
        }
      }
    }
    let text = try run(["predict", "--dir", ws.path, "--model", model, "--context", "2", "--rank", "dog", "dog", "on"])
    let line = text.stdout.split(separator: "\n").first { $0.hasPrefix("rank of dog: ") }
    #expect(
      model == "mle"
        ? line == "rank of dog: undefined (MLE has no distribution after this context: 0/0)"
        : line?.contains(" of 9, probability ") == true)
    expectCleanFailure(
      try run(["predict", "--dir", ws.path, "--model", model, "--rank", "dgo", "the", "cat"]),
      contains: ["'dgo'", "did you mean"])
  }

  @Test("predict --arpa --rank: each word's rank and probability equal KenLM's scores (<s> is never predicted: 0)")
  func rankARPA() throws {
    let modelPath = Self.fixtures.appendingPathComponent("arpa/models/cat_dog.o3.arpa").path
    let kenlm =
      try JSONSerialization.jsonObject(
        with: Data(contentsOf: Self.fixtures.appendingPathComponent("arpa/expected/cat_dog.o3.arpa.json")))
      as! [String: Any]
    let vocab = kenlm["vocabulary"] as! [String]
    for context in [["the", "cat"], ["<s>"], ["sat", "on"], ["on", "sat"]] {
      let entry = try #require(
        (kenlm["contexts"] as! [[String: Any]]).first { ($0["context"] as! [String]) == context })
      let scores = entry["scores"] as! [Double]
      // log10 scores as KenLM gives them (7 digits): ties within 1e-6.
      let logs = vocab.indices.map { vocab[$0] == "<s>" ? -Double.infinity : scores[$0] }
      let want = Self.ranks(logs, tie: 1e-6)
      for (id, token) in vocab.enumerated() {
        let r = try run(["predict", "--arpa", modelPath, "--json", "--rank", token] + context)
        #expect(r.status == 0, "\(r.stderr)")
        let rank = try #require(try json(r.stdout)["rank"] as? [String: Any])
        #expect(rank["token"] as? String == token)
        #expect(rank["rank"] as? Int == want[id], "\(context) \(token)")
        let p = (rank["probability"] as? NSNumber)?.doubleValue ?? -1
        if token == "<s>" { #expect(p == 0) } else { #expect(abs(log10(p) - scores[id]) <= 2e-5) }
      }
    }
  }
}
