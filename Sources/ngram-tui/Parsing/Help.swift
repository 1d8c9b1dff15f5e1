// The help text of the root command and of each subcommand, wrapped to 80 columns.

enum Help {
  static let width = 80
  /// The column where an option's help starts.
  static let helpColumn = 26

  /// `OVERVIEW`, `USAGE`, `ARGUMENTS` and `OPTIONS` (each with its help, allowed values and
  /// default) of `C`.
  static func text<C: Command>(for type: C.Type, root: String) -> String {
    let declarations = C.arguments.flatMap(\.declarations)
    let defaults = C()
    var usage = "\(root) \(C.name)"
    for d in declarations where d.isRequired { usage += " \(d.label)" }
    usage += " [<options>]"
    if let p = declarations.first(where: \.isPositional) { usage += " [\(p.label)]" }
    var out = wrap("OVERVIEW: " + C.abstract, indent: 0) + "\n\n" + "USAGE: \(usage)\n"
    if let p = declarations.first(where: \.isPositional) {
      out += "\nARGUMENTS:\n" + entry("<\(p.name)>", p.help)
    }
    out += "\nOPTIONS:\n"
    for d in declarations where !d.isPositional {
      var notes: [String] = []
      if let allowed = d.allowedValues { notes.append("values: " + allowed.joined(separator: ", ")) }
      if let value = d.defaultText(defaults) { notes.append("default: " + value) }
      let extra = notes.isEmpty ? "" : " (\(notes.joined(separator: "; ")))"
      out += entry(d.label, d.help + extra)
    }
    out += standardOptions
    return out
  }

  /// The root's help: what the program is, its subcommands, and where their help is.
  static func rootText(abstract: String, root: String, commands: [(name: String, abstract: String)]) -> String {
    var out = wrap("OVERVIEW: " + abstract, indent: 0) + "\n\n"
    out += "USAGE: \(root) [<subcommand>] [<options>]\n\n"
    out += "OPTIONS:\n" + standardOptions + "\n"
    out += "SUBCOMMANDS:\n"
    for (i, c) in commands.enumerated() {
      out += entry(i == 0 ? "\(c.name) (default)" : c.name, c.abstract)
    }
    out += "\n"
    out += wrap(
      "Without a subcommand, \(root) runs \(commands[0].name) with the options given. See '\(root) help <subcommand>' for detailed help.",
      indent: 2)
    return out + "\n"
  }

  static let standardOptions = entry("--version", "Show the version.") + entry("-h, --help", "Show help information.")

  /// One option: its label at column 2, its help from `helpColumn` on (on the next line when the
  /// label is too wide), wrapped.
  static func entry(_ label: String, _ help: String) -> String {
    let head = "  " + label
    let body = wrap(help, indent: helpColumn, width: width)
    let firstBody = String(body.dropFirst(helpColumn))
    if head.count + 2 <= helpColumn {
      return head + String(repeating: " ", count: helpColumn - head.count) + firstBody + "\n"
    }
    return head + "\n" + body + "\n"
  }

  /// `text` broken at spaces into lines of at most `width` characters, each indented by `indent`.
  static func wrap(_ text: String, indent: Int, width: Int = width) -> String {
    let pad = String(repeating: " ", count: indent)
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ", omittingEmptySubsequences: false) {
      if !line.isEmpty && indent + line.count + 1 + word.count > width {
        lines.append(pad + line)
        line = String(word)
      } else {
        line += (line.isEmpty ? "" : " ") + word
      }
    }
    lines.append(pad + line)
    return lines.joined(separator: "\n")
  }
}
