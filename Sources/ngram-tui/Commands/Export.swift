import NgramEngine

/// `ngram-tui export`: the trained model as an ARPA back-off file that KenLM and SRILM read and
/// score exactly as ngram-tui does.
struct Export: Command {
  static let name = "export"
  static let abstract =
    "Write the trained model (or --model mle|add-k|kneser-ney) as an ARPA file (KenLM reads it and scores every token as ngram-tui does)."
  var directory = DirectoryOption()
  var arpa = ""
  var counts = CountModelOptions()

  static var arguments: [Argument<Self>] {
    [
      .group(\.directory),
      .option(
        "arpa", \.arpa, required: true, help: "The ARPA file to write (gzip-compressed when the name ends in .gz)."),
      .group(\.counts),
    ]
  }

  func run() throws {
    if let estimator = counts.estimator {
      // A count-based model fitted on DIR's corpus (as predict --model fits it).
      let fitted = try FittedCountModel(directory: directory.dir, estimator: estimator, context: counts.context)
      try ARPAWriter.write(try CountARPAExport(model: fitted.model), to: arpa)
      print(try exportSummary(path: arpa))
      return
    }
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
