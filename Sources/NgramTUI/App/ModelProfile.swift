import NgramEngine

/// What the screens say about the model explored beyond what `LanguageModel` answers, made once
/// where the session is made (`AppState.init`): the one place that knows whether the model is
/// trained here on a corpus or read from a file. The screens ask this and the protocol (context
/// length, shorter contexts, the context used, distributions), never the model's type.
struct ModelProfile: Sendable {
  /// The model's name in one word, for lines that name it ("SGD rank of …").
  let name: String
  /// Whether the model is trained here on a corpus: Train shows the run; the corpus columns,
  /// time travel, Compare, Step and Map apply. Otherwise only Train (the description), Explore
  /// and Generate do.
  let trainsOnCorpus: Bool
  /// The status bar's label for a model that does not train (nil: the training status).
  let status: String?
  /// The `ngram-tui infer` options that select the model, with a trailing space ("" for DIR's).
  let inferOptions: String
  /// Where Generate's default start comes from, for its label.
  let startOrigin: String
  /// Explore's text before the first answer (nil: the corpus one, naming an example context).
  let exploreIntro: String?
  /// The prompt's hint while typing on Explore (nil: "type n tokens, then Enter").
  let promptHint: String?
  /// What Train shows instead of a run, for a model that does not train.
  let description: ModelDescription?

  /// The SGD model trained here.
  static let trained = ModelProfile(
    name: "SGD", trainsOnCorpus: true, status: nil, inferOptions: "",
    startOrigin: "the corpus's first tokens (meta start_tokens)", exploreIntro: nil, promptHint: nil,
    description: nil)

  /// An ARPA file's model (`ngram-tui --arpa FILE`).
  init(arpa: ARPAModel) {
    let n = arpa.order - 1
    let words = "\(n) word\(n == 1 ? "" : "s")"
    name = "ARPA"
    trainsOnCorpus = false
    status = "ARPA order \(arpa.order)"
    inferOptions = "--arpa \(Shell.quote(arpa.path)) "
    startOrigin = arpa.sentenceStartID == nil ? "no context (the file has no <s>)" : "the sentence start <s>"
    exploreIntro =
      "Ask the ARPA model what comes next: type up to \(words) (the last \(n) count; <s> means the start of a sentence; words outside the vocabulary are read as <unk>) and press Enter, or just Enter for no context. The bars show the probability of every word after it, exactly as KenLM scores it (back-off through the lower orders); beside them, each one's log10 probability."
    promptHint = "type up to \(words) (<s> = sentence start), then Enter"
    let sep = "   "
    description = ModelDescription(
      heading: "ARPA model \(TerminalText.escape(arpa.path))",
      facts: "order \(arpa.order)" + sep + "vocabulary \(Format.count(arpa.vocabulary.count))" + sep
        + (arpa.hasUnknown ? "<unk> listed" : "<unk> added at log10 -100") + sep
        + "<s> \(arpa.sentenceStartID == nil ? "absent" : "listed")" + sep
        + "</s> \(arpa.sentenceEndID == nil ? "absent" : "listed")",
      ngramCounts: arpa.ngramCounts,
      note:
        "Nothing to train: the probabilities are the file's, scored exactly as KenLM scores them: the longest listed n-gram ending in the word, plus the back-off weights of the longer context suffixes. The context read is the last \(words). Explore asks for the next word after any context; Generate decodes from <s>, one word per key. Training, Compare, Step, time travel and the corpus columns do not apply."
    )
  }

  private init(
    name: String, trainsOnCorpus: Bool, status: String?, inferOptions: String, startOrigin: String,
    exploreIntro: String?, promptHint: String?, description: ModelDescription?
  ) {
    self.name = name
    self.trainsOnCorpus = trainsOnCorpus
    self.status = status
    self.inferOptions = inferOptions
    self.startOrigin = startOrigin
    self.exploreIntro = exploreIntro
    self.promptHint = promptHint
    self.description = description
  }
}

/// A model read from a file, as Train shows it instead of a run: a heading, a line of facts,
/// the n-grams listed per order, and a note on what the screens do with it.
struct ModelDescription: Sendable, Equatable {
  let heading: String
  let facts: String
  /// How many n-grams of each order the model lists (index 0: 1-grams).
  let ngramCounts: [Int]
  let note: String
}
