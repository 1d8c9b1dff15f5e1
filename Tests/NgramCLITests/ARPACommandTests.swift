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

  @Test func predictARPARefusesSGDOnlyOptions() throws {
    let model = Self.fixtures.appendingPathComponent("models/cat_dog.o3.arpa").path
    let r = try run(["predict", "--arpa", model, "--epoch", "1", "the"])
    #expect(r.status != 0)
    #expect(
      r.stderrLines.first
        == "ngram-tui: error: --arpa answers with the ARPA file alone: leave out --model, --epoch, --backoff and --rank (see ngram-tui --help)"
    )
  }
}
