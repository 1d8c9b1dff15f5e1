import NgramTUI
import Dispatch
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// The `ngram-tui` command: the explorer by default, plus train / infer / predict / repl / compare.
@main
enum NgramCommand {
  static let name = "ngram-tui"
  static let abstract = "Train and explore the toy-gpt context-2 next-token model (exact re-implementation)."

  /// The subcommands, in help order; the first is the default.
  static var commands: [any Command.Type] {
    [
      Explore.self, Train.self, Infer.self, Predict.self, Step.self, Plot.self, Repl.self, Compare.self, Export.self,
      Eval.self,
    ]
  }

  /// What a command line asks for.
  enum Invocation {
    /// Print this help and exit 0.
    case help(String)
    /// Print the version and exit 0.
    case version
    /// Run this command, parsed and checked.
    case run(any Command)
  }

  /// Reads the arguments (without the program name): `--version` anywhere before `--`; `help
  /// [SUBCOMMAND]`, or `-h`/`--help` after a subcommand; a subcommand's name first, else the
  /// default subcommand with every argument. Throws `UsageError`.
  static func parse(_ arguments: [String]) throws -> Invocation {
    let options = arguments.prefix { $0 != "--" }
    if options.contains("--version") { return .version }
    let asksHelp = options.contains { $0 == "--help" || $0 == "-h" }
    guard let first = arguments.first else { return .run(try ArgumentParsing.parse(Explore.self, [])) }
    if first == "help" {
      guard arguments.count > 1 else { return .help(rootHelp) }
      return .help(help(for: try command(named: arguments[1])))
    }
    if first == "--help" || first == "-h" { return .help(rootHelp) }
    let type: any Command.Type
    var rest = arguments
    if ArgumentParsing.isOption(first) {
      type = Explore.self
    } else {
      type = try command(named: first)
      rest.removeFirst()
    }
    if asksHelp { return .help(help(for: type)) }
    return .run(try ArgumentParsing.parse(type, rest))
  }

  /// The subcommand called `name`.
  static func command(named name: String) throws -> any Command.Type {
    guard let type = commands.first(where: { $0.name == name }) else {
      throw UsageError(
        "Unknown subcommand '\(name)'" + ArgumentParsing.suggestion(for: name, among: commands.map { $0.name }))
    }
    return type
  }

  static var rootHelp: String {
    Help.rootText(abstract: abstract, root: name, commands: commands.map { ($0.name, $0.abstract) })
  }

  static func help(for type: any Command.Type) -> String {
    Help.text(for: type, root: name)
  }

  /// Parses and runs: the one place errors become output. A usage error (parsing or a
  /// command's `validate()`) is one line pointing at `--help`, status 64; a failure while
  /// running (`NgramError`, `CommandFailure`) is one line saying what went wrong, status 1
  /// (130 when cancelled); help and version print on stdout, status 0.
  static func main() {
    reserveStandardDescriptors()
    returnLargeAllocationsToTheSystem()
    do {
      switch try parse(Array(CommandLine.arguments.dropFirst())) {
      case .help(let text):
        print(text, terminator: "")
      case .version:
        print(PackageVersion.current)
      case .run(let command):
        try command.run()
      }
      finishStandardOutput()
    } catch let usage as UsageError {
      printError("\(usage.description) (see ngram-tui --help)")
      exit(64)
    } catch let status as ExitStatus {
      exit(status.code)
    } catch let error as NgramError {
      printError(CommandLineWords.message(for: error))
      exit(error == .cancelled ? 130 : 1)
    } catch let failure as CommandFailure {
      printError(failure.description)
      exit(1)
    } catch {
      printError("\(error)")
      exit(1)
    }
  }

  /// Writes `ngram-tui: error: MESSAGE` on stderr, its control characters escaped so that it
  /// stays one line and cannot drive the terminal.
  static func printError(_ message: String) {
    writeStandardError("ngram-tui: error: \(TerminalText.escape(message))\n")
  }
}

/// A failure a command reports in its own words (one line, exit status 1).
struct CommandFailure: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
