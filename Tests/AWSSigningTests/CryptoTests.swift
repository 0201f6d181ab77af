import AWSSigning
import Foundation
import Testing

/// Known-answer tests for the libcrypto wrappers (FIPS 180-2 examples, RFC 4231, RFC 1321).
@Suite struct CryptoTests {
    @Test func sha256KnownAnswers() throws {
        #expect(
            Crypto.hex(try Crypto.sha256(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        )
        #expect(Crypto.hex(try Crypto.sha256([])) == SigV4Request.emptyPayloadHash)
        let twoBlocks = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(
            Crypto.hex(try Crypto.sha256(twoBlocks))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        )
    }

    @Test func streamingHasherMatchesOneShot() throws {
        let data = Array((0..<256_000).map { UInt8(truncatingIfNeeded: $0) })
        var hasher = try SHA256Hasher()
        var offset = 0
        var chunk = 1
        while offset < data.count {
            let end = min(data.count, offset + chunk)
            try hasher.update(Array(data[offset..<end]))
            offset = end
            chunk = chunk * 3 + 1
        }
        try hasher.update([])
        let streamed = try hasher.finalize()
        #expect(streamed == (try Crypto.sha256(data)))
        #expect(Crypto.hex(streamed) == "b57b64b198d5d59ce5a22a9b9f25e72a7d081476d432051aa923f3dbebb90934")
    }

    @Test func millionAs() throws {
        var hasher = try SHA256Hasher()
        let block = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { try hasher.update(block) }
        #expect(Crypto.hex(try hasher.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func hmacRFC4231() throws {
        let case1 = try Crypto.hmacSHA256(key: [UInt8](repeating: 0x0B, count: 20), data: Array("Hi There".utf8))
        #expect(Crypto.hex(case1) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let case2 = try Crypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        #expect(Crypto.hex(case2) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        let longKey = [UInt8](repeating: 0xAA, count: 131)
        let case6 = try Crypto.hmacSHA256(
            key: longKey,
            data: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        )
        #expect(Crypto.hex(case6) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
        let empty = try Crypto.hmacSHA256(key: [], data: [])
        #expect(Crypto.hex(empty) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }

    @Test func hmacIsConsistentAcrossThreads() async throws {
        let expected = try Crypto.hmacSHA256(key: Array("Jefe".utf8), data: Array("what do ya want for nothing?".utf8))
        let mismatches = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var wrong = 0
                    for _ in 0..<500 {
                        let tag = try? Crypto.hmacSHA256(
                            key: Array("Jefe".utf8),
                            data: Array("what do ya want for nothing?".utf8)
                        )
                        if tag != expected { wrong += 1 }
                    }
                    return wrong
                }
            }
            return await group.reduce(0, +)
        }
        #expect(mismatches == 0)
    }

    @Test func contentMD5() throws {
        #expect(try Crypto.md5Base64([UInt8]()) == "1B2M2Y8AsgTpgAmY7PhCfg==")
        #expect(try Crypto.md5Base64(Array("Welcome to Amazon S3.".utf8)) == "1EfQ6PKJ8WoS/2AnznfCWA==")
    }

    @Test func hexIsLowerCase() {
        #expect(Crypto.hex([0x00, 0xFF, 0x10, 0xAB]) == "00ff10ab")
        #expect(Crypto.hex([]) == "")
    }

    @Test func constantTimeEquals() {
        #expect(Crypto.constantTimeEquals([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEquals([1, 2, 3], [1, 2]))
        #expect(Crypto.constantTimeEquals([], []))
    }
}
