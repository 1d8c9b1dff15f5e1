import Testing

@testable import ngram_tui

/// A command exercising every kind of declaration, for the parser's own rules.
private struct Sample: Command {
  static let name = "sample"
  static let abstract = "A command for the parser's tests."
  enum Shape: String, CaseIterable, ArgumentValue { case round, square }

  struct Group: OptionGroup {
    var level = 3
    static var arguments: [Argument<Self>] { [.option("level", \.level, help: "A level in the group.")] }
    func validate() throws {
      guard level >= 0 else { throw UsageError("--level must be at least 0, got \(level)") }
    }
  }

  var group = Group()
  var rate: Double = 0.5
  var name: String?
  var shape: Shape = .round
  var loud = false
  var files: [String] = []
  var words: [String] = []
  var numbers: [Int] = []
  var count = 0
  var rest: [String] = []
  var validated = false

  static var arguments: [Argument<Self>] {
    [
      .group(\.group),
      .option("rate", \.rate, help: "A rate."),
      .option("name", \.name, help: "A name."),
      .option("shape", \.shape, help: "A shape."),
      .flag("loud", \.loud, help: "Be loud."),
      .option("file", \.files, parsing: .repeated, help: "A file; repeatable."),
      .option("words", \.words, parsing: .upToNextOption, help: "Words."),
      .option("numbers", \.numbers, parsing: .upToNextOption, help: "Numbers."),
      .option("count", \.count, required: true, help: "A required count."),
      .positional("rest", \.rest, help: "The rest."),
    ]
  }

  func validate() throws {
    guard rate <= 1 else { throw UsageError("--rate must be at most 1, got \(rate)") }
  }

  func run() throws {}
}

/// The message of the usage error that parsing `arguments` throws (nil when it parses).
private func usageError(_ arguments: [String]) -> String? {
  do {
    _ = try ArgumentParsing.parse(Sample.self, arguments)
    return nil
  } catch let error as UsageError {
    return error.description
  } catch {
    return "not a usage error: \(error)"
  }
}

@Suite("the command-line parser")
struct ArgumentParsingTests {
  @Test("options, flags, groups and positionals land in their properties")
  func values() throws {
    let s = try ArgumentParsing.parse(
      Sample.self, ["a", "--level", "7", "--rate", "0.25", "--count", "2", "--loud", "--shape", "square", "b"])
    #expect(s.group.level == 7)
    #expect(s.rate == 0.25)
    #expect(s.count == 2)
    #expect(s.loud)
    #expect(s.shape == .square)
    #expect(s.rest == ["a", "b"])
    #expect(s.name == nil)
  }

  @Test("defaults stay when an option is not given")
  func defaults() throws {
    let s = try ArgumentParsing.parse(Sample.self, ["--count", "1"])
    #expect(s.group.level == 3 && s.rate == 0.5 && s.shape == .round && !s.loud && s.files.isEmpty)
  }

  @Test("--name=value is the same as --name value, an empty value included")
  func equalsForm() throws {
    let s = try ArgumentParsing.parse(Sample.self, ["--count=4", "--name=a=b", "--level=-0", "--words=a", "b"])
    #expect(s.count == 4)
    #expect(s.group.level == 0)
    #expect(s.words == ["a", "b"])
    #expect(s.name == "a=b")
    #expect(try ArgumentParsing.parse(Sample.self, ["--count", "1", "--name="]).name == "")
  }

  @Test("a number starting with '-' is a value, and reaches the checks")
  func negativeNumbers() throws {
    let s = try ArgumentParsing.parse(Sample.self, ["--count", "-3", "--rate", "-1e3", "-7"])
    #expect(s.count == -3)
    #expect(s.rate == -1000)
    #expect(s.rest == ["-7"])
    #expect(usageError(["--count", "1", "--level", "-1"]) == "--level must be at least 0, got -1")
    #expect(usageError(["--count", "1", "--rate", "2"]) == "--rate must be at most 1, got 2.0")
  }

  @Test("a repeated list option collects every value; a single option keeps the last")
  func repeated() throws {
    let s = try ArgumentParsing.parse(
      Sample.self, ["--file", "a", "--count", "1", "--file", "b", "--rate", "0.1", "--rate", "0.2"])
    #expect(s.files == ["a", "b"])
    #expect(s.rate == 0.2)
  }

  @Test("an up-to-next-option list takes values until the next option; numbers stop at a non-number")
  func upToNextOption() throws {
    let s = try ArgumentParsing.parse(Sample.self, ["--words", "the", "-", "cat", "--count", "1", "x"])
    #expect(s.words == ["the", "-", "cat"])
    #expect(s.rest == ["x"])
    let n = try ArgumentParsing.parse(Sample.self, ["--numbers", "1", "-2", "three", "--count", "1"])
    #expect(n.numbers == [1, -2])
    #expect(n.rest == ["three"])
    #expect(usageError(["--numbers", "x", "--count", "1"]) == "The value 'x' is invalid for '--numbers <numbers>'")
  }

  @Test("after --, everything is positional")
  func terminator() throws {
    let s = try ArgumentParsing.parse(Sample.self, ["--count", "1", "--", "--loud", "-x"])
    #expect(s.rest == ["--loud", "-x"])
    #expect(!s.loud)
  }

