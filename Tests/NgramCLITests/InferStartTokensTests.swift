import Foundation
import Testing

/// `infer`'s start tokens are chosen by one rule on the SGD, count and ARPA paths (the engine's
/// `LanguageModel.startContext`, the reference's `--start-tokens`): exactly n tokens (an ARPA
/// back-off model also takes fewer), too many or too few is the same one-line error, the default
/// is the model's own start (the first n corpus tokens; an ARPA file's `<s>`).
@Suite("infer: start tokens", .serialized)
struct InferStartTokensTests {
  static let arpa = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../NgramEngineTests/Fixtures/arpa/models/cat_dog.o3.arpa").standardized.path

  func trained() throws -> Workspace {
    let ws = Workspace("start", corpus: catDog)
    #expect(try run(["train", "--dir", ws.path, "--quiet"]).status == 0)
    return ws
  }

  func error(_ r: RunResult) -> String? {
    #expect(r.status != 0)
    #expect(r.stdout.isEmpty)
    return r.stderr
  }

  @Test("too few and too many start tokens: the same message on the SGD and the count paths")
  func wrongCount() throws {
    let ws = try trained()
    defer { ws.cleanup() }
    for model in [[], ["--model", "mle"], ["--model", "kneser-ney"]] {
      let few = try run(["infer", "--dir", ws.path, "--start-tokens", "the"] + model)
      #expect(
        error(few) == "ngram-tui: error: --start-tokens takes exactly 2 tokens for this model (order 3), got 1\n",
        "\(model)")
      let many = try run(["infer", "--dir", ws.path, "--start-tokens", "the", "cat", "sat"] + model)
      #expect(
        error(many) == "ngram-tui: error: --start-tokens takes exactly 2 tokens for this model (order 3), got 3\n",
        "\(model)")
    }
    let one = try run(["infer", "--dir", ws.path, "--model", "mle", "--context", "1", "--start-tokens", "the", "cat"])
    #expect(error(one) == "ngram-tui: error: --start-tokens takes exactly 1 token for this model (order 2), got 2\n")
  }

  @Test("ARPA: more than order − 1 start tokens is the same error; fewer are a shorter back-off context")
  func arpaCount() throws {
    let many = try run(["infer", "--arpa", Self.arpa, "--start-tokens", "the", "cat", "sat"])
    #expect(error(many) == "ngram-tui: error: --start-tokens takes at most 2 tokens for this model (order 3), got 3\n")
    let few = try run(["infer", "--arpa", Self.arpa, "--json", "--num-tokens", "1", "--start-tokens", "cat"])
    #expect(few.status == 0, "\(few.stderr)")
    #expect(try json(few.stdout)["start_tokens"] as? [String] == ["cat"])
  }

  @Test("an unknown start token: an error naming it on the SGD path; <UNK>/<unk> with a note on count and ARPA")
  func unknown() throws {
    let ws = try trained()
    defer { ws.cleanup() }
    let sgd = try run(["infer", "--dir", ws.path, "--start-tokens", "teh", "cat"])
    #expect(error(sgd)?.hasPrefix("ngram-tui: error: unknown token 'teh' (did you mean 'the'") == true, "\(sgd.stderr)")
    #expect(sgd.stderr.hasSuffix("?): not in the vocabulary\n"))
    let count = try run(["infer", "--dir", ws.path, "--model", "add-k", "--start-tokens", "zebra", "cat"])
    #expect(count.status == 0, "\(count.stderr)")
    #expect(count.stdout.split(separator: "\n").contains("not in the corpus, read as <UNK>: 'zebra'"))
    let arpa = try run(["infer", "--arpa", Self.arpa, "--start-tokens", "zebra", "the"])
    #expect(arpa.status == 0, "\(arpa.stderr)")
    #expect(arpa.stdout.split(separator: "\n").contains("not in the vocabulary, read as <unk>: zebra"))
  }

  @Test("without --start-tokens: the first n corpus tokens for SGD and count models, whatever n is")
  func defaults() throws {
    let ws = try trained()
    defer { ws.cleanup() }
    let first = catDog.split(separator: " ").map(String.init)
    for (args, n) in [
      ([String](), 2), (["--model", "mle"], 2), (["--model", "mle", "--context", "1"], 1),
      (["--model", "kneser-ney", "--context", "3"], 3),
    ] {
      let r = try run(["infer", "--dir", ws.path, "--json", "--num-tokens", "0"] + args)
      #expect(r.status == 0, "\(r.stderr)")
      #expect(try json(r.stdout)["start_tokens"] as? [String] == Array(first.prefix(n)), "\(args)")
    }
  }

  @Test("a unigram model's empty start is named '(no context)', as predict names it, not 'after :'")
  func unigramStartIsNamed() throws {
    let ws = Workspace("infer-uni", corpus: catDog)
    defer { ws.cleanup() }
    #expect(try run(["train", "--dir", ws.path, "--context", "0", "--epochs", "2", "--quiet"]).status == 0)
    let sgd = try run(["infer", "--dir", ws.path, "--num-tokens", "2"])
    #expect(sgd.status == 0, "\(sgd.stderr)")
    #expect(sgd.stdout.split(separator: "\n").first == "Top next-token predictions after (no context):")
    let mle = try run(["infer", "--dir", ws.path, "--model", "mle", "--context", "0", "--num-tokens", "2"])
    #expect(mle.status == 0, "\(mle.stderr)")
    #expect(mle.stdout.split(separator: "\n").first == "Top next-token predictions after (no context) (mle, order 1):")
  }
}
