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
    // ncurses, loaded with dlopen when the explorer starts (libncursesw.so.6 on Linux,
    // libncurses.dylib on macOS), so commands that never draw start without it. Building needs
    // the header only (Debian: libncurses-dev).
    .target(name: "CNcursesw"),
    .target(name: "NgramTUI", dependencies: ["NgramEngine", "CNcursesw"]),
    .executableTarget(
      name: "ngram-tui",
      dependencies: ["NgramEngine", "NgramTUI"]
    ),
    .testTarget(name: "NgramEngineTests", dependencies: ["NgramEngine", "NgramKernels"], resources: [.copy("Fixtures")]),
    .testTarget(name: "NgramTUITests", dependencies: ["NgramTUI", "NgramEngine"], resources: [.copy("Snapshots")]),
    .testTarget(name: "NgramCLITests", dependencies: ["NgramEngine", "ngram-tui"]),
  ]
)
