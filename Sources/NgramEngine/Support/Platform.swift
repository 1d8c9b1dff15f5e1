#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
internal import NgramKernels

/// The C library's `exp`, callable where a member named `exp` shadows the free function.
@inline(__always) func libmExp(_ x: Double) -> Double { exp(x) }
/// The C library's `log`, callable where a member named `log` shadows the free function.
@inline(__always) func libmLog(_ x: Double) -> Double { log(x) }
/// The C library's `strtod`.
@inline(__always) func libcStrtod(
  _ s: UnsafePointer<CChar>, _ end: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> Double { strtod(s, end) }
/// The processors online (`sysconf(_SC_NPROCESSORS_ONLN)`, at least 1): the trainer's default
/// number of workers.
@usableFromInline func onlineProcessorCount() -> Int {
  max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
}

/// The C library's `rename`.
@inline(__always) func libcRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

/// `x` with `decimals` digits after the point, rounded as C's `printf("%.*f")` rounds
/// (`NaN`, `inf`, `-inf` for the special values).
public func fixed(_ x: Double, _ decimals: Int) -> String {
  if x.isNaN { return "NaN" }
  if x.isInfinite { return x > 0 ? "inf" : "-inf" }
  let d = Int32(max(0, min(decimals, 40)))
  var buf = [CChar](repeating: 0, count: 400)
  let n = withVaList([d, x]) { vsnprintf(&buf, buf.count, "%.*f", $0) }
  guard n >= 0 else { return String(x) }
  if Int(n) >= buf.count {
    buf = [CChar](repeating: 0, count: Int(n) + 1)
    _ = withVaList([d, x]) { vsnprintf(&buf, buf.count, "%.*f", $0) }
  }
  return String(decoding: buf.prefix(Int(n)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Makes the C library give every large allocation (256 KB or more) its own mapping, returned to
/// the system when freed. glibc otherwise raises that threshold after each such free, so later
/// arrays of tens of megabytes (a large corpus's index, weights and sorted rows) stay in the heap
/// after use and a large run's peak memory grows by about a quarter. For programs (it changes the
/// whole process); a no-op where the C library has no such setting.
public func returnLargeAllocationsToTheSystem() {
  _ = ngk_fix_mmap_threshold(256 * 1024)
}
