/// What a key does: the action column of the key map. `AppState.perform` hands each to the
/// screen that owns it (its reducer) or does it itself when it is shared (screens, help, k).
enum Action: Equatable, Sendable {
  // Everywhere.
  /// Leave the explorer.
  case quit
  /// Show Help, or go back from it.
  case toggleHelp
  /// Leave Help for the screen it was opened from.
  case closeHelp
  /// Move through Help's rows when they do not all fit (by the key: a row, a page, the ends).
  case scrollHelp
  /// The next screen in Tab order.
  case nextScreen
  /// The previous screen in Tab order.
  case previousScreen
  /// One more / one fewer prediction listed (Explore, Generate, Compare).
  case moreK, fewerK

  // Train.
  /// Pause or resume training (or the replay).
  case togglePause
  /// While paused: one more epoch.
  case stepEpoch
  /// Show every finished epoch now.
  case skipReplay

  // The prompt of Explore and Compare.
  /// Run the typed text.
  case submit
  /// Give the prompt the keys.
  case focusPrompt
  /// Give the prompt the keys and recall the previous text.
  case focusAndRecall
  /// Give the prompt the keys and type the key's character.
  case focusAndInsert
  /// Type the key's character.
  case insert
  /// Up / Down: older / newer text from the history.
  case browseHistory
  /// Complete the partial word from the vocabulary.
  case complete
  /// Move the cursor or edit the text (by the key: arrows, Home, End, Backspace, Delete, Ctrl-U).
  case edit
  /// Take the keys away from the prompt.
  case leavePrompt

  // Explore's count column.
  /// Beside the bars: the next count-based model's probability (mle, add-k, kneser-ney, off).
  case cycleCounts

  // Compare's views.
  /// Context lengths 1–3, or SGD beside the count-based models.
  case toggleCompareModels

  // Explore's rank query.
  /// Ask for a word to rank after the context.
  case askRank
  /// Type, erase, cancel, answer.
  case rankType, rankErase, rankCancel, rankSubmit

  // Explore's time travel.
  /// Move the bars through the epochs (by the key: one epoch, a tenth, the first, the last).
  case scrub

  // Generate.
  /// One decoding step.
  case step
  /// Undo the last step.
  case undo
  /// Start again from the start window.
  case restart
  /// Greedy ↔ sampling.
  case toggleSampling
  /// Temperature −0.1 / +0.1.
  case cooler, warmer
  /// A new seed, and start again.
  case reseed
  /// Save the steps so far as a Markdown transcript.
  case saveTranscript

  // Step.
  /// The next training pair (after the last pair of an epoch: the first of the next).
  case nextPair
  /// The next pair with the same context (watch one row learn).
  case nextOccurrence
  /// The same pair one epoch earlier / later.
  case previousEpoch, nextEpoch
  /// Ask for a pair number.
  case startGoTo
  /// Type a digit of the pair number (other characters are ignored).
  case goToType
  /// Erase the last digit.
  case goToErase
  /// Stop asking for a pair number.
  case goToCancel
  /// Go to the typed pair number.
  case goToSubmit

  // Map.
  /// Move the view (by the key: arrows or h j k l).
  case pan
  /// Zoom in / out.
  case zoomIn, zoomOut
  /// Show every point again and clear the search.
  case resetMap
  /// Ask for a word to find on the map.
  case startSearch
  /// Type, erase, cancel, find.
  case searchType, searchErase, searchCancel, searchSubmit

  // Saving.
  /// Save the screen as it is shown, as text.
  case saveScreen
}

/// Which keys a binding answers.
enum KeyPattern: Sendable {
  /// Exactly this key.
  case key(Key)
  /// A printable character other than these.
  case character(except: Set<Character>)

  func matches(_ key: Key) -> Bool {
    switch (self, key) {
    case (.key(let k), _): return k == key
    case (.character(let except), .char(let c)): return !except.contains(c)
    default: return false
    }
  }
}

/// The sections of the Help screen, in order.
enum HelpSection: Int, CaseIterable, Sendable {
  case everywhere, train, prompt, generate, step, map

  /// The section's heading.
  var title: String {
    switch self {
    case .everywhere: return "Everywhere"
    case .train: return "Train"
    case .prompt: return "Explore and Compare (one shared prompt)"
    case .generate: return "Generate"
    case .step: return "Step (one training step under the microscope)"
    case .map: return "Map (the points of artifacts/03_token_embeddings.csv)"
    }
  }
}

