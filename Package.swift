// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "ngram-tui",
  products: [
    .executable(name: "ngram-tui", targets: ["ngram-tui"]),
    .library(name: "NgramEngine", targets: ["NgramEngine"]),
    // The explorer, for embedding it (`Explorer.run`) and for the benchmarks (`OffscreenFrames`).
    .library(name: "NgramTUI", targets: ["NgramTUI"]),
  ],
  dependencies: [
    // `swift package generate-documentation --target NgramEngine` (DocC); a plugin, not linked.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // The trainer's softmax kernels: one portable and one AVX2/FMA version in the same binary,
    // chosen at run time from the CPU (no build flags, nothing read from the building machine).
    .target(name: "NgramKernels"),
    .target(name: "NgramEngine", dependencies: ["NgramKernels", "CZlib"]),
    .systemLibrary(
      name: "CZlib",
      providers: [.apt(["zlib1g-dev"])]
    ),
    .systemLibrary(
      name: "CNcursesw",
      providers: [.apt(["libncurses-dev"])]
    ),
    .target(
      name: "NgramTUI", dependencies: ["NgramEngine", "CNcursesw"],
      linkerSettings: [
        // Debian names the wide-character library ncursesw; macOS's ncurses is wide already.
        .linkedLibrary("ncursesw", .when(platforms: [.linux])),
        .linkedLibrary("ncurses", .when(platforms: [.macOS])),
      ]
    ),
    .executableTarget(
      name: "ngram-tui",
      dependencies: ["NgramEngine", "NgramTUI"]
    ),
    .testTarget(name: "NgramEngineTests", dependencies: ["NgramEngine", "NgramKernels"], resources: [.copy("Fixtures")]),
    .testTarget(name: "NgramTUITests", dependencies: ["NgramTUI", "NgramEngine"], resources: [.copy("Snapshots")]),
    .testTarget(name: "NgramCLITests", dependencies: ["NgramEngine", "ngram-tui"]),
  ]
)
