import Foundation
import NgramEngine
import Testing

@testable import NgramTUI

/// Issue 11: the explorer saves the screen as text (F2) and Generate's steps as Markdown (w).
@Suite struct SavingTests {
  @Test func f2AsksToSaveTheScreenAndTheFileIsTheScreensText() throws {
    var s = Fixture.state()
    let commands = s.handle(.f2)
    #expect(commands == [.save(SaveRequest(prefix: "screen", ext: "txt", contents: nil))])
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ngram-save-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let grid = Render.frame(s, width: 80, height: 24)
    let request = SaveRequest(prefix: "screen", ext: "txt", contents: nil)
    let first = Saving.save(grid.plainText, request, directory: dir.path)
    #expect(first == "saved \(dir.path)/outputs/screen-1.txt")
    // A second save never replaces the first.
    #expect(Saving.save("other\n", request, directory: dir.path) == "saved \(dir.path)/outputs/screen-2.txt")
    let text = try String(contentsOfFile: dir.path + "/outputs/screen-1.txt", encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.count == 25)  // 24 rows and the final newline
    #expect(lines[0].hasPrefix(" ngram-tui   Train   Explore"))
    // Each line is the row's text as the snapshot shows it, trailing blanks dropped.
    let rendered = Snapshot.render(grid).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    for row in 0..<24 {
      var want = rendered[1 + 2 * row]
      while want.hasSuffix(" ") { want.removeLast() }
      #expect(String(lines[row]) == want, "row \(row)")
    }
  }

  @Test func savingIntoAnUnwritablePlaceSaysWhy() {
    let msg = Saving.save("x", SaveRequest(prefix: "screen", ext: "txt", contents: nil), directory: "/proc/no-such-dir")
    #expect(msg.hasPrefix("could not save: cannot create /proc/no-such-dir/outputs: "))
  }

  @Test func theNoticeShowsInTheFooterUntilTheNextKey() {
    var s = Fixture.state()
    s.show(.generate)
    #expect(s.handle(.char("w")).isEmpty)
    #expect(s.notice == "nothing to save yet: take a step with Space first")
    let grid = Render.frame(s, width: 80, height: 24)
    #expect(Snapshot.render(grid).contains(" nothing to save yet: take a step with Space first"))
    _ = s.handle(.char(" "))
    #expect(s.notice == nil)
  }

  @Test func generateTranscriptListsEachStepsContextTopKAndChoice() throws {
    var s = Fixture.state(topK: 3)
    s.show(.generate)
    for _ in 0..<4 { _ = s.handle(.char(" ")) }
    let commands = s.handle(.char("w"))
    guard case .save(let request)? = commands.first, let md = request.contents else {
      Issue.record("expected a save with contents, got \(commands)")
      return
    }
    #expect(request.prefix == "generate" && request.ext == "md")
    let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines[0] == "# ngram-tui generation transcript")
    #expect(lines.contains("| step | context | top 3 | chosen |"))
    // Each row: the window, the model's top 3 with percentages, the greedy choice.
    let m = Fixture.run.model
    let tokens = m.vocabulary.tokens
    var window = Array(Fixture.run.corpus.tokenIDs.prefix(2).map(Int.init))
    let chosen = m.generate(start: window, count: 4)
    for step in 0..<4 {
      let d = m.distribution(context: window)
      let top = d.top(3).map { "\(tokens[$0.id]) \(String(format: "%.1f", 100 * $0.probability))%" }
      let want =
        "| \(step + 1) | \(window.map { tokens[$0] }.joined(separator: " ")) | \(top.joined(separator: ", ")) | **\(tokens[chosen[step]])** \(String(format: "%.1f", 100 * d.probability(of: chosen[step])))% (greedy) |"
      #expect(lines.contains(want), "missing: \(want)")
      window = [window[1], chosen[step]]
    }
    let text = (Fixture.run.corpus.tokenIDs.prefix(2).map { tokens[Int($0)] } + chosen.map { tokens[$0] })
    #expect(lines.contains("Text: " + text.joined(separator: " ")))
  }

  @Test func markdownSpecialCharactersInTokensAreEscaped() {
    let corpus = try! Corpus(bytes: Array("a|b *c* a|b *c* x".utf8), path: "t.txt")
    let model = try! Trainer(corpus: corpus, config: TrainingConfig(epochs: 3)).train(workers: 1).model
    var g = GenerateState()
    g.reset(start: try! model.ids(for: ["a|b", "*c*"]), origin: "test", version: 0)
    g.step(model: model)
    let info = SessionInfo(
      corpusName: "t.txt", directory: ".", tokens: 5, vocabSize: 4, pairs: 3, contexts: 3, contextLength: 2,
      learningRate: 0.1, epochs: 3)
    let md = g.transcript(tokens: model.vocabulary.tokens, info: info, topK: 2)
    #expect(md.contains("| 1 | a\\|b \\*c\\* | "))
    #expect(!md.contains("| a|b"))
  }
}