/// One row of the Help screen: how the keys are written and what they do.
struct HelpRow: Sendable {
  let section: HelpSection
  let keys: String
  let text: String
}

/// One binding: keys, the screens where they apply (none: everywhere) and when, the action,
/// its row on the Help screen (a row may describe the bindings after it too), its hint in
/// the footer of its screens and its hint under the prompt of Explore and Compare (nil where
/// the footer or the header leaves it out).
struct Binding: Sendable {
  let keys: [KeyPattern]
  let screens: Set<Screen>
  let when: @Sendable (AppState) -> Bool
  let action: Action
  let help: HelpRow?
  let footer: @Sendable (AppState) -> String?
  let header: @Sendable (AppState) -> String?

  init(
    _ keys: [KeyPattern], on screens: Set<Screen> = [], when: @escaping @Sendable (AppState) -> Bool = { _ in true },
    _ action: Action, help: HelpRow? = nil, footer: @escaping @Sendable (AppState) -> String? = { _ in nil },
    header: @escaping @Sendable (AppState) -> String? = { _ in nil }
  ) {
    self.keys = keys
    self.screens = screens
    self.when = when
    self.action = action
    self.help = help
    self.footer = footer
    self.header = header
  }

  /// Whether the binding applies in `state` (screen and condition; not the key).
  func applies(in state: AppState) -> Bool {
    (screens.isEmpty || screens.contains(state.screen)) && when(state)
      && !(!state.profile.trainsOnCorpus && action.needsTraining)
  }
}

/// The key map: every binding of the explorer, written once. The first binding (in this order)
/// whose key, screen and condition match a key press gets it; the footer lists, in this order,
/// the hints of the bindings that apply; the Help screen lists the rows section by section, in
/// this order.
enum KeyMap {
  static let bindings: [Binding] = train + prompt + generate + step + map + helpScreen + everywhere

  // MARK: Train

  static let train: [Binding] = [
    Binding(
      [.key(.char(" "))], on: [.train], .togglePause,
      help: HelpRow(section: .train, keys: "Space / n", text: "pause/resume / while paused: run one more epoch"),
      footer: { $0.train.paused ? "Space resume" : "Space pause" }),
    Binding([.key(.char("n"))], on: [.train], .stepEpoch, footer: { $0.train.paused ? "n step one epoch" : nil }),
    Binding(
      [.key(.char("s"))], on: [.train], .skipReplay,
      help: HelpRow(section: .train, keys: "s", text: "skip the paced replay: show every finished epoch now"),
      footer: { _ in "s skip replay" }),
  ]

  // MARK: The prompt of Explore and Compare

  static let promptScreens: Set<Screen> = [.explore, .compare]

  /// What the line under the prompt of Explore and Compare is about.
  enum PromptHint: Equatable, Sendable {
    /// The prompt is left: how to return to it, and the other keys.
    case left
    /// The prompt is left with a prediction to travel through its epochs (Explore).
    case leftWithHistory(finalEpoch: Int)
    /// The prompt is empty with such a prediction: the keys that move through the epochs.
    case scrubbing(finalEpoch: Int)
    /// The prompt has the keys.
    case typing
  }

  /// The line under the prompt in `s` (nil off the prompt screens, or while a note shows there).
  @Sendable static func promptHint(_ s: AppState) -> PromptHint? {
    guard promptScreens.contains(s.screen), s.explore.note == nil else { return nil }
    let final: Int? =
      s.canScrub ? { if case .prediction(let p)? = s.explore.result { p.finalEpoch } else { nil } }() : nil
    if !s.explore.focused { return final.map { .leftWithHistory(finalEpoch: $0) } ?? .left }
    if let f = final, s.explore.input.isEmpty { return .scrubbing(finalEpoch: f) }
    return .typing
  }

  /// Whether the line under the prompt shows the keys of a left prompt.
  @Sendable static func promptLeft(_ s: AppState) -> Bool {
    switch promptHint(s) {
    case .left?, .leftWithHistory?: return true
    default: return false
    }
  }

  /// Whether a key that can also move through the epochs does so: on Explore, with a history
  /// to travel through, when the prompt does not have the keys or is empty.
  @Sendable static func scrubs(_ s: AppState) -> Bool {
    s.canScrub && (!s.isTyping || s.explore.input.isEmpty)
  }