  @Test(
    "usage errors name the option and what is wrong",
    arguments: [
      (["--count", "1", "--bogus"], "Unknown option '--bogus'"),
      (["--count", "1", "-x"], "Unknown option '-x'"),
      (["--count", "1", "--rat", "1"], "Unknown option '--rat'. Did you mean '--rate'?"),
      (["--count", "1", "-rate", "1"], "Unknown option '-rate'. Did you mean '--rate'?"),
      (["--count"], "Missing value for '--count <count>'"),
      (["--count", "1", "--name", "--loud"], "Missing value for '--name <name>'"),
      (["--count", "abc"], "The value 'abc' is invalid for '--count <count>'"),
      (
        ["--count", "1", "--shape", "oval"],
        "The value 'oval' is invalid for '--shape <shape>'. Please provide one of 'round' or 'square'."
      ),
      (["--count", "1", "--loud=yes"], "The option '--loud' does not take any value, but 'yes' was specified."),
      ([], "Missing expected argument '--count <count>'"),
    ])
  func errors(arguments: [String], message: String) {
    #expect(usageError(arguments) == message)
  }

  @Test("a command without positionals rejects an extra argument")
  func unexpectedArgument() throws {
    #expect(throws: UsageError.self) { try ArgumentParsing.parse(Train.self, ["extra"]) }
    do {
      _ = try ArgumentParsing.parse(Train.self, ["extra"])
    } catch let e as UsageError {
      #expect(e.description == "Unexpected argument 'extra'")
    }
  }

  @Test("the help lists every option with its help, values and default; required ones in the usage")
  func help() {
    let text = Help.text(for: Sample.self, root: "ngram-tui")
    #expect(
      text.hasPrefix(
        "OVERVIEW: A command for the parser's tests.\n\nUSAGE: ngram-tui sample --count <count> [<options>] [<rest> ...]\n"
      ))
    #expect(text.contains("\n  --level <level>         A level in the group. (default: 3)\n"))
    #expect(text.contains("\n  --shape <shape>         A shape. (values: round, square; default: round)\n"))
    #expect(text.contains("\n  --name <name>           A name.\n"))
    #expect(text.contains("\n  --count <count>         A required count.\n"))
    #expect(text.contains("\n  <rest>                  The rest.\n"))
    #expect(
      text.hasSuffix("  --version               Show the version.\n  -h, --help              Show help information.\n"))
  }

  @Test("help wraps at 80 columns under the help column")
  func wrapping() {
    let line = Help.entry("--long-option-name <long-option-name>", String(repeating: "word ", count: 30))
    let lines = line.split(separator: "\n")
    #expect(lines[0] == "  --long-option-name <long-option-name>")
    #expect(lines.dropFirst().allSatisfy { $0.count <= 80 && $0.hasPrefix(String(repeating: " ", count: 26) + "word") })
  }
}

@Suite("the root command")
struct RootCommandTests {
  @Test("no arguments, or options only, run the explorer with them")
  func defaultSubcommand() throws {
    guard case .run(let bare) = try NgramCommand.parse([]) else { Issue.record("not a run"); return }
    #expect(bare is Explore)
    guard case .run(let withOptions) = try NgramCommand.parse(["--dir", "x", "--topk", "7"]) else {
      Issue.record("not a run")
      return
    }
    let explore = try #require(withOptions as? Explore)
    #expect(explore.directory.dir == "x")
    #expect(explore.topK.topk == 7)
  }

  @Test("a subcommand's name selects it")
  func subcommand() throws {
    guard case .run(let c) = try NgramCommand.parse(["infer", "--start-tokens", "a", "b", "--num-tokens", "3"]) else {
      Issue.record("not a run")
      return
    }
    let infer = try #require(c as? Infer)
    #expect(infer.startTokens == ["a", "b"])
    #expect(infer.numTokens == 3)
  }

  @Test("--version anywhere before --, help in every spelling")
  func helpAndVersion() throws {
    for args in [["--version"], ["train", "--lr", "x", "--version"]] {
      guard case .version = try NgramCommand.parse(args) else {
        Issue.record("\(args) is not --version")
        continue
      }
    }
    let trainHelp = NgramCommand.help(for: Train.self)
    for args in [["help", "train"], ["train", "--help"], ["train", "-h"], ["train", "--bogus", "-h"]] {
      guard case .help(let text) = try NgramCommand.parse(args) else {
        Issue.record("\(args) is not help")
        continue
      }
      #expect(text == trainHelp, "\(args)")
    }
    for args in [["help"], ["--help"], ["-h"]] {
      guard case .help(let text) = try NgramCommand.parse(args) else {
        Issue.record("\(args) is not help")
        continue
      }
      #expect(text == NgramCommand.rootHelp)
    }
    guard case .run(let p) = try NgramCommand.parse(["predict", "--", "--help"]) else {
      Issue.record("-- --help is a token")
      return
    }
    #expect((p as? Predict)?.tokens == ["--help"])
  }

  @Test("an unknown subcommand is a usage error, with a suggestion when one is close")
  func unknownSubcommand() {
    #expect(throws: UsageError.self) { try NgramCommand.parse(["frobnicate"]) }
    do {
      _ = try NgramCommand.parse(["trian"])
      Issue.record("trian parsed")
    } catch {
      #expect("\(error)" == "Unknown subcommand 'trian'. Did you mean 'train'?")
    }
    do {
      _ = try NgramCommand.parse(["help", "nope"])
      Issue.record("help nope parsed")
    } catch {
      #expect("\(error)" == "Unknown subcommand 'nope'")
    }
  }

  @Test("the root help lists every subcommand, the default first")
  func rootHelp() {
    let text = NgramCommand.rootHelp
    #expect(text.contains("\n  tui (default)           The explorer"))
    for c in NgramCommand.commands { #expect(text.contains("\n  \(c.name) ")) }
  }
}
