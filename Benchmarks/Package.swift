// swift-tools-version:6.1
// The benchmarks of ngram-tui, kept out of the shipped package: the root package's `swift
// build`/`swift test` neither fetch nor build this one. Run from the repository root with
//   swift package --package-path Benchmarks benchmark
// (ordo-one's package-benchmark; see the README's Performance section).
import PackageDescription

let package = Package(
  name: "ngram-tui-benchmarks",
  platforms: [.macOS(.v15)],
  dependencies: [
    .package(name: "ngram-tui", path: ".."),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
  ],
  targets: [
    .executableTarget(
      name: "NgramBenchmarks",
      dependencies: [
        .product(name: "Benchmark", package: "benchmark"),
        .product(name: "NgramEngine", package: "ngram-tui"),
        .product(name: "NgramTUI", package: "ngram-tui"),
      ],
      path: "Benchmarks/NgramBenchmarks",
      plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    ),
    // The measuring tools the scripts call (scripts/bench-reference.sh, scripts/bench-tui.sh).
    .executableTarget(
      name: "ngram-bench",
      dependencies: [
        .product(name: "NgramEngine", package: "ngram-tui"),
        .product(name: "NgramTUI", package: "ngram-tui"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
  ]
)