  static let prompt: [Binding] = [
    Binding([.key(.enter)], on: [.explore], when: { $0.askingRank }, .rankSubmit),
    Binding([.key(.escape)], on: [.explore], when: { $0.askingRank }, .rankCancel),
    Binding([.key(.backspace), .key(.delete)], on: [.explore], when: { $0.askingRank }, .rankErase),
    Binding([.character(except: [])], on: [.explore], when: { $0.askingRank }, .rankType),
    Binding(
      [.key(.char("r"))], on: [.explore], when: { $0.canAskRank }, .askRank,
      help: HelpRow(section: .prompt, keys: "r", text: "prompt left: a word's rank and probability after it")),
    Binding(
      [.key(.enter)], on: promptScreens, when: { $0.isTyping }, .submit,
      help: HelpRow(section: .prompt, keys: "Enter", text: "predict from the last n tokens (Compare: n = 1, 2, 3)"),
      footer: { !$0.isTyping ? nil : $0.screen == .compare ? "Enter compare" : "Enter predict" },
      header: { s in
        guard case .typing? = promptHint(s) else { return nil }
        if s.screen == .compare && s.compare.showModels {
          let n = s.info.contextLength
          return "type text, Enter: each model reads its last \(n) token\(n == 1 ? "" : "s")"
        }
        if s.screen == .compare { return "type text, Enter: the last 1, 2, 3 tokens are the contexts" }
        let n = s.info.contextLength
        if let hint = s.profile.promptHint { return hint }
        return "type \(n == 0 ? "anything (unigram: no context)" : "\(n) token\(n == 1 ? "" : "s")"), then Enter"
      }),
    Binding(
      [.key(.enter), .key(.char("/"))], on: promptScreens, when: { !$0.isTyping }, .focusPrompt,
      footer: { $0.isTyping ? nil : $0.canScrub ? "Enter or / edit" : "Enter or / edit prompt" },
      header: { promptLeft($0) ? "prompt inactive: Enter or / to type" : nil }),
    Binding(
      [.key(.char("<")), .key(.char(">"))], on: [.explore], when: scrubs, .scrub,
      footer: { $0.canScrub ? ($0.isTyping ? "< > epochs" : "< > Home End epochs") : nil },
      header: { s in
        switch promptHint(s) {
        case .leftWithHistory(let f)?: return "< > Home End: epochs 0-\(f)"
        case .scrubbing?: return "< >: epoch -/+1"
        default: return nil
        }
      }),
    Binding(
      [.key(.up), .key(.down)], on: promptScreens, when: { $0.isTyping }, .browseHistory,
      help: HelpRow(
        section: .prompt, keys: "Up/Down  Tab", text: "history; complete a word (after a space: next screen)"),
      footer: { $0.isTyping ? "Up/Down history" : nil },
      header: { s in if case .typing? = promptHint(s), s.screen == .explore { "Up/Down history" } else { nil } }),
    Binding([.key(.up)], on: promptScreens, when: { !$0.isTyping }, .focusAndRecall),
    Binding(
      [.key(.tab)], on: promptScreens, when: { $0.isTyping && $0.explore.partialWord != nil }, .complete,
      footer: { $0.isTyping ? "Tab complete" : nil },
      header: { s in
        guard case .typing? = promptHint(s) else { return nil }
        return s.screen == .compare ? "Tab completes" : "Tab completes a word"
      }),
    Binding(
      [.key(.left), .key(.right), .key(.home), .key(.end)], on: promptScreens,
      when: { $0.isTyping && !scrubs($0) }, .edit,
      help: HelpRow(section: .prompt, keys: "Left/Right Home End", text: "move; Backspace, Delete and Ctrl-U edit")),
    Binding([.key(.backspace), .key(.delete), .key(.ctrlU)], on: promptScreens, when: { $0.isTyping }, .edit),
    Binding(
      [.key(.escape)], on: promptScreens, when: { $0.isTyping }, .leavePrompt,
      help: HelpRow(section: .prompt, keys: "Esc", text: "leave the prompt (then q quits; Enter or / return)"),
      footer: { $0.isTyping ? "Esc leave prompt" : nil }),
    Binding(
      [.key(.char("+"))], on: promptScreens, when: { !$0.isTyping || $0.explore.input.isEmpty }, .moreK,
      help: HelpRow(
        section: .prompt, keys: "+ / -   =", text: "more/fewer predictions; = mle/add-k/kneser-ney column"),
      footer: { $0.isTyping ? nil : "+/- k" },
      header: { s in if case .left? = promptHint(s) { "+/- change k" } else { nil } }),
    Binding([.key(.char("-"))], on: promptScreens, when: { !$0.isTyping || $0.explore.input.isEmpty }, .fewerK),
    Binding(
      [.key(.char("="))], on: [.explore], when: { !$0.isTyping || $0.explore.input.isEmpty }, .cycleCounts,
      help: nil),
    Binding(
      [.key(.char("="))], on: [.compare], when: { !$0.isTyping || $0.explore.input.isEmpty }, .toggleCompareModels,
      help: HelpRow(section: .prompt, keys: "= (Compare)", text: "context lengths / sgd vs mle, add-k, kneser-ney"),
      footer: { s in !s.isTyping && s.compare.showModels ? "= lengths" : nil },
      header: { s in
        guard s.compare.showModels, case .typing? = promptHint(s) else { return nil }
        return "= context lengths"
      }),
    Binding(
      [.key(.pageUp), .key(.pageDown)], on: [.explore], when: { $0.canScrub }, .scrub,
      help: HelpRow(
        section: .prompt, keys: "< >  PgUp PgDn", text: "bars back/forward one epoch / a tenth of the epochs"),
      header: { s in
        if case .scrubbing(let f)? = promptHint(s) { "PgUp PgDn: -/+\(max(1, f / 10))" } else { nil }
      }),
    Binding(
      [.key(.home), .key(.end), .key(.left), .key(.right)], on: [.explore], when: scrubs, .scrub,
      help: HelpRow(
        section: .prompt, keys: "Home End Left Right", text: "prompt empty: epoch 0 / trained model / one epoch"),
      header: { s in if case .scrubbing(let f)? = promptHint(s) { "Home End: 0 / \(f)" } else { nil } }),
    Binding(
      [.character(except: [])], on: promptScreens, when: { $0.isTyping }, .insert,
      header: { s in if case .scrubbing? = promptHint(s) { "or type a new context" } else { nil } }),
    Binding([.character(except: [" ", "q", "?"])], on: promptScreens, when: { !$0.isTyping }, .focusAndInsert),
  ]

