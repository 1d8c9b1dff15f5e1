import Foundation
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
      "  \(p.token.padding(toLength: width, withPad: " ", startingAt: 0))  \(String(format: "%6.2f%%", p.probability * 100))  (id \(p.id))"
    )
  }
  return lines.joined(separator: "\n")
}
