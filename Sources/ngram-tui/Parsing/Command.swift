// What a subcommand and an option group are, and the two errors that end a command early.

/// A subcommand: its name and one-line description, its arguments, a check of the parsed
/// values and what it does. Each lives in one file under `Commands/`.
protocol Command {
  /// A command with every property at its default, before parsing.
  init()
  /// The word that selects it (`train`).
  static var name: String { get }
  /// One sentence for the help.
  static var abstract: String { get }
  /// Its options, flags, option groups and positional arguments, in help order.
  static var arguments: [Argument<Self>] { get }
  /// Checks the parsed values together; throws `UsageError`. Runs before `run()`.
  func validate() throws
  /// Does the work; throws `NgramError`, `CommandFailure` or `ExitStatus`.
  func run() throws
}

extension Command {
  func validate() throws {}
}

/// Options several commands share, declared once and lifted into each command with
/// `.group(\.property)`.
protocol OptionGroup {
  /// The group at its defaults.
  init()
  /// Its options, in help order.
  static var arguments: [Argument<Self>] { get }
  /// Checks its values; throws `UsageError`.
  func validate() throws
}

extension OptionGroup {
  func validate() throws {}
}

/// A command line that cannot run as given (exit status 64): parsing failed or a check in
/// `validate()` did. The message names the option and what is wrong.
struct UsageError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

/// Ends the program with this status, having printed what it had to (the explorer's own status).
struct ExitStatus: Error {
  let code: Int32
  init(_ code: Int32) { self.code = code }
}
