import Foundation
import Testing

/// Explore, Generate, Train, the key map and the status bar treat every model alike: they ask
/// `LanguageModel` and the session's `ModelProfile` (made in `AppState.init`), never whether the
/// model is an ARPA file. (Compare's models view lists ARPA files by design: not checked.)
@Suite struct ModelAgnosticScreensTests {
  @Test("no screen but Compare names the ARPA model type or AppState.arpa")
  func screensDoNotBranchOnTheModelType() throws {
    let root = String(
      #filePath.split(separator: "/", omittingEmptySubsequences: false).dropLast(3).joined(separator: "/"))
    let tui = root + "/Sources/NgramTUI/"
    let files =
      ["Screens/Explore", "Screens/Generate", "Screens/Train"].flatMap { dir in
        ((try? FileManager.default.contentsOfDirectory(atPath: tui + dir)) ?? []).map { dir + "/" + $0 }
      } + ["App/KeyMap.swift", "Views/Render.swift"]
    #expect(files.count >= 12)
    for file in files {
      let text = try String(contentsOfFile: tui + file, encoding: .utf8)
      for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        if line.trimmingCharacters(in: .whitespaces).hasPrefix("//") { continue }
        #expect(!line.contains("ARPAModel"), "\(file):\(number + 1): \(line)")
        #expect(!line.contains(".arpa"), "\(file):\(number + 1): \(line)")
      }
    }
  }
}
