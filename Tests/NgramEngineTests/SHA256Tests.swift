import Testing

@testable import NgramEngine
import NgramKernels

/// SHA-256 as the manifests use it: the FIPS 180-4 / NIST example digests, messages fed in pieces
/// of every size, and the SHA-NI block function against the portable one.
@Suite("SHA-256")
struct SHA256Tests {
  func digest(_ text: String) -> String {
    Array(text.utf8).withUnsafeBufferPointer { SHA256.hexDigest($0) }
  }

  @Test("NIST example messages")
  func vectors() {
    #expect(digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    #expect(
      digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    #expect(
      digest(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
      ) == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1")
    #expect(
      digest(String(repeating: "a", count: 1_000_000))
        == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
  }

  @Test("a message fed in pieces of any size has the digest of the whole")
  func pieces() {
    var g = SeededGenerator(seed: 7)
    let bytes = (0..<5000).map { _ in UInt8.random(in: 0...255, using: &g) }
    let whole = bytes.withUnsafeBufferPointer { SHA256.hexDigest($0) }
    for size in [1, 3, 63, 64, 65, 127, 1000] {
      var h = SHA256()
      var i = 0
      while i < bytes.count {
        let j = min(i + size, bytes.count)
        bytes[i..<j].withUnsafeBufferPointer { h.update($0) }
        i = j
      }
      #expect(h.hexDigest() == whole, "pieces of \(size)")
    }
  }

  @Test("the SHA-NI and the portable block functions give the same state")
  func sameState() throws {
    try #require(ngk_cpu_has_sha() != 0, "this machine has no SHA extensions: only the portable build can run")
    var g = SeededGenerator(seed: 9)
    for blocks in [1, 2, 7, 100] {
      let bytes = (0..<(64 * blocks)).map { _ in UInt8.random(in: 0...255, using: &g) }
      var a: [UInt32] = (0..<8).map { _ in UInt32.random(in: 0...UInt32.max, using: &g) }
      var b = a
      ngk_sha256_blocks_portable(&a, bytes, blocks)
      ngk_sha256_blocks_shani(&b, bytes, blocks)
      #expect(a == b, "\(blocks) blocks")
    }
  }
}