  // MARK: Generate

  static let generate: [Binding] = [
    Binding(
      [.key(.char(" "))], on: [.generate], .step,
      help: HelpRow(section: .generate, keys: "Space", text: "one step: greedy argmax (or a sample in sampling mode)"),
      footer: { _ in "Space step" }),
    Binding(
      [.key(.backspace)], on: [.generate], .undo,
      help: HelpRow(
        section: .generate, keys: "Backspace / c", text: "undo the last step / restart from the start window"),
      footer: { _ in "Backspace undo" }),
    Binding([.key(.char("c"))], on: [.generate], .restart, footer: { _ in "c restart" }),
    Binding(
      [.key(.char("m"))], on: [.generate], .toggleSampling,
      help: HelpRow(
        section: .generate, keys: "m  [  ]  r", text: "sampling on/off; temperature -/+ 0.1; new seed+restart"),
      footer: { _ in "m mode" }),
    Binding([.key(.char("["))], on: [.generate], .cooler, footer: { _ in "[ ] temperature" }),
    Binding([.key(.char("]"))], on: [.generate], .warmer),
    Binding([.key(.char("r"))], on: [.generate], .reseed, footer: { _ in "r seed" }),
    Binding(
      [.key(.char("w"))], on: [.generate], .saveTranscript,
      help: HelpRow(
        section: .generate, keys: "w", text: "save the steps as Markdown (outputs/generate-N.md)")),
    Binding(
      [.key(.char("+"))], on: [.generate], .moreK,
      help: HelpRow(section: .generate, keys: "+ / -", text: "more / fewer bars")),
    Binding([.key(.char("-"))], on: [.generate], .fewerK),
  ]

  // MARK: Step

  /// Whether the Step screen is asking for a pair number (then it takes the typing keys).
  @Sendable static func askingPair(_ s: AppState) -> Bool { s.step.goTo != nil }

