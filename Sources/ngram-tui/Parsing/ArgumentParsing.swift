// Reads a command's arguments into the command, as its declarations say.

/// The parser: one pass over the arguments, no reflection.
///
/// Rules: `--name value` and `--name=value`; a value may start with `-` when it is a number
/// (`--lr -1` reaches the range check), while any other argument starting with `-` is an option;
/// `--` ends the options (everything after it is positional); `-h`/`--help` and `--version`
/// are handled by `NgramCommand.parse` before this runs.
enum ArgumentParsing {
  /// Whether `text` is an option (`--dir`, `-x`, `--`) rather than a value: it starts with `-`,
  /// is more than `-` and is not a number.
  static func isOption(_ text: String) -> Bool {
    text.hasPrefix("-") && text.count > 1 && Double(text) == nil
  }

  /// `C` with the values of `arguments`, checked (its option groups' `validate()`, then its own).
  static func parse<C: Command>(_ type: C.Type, _ arguments: [String]) throws -> C {
    var command = C()
    let entries = C.arguments
    let declarations = entries.flatMap(\.declarations)
    let options = declarations.filter { !$0.isPositional }
    var given = Set<String>()
    var positionals: [String] = []
    var onlyPositionals = false
    var i = 0
    while i < arguments.count {
      let arg = arguments[i]
      i += 1
      if onlyPositionals || !isOption(arg) {
        positionals.append(arg)
        continue
      }
      if arg == "--" {
        onlyPositionals = true
        continue
      }
      let body = arg.hasPrefix("--") ? arg.dropFirst(2) : arg.dropFirst()
      let equals = arg.hasPrefix("--") ? body.firstIndex(of: "=") : nil
      let name = String(equals.map { body[..<$0] } ?? body)
      let inline = equals.map { String(body[body.index(after: $0)...]) }
      guard arg.hasPrefix("--"), let option = options.first(where: { $0.name == name }) else {
        throw UsageError("Unknown option '\(arg)'" + suggestion(for: name, among: options.map { "--" + $0.name }))
      }
      given.insert(name)
      switch option.kind {
      case .flag:
        if let inline {
          throw UsageError("The option '--\(name)' does not take any value, but '\(inline)' was specified.")
        }
        _ = option.assign(&command, "")
      case .option(let parsing):
        let value: String
        if let inline {
          value = inline
        } else if i < arguments.count, !isOption(arguments[i]) {
          value = arguments[i]
          i += 1
        } else {
          throw UsageError("Missing value for '\(option.label)'")
        }
        guard option.assign(&command, value) else { throw invalidValue(value, option) }
        if case .upToNextOption = parsing {
          while i < arguments.count, !isOption(arguments[i]), option.assign(&command, arguments[i]) { i += 1 }
        }
      case .positional:
        break
      }
    }
    if let list = declarations.first(where: \.isPositional) {
      for text in positionals where !list.assign(&command, text) { throw invalidValue(text, list) }
    } else if let extra = positionals.first {
      throw UsageError("Unexpected argument '\(extra)'")
    }
    for d in options where d.isRequired && !given.contains(d.name) {
      throw UsageError("Missing expected argument '\(d.label)'")
    }
    for check in entries.flatMap(\.validators) { try check(command) }
    try command.validate()
    return command
  }

  /// `The value 'x' is invalid for '--weights <weights>'. Please provide one of …`
  static func invalidValue<Root>(_ text: String, _ d: ArgumentDeclaration<Root>) -> UsageError {
    var message = "The value '\(text)' is invalid for '\(d.label)'"
    if let allowed = d.allowedValues {
      message += ". Please provide one of \(listed(allowed.map { "'\($0)'" }, last: "or"))."
    }
    return UsageError(message)
  }

  /// `a, b or c`.
  static func listed(_ items: [String], last: String) -> String {
    guard items.count > 1 else { return items.first ?? "" }
    return items.dropLast().joined(separator: ", ") + " \(last) " + items[items.count - 1]
  }

  /// `. Did you mean '--lr'?` when one of `names` is close to `typed` (its dashes aside: the
  /// same for up to 2 letters, 2 edits for up to 6, a third of the letters beyond), else nothing.
  static func suggestion(for typed: String, among names: [String]) -> String {
    let bare = typed.drop { $0 == "-" }
    let allowed = bare.count <= 2 ? 0 : bare.count <= 6 ? 2 : bare.count / 3
    let scored = names.map { (name: $0, distance: editDistance(Array(bare), Array($0.drop { $0 == "-" }))) }
    guard let best = scored.min(by: { $0.distance < $1.distance }), best.distance <= allowed else { return "" }
    return ". Did you mean '\(best.name)'?"
  }

  /// Levenshtein distance between two strings' characters.
  static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    guard !a.isEmpty else { return b.count }
    var previous = Array(0...b.count)
    for (i, x) in a.enumerated() {
      var current = [i + 1]
      for (j, y) in b.enumerated() {
        current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
      }
      previous = current
    }
    return previous[b.count]
  }
}
