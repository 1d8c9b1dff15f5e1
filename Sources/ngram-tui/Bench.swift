import ArgumentParser

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Time the phases of a training run (see scripts/bench.sh).")
  func run() throws {}
}
