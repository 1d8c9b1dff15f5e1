/// The run's logs and the 2-D points of `03_token_embeddings.csv`, read for plots and maps.
public enum TrainingLogs {
  /// `DIR/outputs/train_log.csv`, validated line by line.
  public static func trainLog(directory: String) throws -> [EpochStats] {
    let path = Paths.join(Paths.join(directory, "outputs"), TrainLogCSV.fileName)
    guard LineReading.exists(path) else {
      throw NgramError.outputMissing(file: path, what: "training log")
    }
    return try TrainLogCSV.read(path)
  }

  /// `DIR/outputs/eval_log.csv` (written by `train --holdout`), or nil when there is none.
  public static func evalLog(directory: String) throws -> [ValidationStats]? {
    let path = Paths.join(Paths.join(directory, "outputs"), EvalLogCSV.fileName)
    guard LineReading.exists(path) else { return nil }
    return try EvalLogCSV.read(path)
  }

  /// `DIR/artifacts/03_token_embeddings.csv`: one point per context row (x = the row's weight
  /// for token 0, y = for token 1), labelled by the context's tokens joined with `|`.
  public static func embeddings(directory: String) throws -> [EmbeddingPoint] {
    let path = Paths.join(Paths.join(directory, "artifacts"), EmbeddingsCSV.fileName)
    guard LineReading.exists(path) else {
      throw NgramError.outputMissing(file: path, what: "embeddings file")
    }
    return try EmbeddingsCSV.read(path)
  }
}

/// One line of `03_token_embeddings.csv`.
public struct EmbeddingPoint: Sendable, Equatable {
  /// The reference's row index of the context.
  public let row: Int
  /// The context's tokens joined with `|` (`(no context)` for a unigram model).
  public let label: String
  /// The row's weight for token id 0.
  public let x: Double
  /// The row's weight for token id 1.
  public let y: Double

  /// Creates a point.
  public init(row: Int, label: String, x: Double, y: Double) {
    self.row = row
    self.label = label
    self.x = x
    self.y = y
  }
}
