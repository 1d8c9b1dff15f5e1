// The types an option or a positional argument can hold, each read from the argument's text.

/// A value read from one command-line argument: numbers, text, and `CaseIterable` enums whose
/// raw values are the words the user types.
protocol ArgumentValue {
  /// Reads the value from `argument`; nil when the text is not a valid value.
  init?(argument: String)
  /// The words allowed, listed in the help and in the error for a bad value (nil: any text
  /// the type reads).
  static var allowedValues: [String]? { get }
  /// The value as the help shows it as a default.
  var defaultValueDescription: String { get }
}

extension ArgumentValue {
  static var allowedValues: [String]? { nil }
  var defaultValueDescription: String { "\(self)" }
}

extension ArgumentValue where Self: CaseIterable & RawRepresentable, RawValue == String {
  init?(argument: String) { self.init(rawValue: argument) }
  static var allowedValues: [String]? { allCases.map(\.rawValue) }
  var defaultValueDescription: String { rawValue }
}

extension String: ArgumentValue {
  init?(argument: String) { self = argument }
}

extension Int: ArgumentValue {
  init?(argument: String) { self.init(argument) }
}

extension Double: ArgumentValue {
  init?(argument: String) { self.init(argument) }
}
