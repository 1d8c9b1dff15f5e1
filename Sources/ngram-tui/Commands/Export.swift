import ArgumentParser

import NgramEngine

/// `ngram-tui export`: the trained model as an ARPA back-off file that KenLM and SRILM read and
/// score exactly as ngram-tui does.
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Write the trained model as an ARPA file (KenLM and SRILM read it and score every token as ngram-tui does).")
  @OptionGroup var directory: DirectoryOption
  @Option(help: "The ARPA file to write (gzip-compressed when the name ends in .gz).")
  var arpa: String

  func run() throws {
    let loaded = try ArtifactStore.load(directory: directory.dir)
    let source = SGDARPAExport(model: loaded.model)
    try ARPAWriter.write(source, to: arpa)
    print(try exportSummary(path: arpa))
  }
}

/// `wrote FILE: order N (C1 1-grams, C2 2-grams, …)`, read back from the file just written.
func exportSummary(path: String) throws -> String {
  let model = try ARPAModel.load(path: path)
  let counts = model.ngramCounts.enumerated().map { "\($0.element) \($0.offset + 1)-grams" }
  return TerminalText.escape("wrote \(path): order \(model.order) (\(counts.joined(separator: ", ")))")
}
