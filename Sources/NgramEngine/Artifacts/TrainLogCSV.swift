/// `outputs/train_log.csv`: `epoch,avg_loss,accuracy`, one line per epoch (CRLF; 8 and 6 decimals).
enum TrainLogCSV {
  /// The file name under `outputs/`.
  static let fileName = "train_log.csv"
  static let header = ["epoch", "avg_loss", "accuracy"]

  @discardableResult
  static func write(_ log: [EpochStats], to path: String) throws -> FileDigest {
    return try ByteWriter.write(path) { w in
      w.append("epoch,avg_loss,accuracy\r\n")
      for e in log {
        w.append("\(e.epoch),\(CSV.fixed(e.avgLoss, decimals: 8)),\(CSV.fixed(e.accuracy, decimals: 6))\r\n")
      }
    }
  }

  /// The epochs as written (numbers at the file's precision).
  static func read(_ path: String) throws -> [EpochStats] {
    try LogCSV.read(path, header: header).map { EpochStats(epoch: Int($0[0]), avgLoss: $0[1], accuracy: $0[2]) }
  }
}

/// `outputs/eval_log.csv` (with `--holdout`): `epoch,val_loss,val_perplexity,unseen_contexts`, one line
/// per epoch (CRLF, like the train log).
enum EvalLogCSV {
  /// The file name under `outputs/`.
  static let fileName = "eval_log.csv"
  static let header = ["epoch", "val_loss", "val_perplexity", "unseen_contexts"]

  @discardableResult
  static func write(_ log: [ValidationStats], to path: String) throws -> FileDigest {
    return try ByteWriter.write(path) { w in
      w.append("epoch,val_loss,val_perplexity,unseen_contexts\r\n")
      for e in log {
        w.append(
          "\(e.epoch),\(CSV.fixed(e.valLoss, decimals: 8)),\(CSV.fixed(e.valPerplexity, decimals: 6)),\(CSV.fixed(e.unseenContexts, decimals: 6))\r\n"
        )
      }
    }
  }

  /// The epochs as written (numbers at the file's precision; the perplexity is recomputed from the loss).
  static func read(_ path: String) throws -> [ValidationStats] {
    try LogCSV.read(path, header: header).map {
      ValidationStats(epoch: Int($0[0]), valLoss: $0[1], unseenContexts: $0[3])
    }
  }
}

/// The shared shape of the two logs: a fixed header, then rows of numbers, the first a whole epoch.
enum LogCSV {
  static func read(_ path: String, header: [String]) throws -> [[Double]] {
    var rows: [[Double]] = []
    try LineReading.forEachLine(path: path) { line, no in
      guard let f = CSV.fields(line) else {
        throw NgramError.malformed(file: path, line: no, reason: "unterminated quoted field")
      }
      if no == 1 {
        guard f == header else {
          throw NgramError.malformed(
            file: path, line: 1, reason: "header must be exactly \(header.joined(separator: ","))")
        }
        return
      }
      guard f.count == header.count else {
        throw NgramError.malformed(file: path, line: no, reason: "expected \(header.count) fields, found \(f.count)")
      }
      guard let epoch = Int(f[0]), epoch == rows.count + 1 else {
        throw NgramError.malformed(file: path, line: no, reason: "epoch '\(f[0])' should be \(rows.count + 1)")
      }
      var row = [Double(epoch)]
      for (i, text) in f.enumerated().dropFirst() {
        guard let x = Double(text) else {
          throw NgramError.malformed(file: path, line: no, reason: "'\(text)' in column \(i + 1) is not a number")
        }
        row.append(x)
      }
      rows.append(row)
    }
    return rows
  }
}
