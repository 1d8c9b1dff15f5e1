// The declarations a command is made of: options, flags, positional arguments and option groups,
// each bound to a property through a key path. Nothing here inspects types at run time: a
// declaration carries closures that read and write its property.

/// How an option's values are read.
enum OptionParsing {
  /// One value; given again, the last one counts.
  case single
  /// One value per occurrence, each appended (`--compare-arpa A --compare-arpa B`).
  case repeated
  /// Every following argument up to the next option (`--start-tokens the cat`); for a list of
  /// numbers, also up to the first argument that is not one.
  case upToNextOption
}

/// What a declaration reads.
enum ArgumentKind {
  /// `--name value`.
  case option(OptionParsing)
  /// `--name`, no value.
  case flag
  /// The command's positional arguments (at most one declaration, a list).
  case positional
}

/// One option, flag or positional argument of `Root` (a command, or an option group before it
/// is lifted into a command).
struct ArgumentDeclaration<Root> {
  let kind: ArgumentKind
  /// The long name without dashes (`dense-limit`); for a positional argument its value name.
  let name: String
  let help: String
  /// Must be given (a missing one is a usage error).
  let isRequired: Bool
  /// The words allowed (an enum's cases), nil for any value of the type.
  let allowedValues: [String]?
  /// The default as the help shows it, read from a fresh `Root()` (nil: none shown).
  let defaultText: (Root) -> String?
  /// Sets the property from one argument's text (appends, for a list); false when the text is
  /// not a valid value, leaving the property unchanged.
  let assign: (inout Root, String) -> Bool

  var isPositional: Bool {
    if case .positional = kind { return true }
    return false
  }

  /// `--lr <lr>`, `--json`, `<tokens> ...`: how messages and the help name it.
  var label: String {
    switch kind {
    case .flag: return "--\(name)"
    case .option: return "--\(name) <\(name)>"
    case .positional: return "<\(name)> ..."
    }
  }

  /// The same declaration for a type that holds `Root` at `path`.
  func lifted<Outer>(_ path: WritableKeyPath<Outer, Root>) -> ArgumentDeclaration<Outer> {
    let defaultText = self.defaultText
    let assign = self.assign
    return ArgumentDeclaration<Outer>(
      kind: kind, name: name, help: help, isRequired: isRequired, allowedValues: allowedValues,
      defaultText: { defaultText($0[keyPath: path]) },
      assign: { outer, text in assign(&outer[keyPath: path], text) })
  }
}

/// An entry of a command's (or an option group's) argument list: one declaration, or a whole
/// option group with its checks.
struct Argument<Root> {
  let declarations: [ArgumentDeclaration<Root>]
  /// The checks of the option groups inside, run after parsing, before the command's own.
  let validators: [(Root) throws -> Void]

  /// `--name <name>`: one value of type `V`, the property's initial value being the default.
  static func option<V: ArgumentValue>(
    _ name: String, _ path: WritableKeyPath<Root, V>, required: Bool = false, help: String
  ) -> Argument {
    one(
      .option(.single), name, help: help, required: required, allowed: V.allowedValues,
      defaultText: { required ? nil : $0[keyPath: path].defaultValueDescription },
      assign: { root, text in
        guard let v = V(argument: text) else { return false }
        root[keyPath: path] = v
        return true
      })
  }

  /// `--name <name>`: an optional value (no default shown).
  static func option<V: ArgumentValue>(_ name: String, _ path: WritableKeyPath<Root, V?>, help: String) -> Argument {
    one(
      .option(.single), name, help: help, required: false, allowed: V.allowedValues,
      defaultText: { $0[keyPath: path]?.defaultValueDescription },
      assign: { root, text in
        guard let v = V(argument: text) else { return false }
        root[keyPath: path] = v
        return true
      })
  }

  /// `--name <name> ...`: a list, read as `parsing` says.
  static func option<V: ArgumentValue>(
    _ name: String, _ path: WritableKeyPath<Root, [V]>, parsing: OptionParsing, help: String
  ) -> Argument {
    one(
      .option(parsing), name, help: help, required: false, allowed: V.allowedValues,
      defaultText: { root in
        let list = root[keyPath: path]
        return list.isEmpty ? nil : list.map(\.defaultValueDescription).joined(separator: " ")
      },
      assign: { root, text in
        guard let v = V(argument: text) else { return false }
        root[keyPath: path].append(v)
        return true
      })
  }

  /// `--name`: sets the property to true.
  static func flag(_ name: String, _ path: WritableKeyPath<Root, Bool>, help: String) -> Argument {
    one(
      .flag, name, help: help, required: false, allowed: nil, defaultText: { _ in nil },
      assign: { root, _ in
        root[keyPath: path] = true
        return true
      })
  }

  /// `<name> ...`: every argument that is not an option or an option's value, in order.
  static func positional<V: ArgumentValue>(
    _ name: String, _ path: WritableKeyPath<Root, [V]>, help: String
  ) -> Argument {
    one(
      .positional, name, help: help, required: false, allowed: V.allowedValues, defaultText: { _ in nil },
      assign: { root, text in
        guard let v = V(argument: text) else { return false }
        root[keyPath: path].append(v)
        return true
      })
  }

  /// The options of the group at `path`, declared once in the group, with its `validate()`.
  static func group<G: OptionGroup>(_ path: WritableKeyPath<Root, G>) -> Argument {
    let inner = G.arguments
    return Argument(
      declarations: inner.flatMap(\.declarations).map { $0.lifted(path) },
      validators: inner.flatMap(\.validators).map { check in { root in try check(root[keyPath: path]) } } + [
        { root in try root[keyPath: path].validate() }
      ])
  }

  private static func one(
    _ kind: ArgumentKind, _ name: String, help: String, required: Bool, allowed: [String]?,
    defaultText: @escaping (Root) -> String?, assign: @escaping (inout Root, String) -> Bool
  ) -> Argument {
    Argument(
      declarations: [
        ArgumentDeclaration(
          kind: kind, name: name, help: help, isRequired: required, allowedValues: allowed, defaultText: defaultText,
          assign: assign)
      ],
      validators: [])
  }
}
