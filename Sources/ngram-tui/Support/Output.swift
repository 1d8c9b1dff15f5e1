import Dispatch
#if canImport(FoundationEssentials)
  import FoundationEssentials
#else
  import Foundation
#endif
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
import NgramEngine

/// Writes one JSON document to stdout.
func printJSON(_ value: JSONValue) {
  print(value.rendered(indent: nil, sortKeys: false, asciiOnly: false))
}

/// A top-k list as JSON: `[{"token", "id", "probability"}, …]`.
func predictionsJSON(_ preds: [Prediction]) -> JSONValue {
  .array(
    preds.map {
      .object([("token", .string($0.token)), ("id", .int($0.id)), ("probability", .double($0.probability))])
    })
}

/// Formats a top-k list for humans.
func describe(_ preds: [Prediction], context: [String], seen: Bool) -> String {
  var lines = [
    "next after \(context.isEmpty ? "(no context)" : context.joined(separator: " "))\(seen ? "" : " (context never seen in training: uniform)"):"
  ]
  let width = preds.map { $0.token.count }.max() ?? 0
  for p in preds {
    lines.append(
      "  \(padRight(p.token, width))  \(padLeft(fixed(p.probability * 100, 2), 6))%  (id \(p.id))"
    )
  }
  return lines.joined(separator: "\n")
}

/// `s` followed by spaces up to `width` characters (never cut).
func padRight(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Spaces, then `s`, up to `width` characters (never cut), like printf's `%Nf` width.
func padLeft(_ s: String, _ width: Int) -> String {
  s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}
