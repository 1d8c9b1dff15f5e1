import ArgumentParser
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
struct NgramCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ngram-tui",
    abstract: "Train and explore the toy-gpt context-2 next-token model (exact re-implementation).",
    version: PackageVersion.current,
    subcommands: [
      Explore.self, Train.self, Infer.self, Predict.self, Step.self, Plot.self, Repl.self, Compare.self, Export.self,
      Eval.self,
    ],
    defaultSubcommand: Explore.self
  )

  /// Parses and runs: the one place errors become output. Commands throw; a failure while
  /// running (`NgramError`, `CommandFailure`) is one line saying what went wrong; a usage error
  /// (parsing or a command's `validate()`) is one line pointing at `--help`; help and version
  /// print as usual.
  static func main() {
    returnLargeAllocationsToTheSystem()
    do {
      try NumberListArguments.check(Array(CommandLine.arguments.dropFirst()))
      var command = try parseAsRoot()
      try command.run()
    } catch let code as ExitCode {
      Glibc.exit(code.rawValue)
    } catch let error as NgramError {
      printError(CommandLineWords.message(for: error))
      Glibc.exit(error == .cancelled ? 130 : 1)
    } catch let failure as CommandFailure {
      printError(failure.description)
      Glibc.exit(1)
    } catch {
      // From the argument parser: a usage error, or help/version (which `exit(withError:)` prints).
      let code = exitCode(for: error)
      if code == .success { exit(withError: error) }
      printError("\(usageMessage(for: error)) (see ngram-tui --help)")
      Glibc.exit(code.rawValue)
    }
  }

  /// The first line of the parser's message for a usage error. An argument holding a newline
  /// or an escape would be echoed raw (and could split the line), so the message is taken from
  /// parsing the arguments again with their control characters escaped: the same error, about
  /// `--dir a\nb` instead of a line break.
  static func usageMessage(for error: any Error) -> String {
    let arguments = Array(CommandLine.arguments.dropFirst())
    var source = error
    let escaped = arguments.map(TerminalText.escape)
    if escaped != arguments {
      do {
        _ = try parseAsRoot(escaped)
      } catch {
        source = error
      }
    }
    let text = message(for: source)
    let first = text.split(separator: "\n").first.map(String.init) ?? text
    return TerminalText.escape(first)
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
