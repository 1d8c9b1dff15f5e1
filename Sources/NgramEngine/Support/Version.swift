/// The version of this package (engine, explorer and command line), as tagged in git.
///
/// Semantic versioning: the public API of ``NgramEngine`` and the command line's options, JSON
/// shapes and artifact formats change incompatibly only with the major version.
public enum PackageVersion {
  /// `major.minor.patch`.
  public static let current = "2.0.0"
}