  static let step: [Binding] = [
    Binding(
      [.key(.char(" ")), .key(.char("n"))], on: [.step], when: { !askingPair($0) }, .nextPair,
      help: HelpRow(section: .step, keys: "Space / n", text: "the next training pair (corpus order)"),
      footer: { askingPair($0) ? nil : "Space next pair" }),
    Binding(
      [.key(.char("o"))], on: [.step], when: { !askingPair($0) }, .nextOccurrence,
      help: HelpRow(section: .step, keys: "o", text: "next pair with this context: watch one row learn"),
      footer: { askingPair($0) ? nil : "o same context" }),
    Binding(
      [.key(.char("[")), .key(.char("<"))], on: [.step], when: { !askingPair($0) }, .previousEpoch,
      help: HelpRow(section: .step, keys: "[ ]  or  < >", text: "the same pair one epoch earlier / later"),
      footer: { askingPair($0) ? nil : "[ ] epoch" }),
    Binding([.key(.char("]")), .key(.char(">"))], on: [.step], when: { !askingPair($0) }, .nextEpoch),
    Binding(
      [.key(.char("g"))], on: [.step], when: { !askingPair($0) }, .startGoTo,
      help: HelpRow(section: .step, keys: "g 123 Enter", text: "go to a pair number (Esc cancels)"),
      footer: { askingPair($0) ? nil : "g go to pair" }),
    Binding(
      [.key(.enter)], on: [.step], when: askingPair, .goToSubmit,
      footer: { askingPair($0) ? "Enter go" : nil }),
    Binding([.key(.backspace), .key(.delete)], on: [.step], when: askingPair, .goToErase),
    Binding(
      [.key(.escape)], on: [.step], when: askingPair, .goToCancel,
      footer: { askingPair($0) ? "Esc cancel" : nil }),
    Binding([.character(except: [])], on: [.step], when: askingPair, .goToType),
  ]

  // MARK: Map

  /// Whether the Map screen is asking for a word (then it takes the typing keys).
  @Sendable static func searchingMap(_ s: AppState) -> Bool { s.screen == .map && s.map.query != nil }

  static let map: [Binding] = [
    Binding(
      [.key(.enter)], on: [.map], when: searchingMap, .searchSubmit, footer: { searchingMap($0) ? "Enter find" : nil }),
    Binding(
      [.key(.escape)], on: [.map], when: searchingMap, .searchCancel,
      footer: { searchingMap($0) ? "Esc cancel" : nil }),
    Binding([.key(.backspace), .key(.delete)], on: [.map], when: searchingMap, .searchErase),
    Binding([.character(except: [])], on: [.map], when: searchingMap, .searchType),
    Binding(
      [
        .key(.left), .key(.right), .key(.up), .key(.down), .key(.char("h")), .key(.char("j")), .key(.char("k")),
        .key(.char("l")),
      ], on: [.map], .pan,
      help: HelpRow(section: .map, keys: "arrows / h j k l", text: "pan an eighth of the view"),
      footer: { searchingMap($0) ? nil : "arrows/hjkl pan" }),
    Binding(
      [.key(.char("+")), .key(.char("="))], on: [.map], .zoomIn,
      help: HelpRow(section: .map, keys: "+ / -", text: "zoom in / out (x2, around the centre)"),
      footer: { searchingMap($0) ? nil : "+/- zoom" }),
    Binding([.key(.char("-")), .key(.char("_"))], on: [.map], .zoomOut),
    Binding(
      [.key(.char("0"))], on: [.map], .resetMap,
      help: HelpRow(section: .map, keys: "0", text: "every point again; clear the search"),
      footer: { searchingMap($0) ? nil : "0 reset" }),
    Binding(
      [.key(.char("/"))], on: [.map], .startSearch,
      help: HelpRow(section: .map, keys: "/ word Enter", text: "light up a word's points, centre on them; Esc cancels"),
      footer: { searchingMap($0) ? nil : "/ find" }),
  ]

  // MARK: Help

  static let helpScreen: [Binding] = [
    Binding([.key(.escape), .key(.enter)], on: [.help], .closeHelp, footer: { _ in "Esc or ? back" }),
    Binding(
      [.key(.up), .key(.down), .key(.pageUp), .key(.pageDown), .key(.home), .key(.end)], on: [.help], .scrollHelp,
      footer: { $0.helpMaxScroll > 0 ? "Up/Down PgUp/PgDn scroll" : nil }),
  ]

