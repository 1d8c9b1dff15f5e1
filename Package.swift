// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "ngram-tui",
  products: [
    .executable(name: "ngram-tui", targets: ["ngram-tui"]),
    .library(name: "NgramEngine", targets: ["NgramEngine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
  ],
  targets: [
    .target(
      name: "NgramEngine",
      swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
    ),
    .systemLibrary(
      name: "CNcursesw",
      providers: [.apt(["libncurses-dev"])]
    ),
    .target(name: "NgramTUI", dependencies: ["NgramEngine", "CNcursesw"]),
    .executableTarget(
      name: "ngram-tui",
      dependencies: [
        "NgramEngine", "NgramTUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "NgramEngineTests", dependencies: ["NgramEngine"], resources: [.copy("Fixtures")]),
    .testTarget(name: "NgramTUITests", dependencies: ["NgramTUI", "NgramEngine"], resources: [.copy("Snapshots")]),
    .testTarget(name: "NgramCLITests", dependencies: ["NgramEngine"]),
  ]
)
