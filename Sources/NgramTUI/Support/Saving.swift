#if canImport(Glibc)
  import Glibc
#endif
import NgramEngine

/// Writes what the explorer saves (the screen as text, Generate's transcript) under `DIR/outputs/`.
enum Saving {
  /// Writes `text` to `DIR/outputs/<prefix>-<N>.<ext>` with the first N not taken (never
  /// overwriting); returns the line the footer shows: where it went, or why it could not.
  static func save(_ text: String, _ request: SaveRequest, directory: String) -> String {
    let outputs = Paths.join(directory, "outputs")
    if access(outputs, F_OK) != 0 && mkdir(outputs, 0o755) != 0 {
      return "could not save: cannot create \(TerminalText.escape(outputs)): \(String(cString: strerror(errno)))"
    }
    for n in 1...9999 {
      let path = Paths.join(outputs, "\(request.prefix)-\(n).\(request.ext)")
      // O_EXCL: never replace a file, even one created between the check and the write.
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
      if fd < 0 {
        if errno == EEXIST { continue }
        return "could not save \(TerminalText.escape(path)): \(String(cString: strerror(errno)))"
      }
      let bytes = Array(text.utf8)
      var done = 0
      while done < bytes.count {
        let w = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress! + done, bytes.count - done) }
        if w <= 0 {
          let reason = String(cString: strerror(errno))
          close(fd)
          return "could not save \(TerminalText.escape(path)): \(reason)"
        }
        done += w
      }
      close(fd)
      return "saved \(TerminalText.escape(path))"
    }
    return "could not save: \(TerminalText.escape(outputs)) already has \(request.prefix)-1 to -9999"
  }
}

extension Grid {
  /// The grid's text, one line per row, trailing spaces removed (wide characters once).
  var plainText: String {
    var lines: [String] = []
    for y in 0..<height {
      var line = ""
      for x in 0..<width { line += self[x, y].text }
      while line.last == " " { line.removeLast() }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