  // MARK: Everywhere

  static let everywhere: [Binding] = [
    Binding(
      [.key(.tab)], .nextScreen,
      help: HelpRow(
        section: .everywhere, keys: "Tab / Shift-Tab", text: "next / previous screen, in the order of the tabs"),
      footer: { s in
        if s.isTyping || s.screen == .generate || s.screen == .step || searchingMap(s) { return nil }
        if s.screen == .help { return "Tab next screen" }
        return "Tab " + s.neighbour(+1).title.lowercased()
      },
      header: { s in if case .left? = promptHint(s) { "Tab next screen" } else { nil } }),
    Binding(
      [.key(.backTab)], .previousScreen,
      footer: { s in
        if s.isTyping || !(s.screen == .compare || (s.screen == .explore && !s.canScrub)) { return nil }
        return "Shift-Tab " + s.neighbour(-1).title.lowercased()
      }),
    Binding(
      [.key(.char("?"))], when: { !$0.isTyping }, .toggleHelp,
      help: HelpRow(section: .everywhere, keys: "? or F1", text: "this help (again, or Esc, to go back)"),
      footer: { s in
        s.isTyping || s.screen == .generate || s.screen == .help || askingPair(s) || searchingMap(s) ? nil : "? help"
      }),
    Binding([.key(.f1)], .toggleHelp),
    Binding(
      [.key(.f2)], .saveScreen,
      help: HelpRow(section: .everywhere, keys: "F2", text: "save this screen as text (outputs/screen-N.txt)")),
    Binding(
      [.key(.char("q"))], when: { !$0.isTyping }, .quit,
      help: HelpRow(
        section: .everywhere, keys: "q / Ctrl-C", text: "quit (q: not while typing; Ctrl-C: from anywhere)"),
      footer: { $0.isTyping || askingPair($0) || searchingMap($0) ? nil : "q quit" },
      header: { promptLeft($0) ? "q quit" : nil }),
    Binding([.key(.ctrlC)], .quit, footer: { $0.isTyping && !$0.canScrub ? "Ctrl-C quit" : nil }),
  ]

  /// The binding a key press gets in `state`, if any.
  static func binding(for key: Key, in state: AppState) -> Binding? {
    bindings.first { b in b.keys.contains { $0.matches(key) } && b.applies(in: state) }
  }

  /// The footer: the hints of the bindings of the screen on top, in key-map order (each hint
  /// says itself when it shows).
  static func footer(_ state: AppState) -> String {
    bindings.compactMap { b in
      (b.screens.isEmpty || b.screens.contains(state.screen))
        && !(!state.profile.trainsOnCorpus && b.action.needsTraining)
        ? b.footer(state) : nil
    }
    .joined(separator: "  ")
  }

  /// The hints under the prompt of Explore and Compare, in key-map order (each hint says itself
  /// when it shows; none while a note shows there).
  static func header(_ state: AppState) -> [String] {
    bindings.compactMap { b in b.screens.isEmpty || b.screens.contains(state.screen) ? b.header(state) : nil }
  }

  /// Everything the header hints depend on besides the session's constants (its context length
  /// and model profile): equal keys, equal hints. `AppState` keeps the hints of the last key.
  struct HeaderKey: Equatable, Sendable {
    let screen: Screen
    let prompt: PromptHint?
    let showModels: Bool
  }

  /// The key of `state`'s header hints (constant time).
  static func headerKey(_ state: AppState) -> HeaderKey {
    HeaderKey(screen: state.screen, prompt: promptHint(state), showModels: state.compare.showModels)
  }

  /// The Help screen's rows, section by section.
  static var helpSections: [(HelpSection, [HelpRow])] {
    HelpSection.allCases.map { section in (section, bindings.compactMap(\.help).filter { $0.section == section }) }
  }
}

extension Action {
  /// Whether the action needs a model trained here (training, its corpus counts, its replay):
  /// none of these apply to an ARPA model, so their keys do nothing and their hints are hidden.
  var needsTraining: Bool {
    switch self {
    case .togglePause, .stepEpoch, .skipReplay, .cycleCounts, .scrub, .toggleCompareModels: return true
    default: return false
    }
  }
}
