// swift-tools-version:6.0
import PackageDescription

#if os(Linux)
  import Glibc
#endif

/// Like the C yardstick's `-march=native`: let the trainer's vector loops use AVX2/FMA-class
/// instructions when the building machine has them (set NGRAM_PORTABLE=1 to build for any x86-64).
func nativeCPUFlags() -> [String] {
  #if os(Linux) && arch(x86_64)
    if getenv("NGRAM_PORTABLE") != nil { return [] }
    guard let f = fopen("/proc/cpuinfo", "r") else { return [] }
    defer { fclose(f) }
    var line = [CChar](repeating: 0, count: 8192)
    while fgets(&line, Int32(line.count), f) != nil {
      let s = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      if s.hasPrefix("flags") {
        let flags = Set(s.split(separator: " ").map(String.init))
        return flags.isSuperset(of: ["avx2", "fma", "bmi2"]) ? ["-target-cpu", "haswell"] : []
      }
    }
  #endif
  return []
}

let package = Package(
  name: "ngram-tui",
  products: [
    .executable(name: "ngram-tui", targets: ["ngram-tui"]),
    .library(name: "NgramEngine", targets: ["NgramEngine"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    // `swift package generate-documentation --target NgramEngine` (DocC); a plugin, not linked.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .target(
      name: "NgramEngine",
      dependencies: ["CZlib"],
      swiftSettings: [.unsafeFlags(["-Ounchecked"] + nativeCPUFlags(), .when(configuration: .release))]
    ),
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
      dependencies: [
        "NgramEngine", "NgramTUI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "NgramEngineTests", dependencies: ["NgramEngine"], resources: [.copy("Fixtures")]),
    .testTarget(name: "NgramTUITests", dependencies: ["NgramTUI", "NgramEngine"], resources: [.copy("Snapshots")]),
    .testTarget(name: "NgramCLITests", dependencies: ["NgramEngine", "ngram-tui"]),
  ]
)
