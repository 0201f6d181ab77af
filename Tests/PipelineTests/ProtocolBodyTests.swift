import Codecs
import Foundation
import Glibc
import Testing

/// Fixtures B1–B15 of firehose-protocol.md §5 (body encoding and size) against the running service. Every
/// Firehose response is also checked against the response contract (P1–P4).
@Suite struct ProtocolBodyTests {
    /// The loopback client and its helpers.
    typealias Client = ProtocolClient

    /// A valid body with the records `hello` and `hello world`.
    static func helloBody(_ requestID: String) -> [UInt8] {
        Client.body(requestID: requestID, data: ["aGVsbG8=", "aGVsbG8gd29ybGQ="])
    }

    /// A Firehose request with `Content-Encoding` set (or left out when `nil`).
    static func encoded(_ requestID: String, body: [UInt8], encoding: String?) -> Client.Request {
        var request = Client.firehose(requestID: requestID, body: body)
        request.setHeader("Content-Encoding", encoding)
        return request
    }

    /// The `_raw` values of every output line, in order.
    static func rawValues(_ harness: Client.Harness) throws -> [String?] {
        try harness.lines().map { Client.string("_raw", in: $0) }
    }

    /// B1: `Content-Encoding: gzip` with a valid body → 200 and both records stored.
    @Test func b1GzipBody() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Self.encoded(id, body: Gzip.deflate(Self.helloBody(id)), encoding: "gzip"), status: 200)
            #expect(try Self.rawValues(harness) == ["hello", "hello world"])
        }
    }

    /// B2: a body of two concatenated gzip members (the JSON text split across them) is decoded whole.
    @Test func b2MultiMemberGzipBody() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let text = Self.helloBody(id)
            let middle = text.count / 2
            let body = Gzip.deflate(Array(text[..<middle])) + Gzip.deflate(Array(text[middle...]), level: 9)
            try harness.deliver(Self.encoded(id, body: body, encoding: "gzip"), status: 200)
            #expect(try Self.rawValues(harness) == ["hello", "hello world"])
        }
    }

    /// B3: `Content-Encoding: gzip` with a plain JSON body → 400 with a message naming gzip.
    @Test func b3GzipHeaderWithPlainBody() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let (_, reply) = try harness.deliver(Self.encoded(id, body: Self.helloBody(id), encoding: "gzip"),
                                                 status: 400)
            #expect(reply?.errorMessage?.lowercased().contains("gzip") == true, "\(reply?.errorMessage ?? "")")
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// B4: truncated gzip (length, CRC or deflate data missing) and a wrong CRC → 400.
    @Test func b4TruncatedOrCorruptGzip() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let whole = Gzip.deflate(Self.helloBody(id))
            var badCRC = whole
            badCRC[badCRC.count - 8] ^= 0xFF
            let variants = [Array(whole.dropLast(4)), Array(whole.dropLast(8)), Array(whole.prefix(whole.count / 2)),
                            Array(whole.prefix(5)), badCRC]
            for body in variants {
                try harness.deliver(Self.encoded(id, body: body, encoding: "gzip"), status: 400)
            }
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// B5 (decided): gzip names match case-insensitively, `x-gzip` is gzip, `identity` is plain; `br`, `deflate`
    /// and stacked codings → 415.
    @Test func b5ContentEncodingVariants() throws {
        try Client.withService { harness in
            for encoding in ["GZIP", "x-gzip", "Gzip"] {
                let id = Client.newRequestID()
                try harness.deliver(Self.encoded(id, body: Gzip.deflate(Self.helloBody(id)), encoding: encoding),
                                    status: 200)
            }
            let plain = Client.newRequestID()
            try harness.deliver(Self.encoded(plain, body: Self.helloBody(plain), encoding: "identity"), status: 200)
            #expect(try harness.objectKeys().count == 4)
            for encoding in ["br", "deflate", "gzip, br", "zstd"] {
                let id = Client.newRequestID()
                let (_, reply) = try harness.deliver(
                    Self.encoded(id, body: Gzip.deflate(Self.helloBody(id)), encoding: encoding), status: 415)
                #expect(reply?.errorMessage?.contains("Content-Encoding") == true)
            }
            #expect(try harness.objectKeys().count == 4)
        }
    }

    /// The bomb builder itself: a small bomb is a valid gzip member (CRC and length checked by the inflater).
    @Test func b6GzipBombBuilderIsValidGzip() throws {
        let (bomb, count) = Self.gzipBomb(matches: 1_000)
        let inflated = try Gzip.inflate(bomb, limit: count)
        #expect(inflated.count == count)
        #expect(inflated.allSatisfy { $0 == 0 })
        #expect(Self.crc32OfZeros(0) == 0)
    }

    /// B6 (decided: 400, never 413): a 1 MiB body that inflates to over 1 GiB is refused at the decompressed cap
    /// (the default 65 MiB) without inflating it all; the service keeps serving.
    @Test func b6GzipBomb() throws {
        let (bomb, inflatedCount) = Self.gzipBomb(matches: ((1 << 30) + 257) / 258)
        #expect(inflatedCount >= 1 << 30)
        #expect(bomb.count < 1_100_000)
        try Client.withService { harness in
            let id = Client.newRequestID()
            let (_, reply) = try harness.deliver(Self.encoded(id, body: bomb, encoding: "gzip"), status: 400)
            #expect(reply?.errorMessage?.contains("exceeds") == true, "\(reply?.errorMessage ?? "")")
            #expect(try harness.objectFiles().isEmpty)
            let health = try harness.send(Client.Request(method: "GET", target: "/healthz", framing: .none))
            #expect(health.status == 200)
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            #expect(usage.ru_maxrss < 1 << 20, "peak resident set \(usage.ru_maxrss) KiB")
        }
    }

    /// B6 inside a record: a record that inflates to 512 MiB is kept losslessly as `_raw_base64` with the decode
    /// error (the record cap is 16 MiB); nothing is lost and the request succeeds.
    @Test func b6GzipBombInsideRecord() throws {
        let (bomb, _) = Self.gzipBomb(matches: (1 << 29) / 258)
        #expect(bomb.count < 1_024_000)
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: id, records: [bomb]), status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 1)
            #expect(lines.first.flatMap { Client.string("_raw_base64", in: $0) } == Client.base64(bomb))
            #expect(lines.first.flatMap { Client.string("_decode_error", in: $0) } != nil)
        }
    }

    /// B7: a body exactly at a small configured `maxBodyBytes` → 200; one byte over → 400 (never 413), with
    /// Content-Length and with chunked framing. The same at the decompressed cap.
    @Test func b7BodyAtConfiguredMaximum() throws {
        let (atLimit, overLimit, chunked) = (Client.newRequestID(), Client.newRequestID(), Client.newRequestID())
        let limit = Self.helloBody(atLimit).count
        try Client.withService({ $0.maxBodyBytes = limit }) { harness in
            try harness.deliver(Client.firehose(requestID: atLimit, body: Self.helloBody(atLimit)), status: 200)
            let over = Client.firehose(requestID: overLimit, body: Self.helloBody(overLimit) + [0x20])
            try harness.deliver(over, status: 400)
            var chunkedOver = Client.firehose(requestID: chunked, body: Self.helloBody(chunked) + [0x0A])
            chunkedOver.framing = .chunked(pieceSize: 16)
            try harness.deliver(chunkedOver, status: 400)
            let keys = try harness.objectKeys()
            #expect(keys.count == 1)
            #expect(keys.first?.contains(atLimit) == true)
        }
        let text = Self.helloBody(atLimit)
        try Client.withService({ $0.maxDecompressedBytes = text.count }) { harness in
            try harness.deliver(Self.encoded(atLimit, body: Gzip.deflate(text), encoding: "gzip"), status: 200)
            let over = Self.helloBody(overLimit) + [0x20]
            try harness.deliver(Self.encoded(overLimit, body: Gzip.deflate(over), encoding: "gzip"), status: 400)
            try harness.deliver(Client.firehose(requestID: overLimit, body: over), status: 400)
            #expect(try harness.objectKeys().count == 1)
        }
    }

    /// B8: 10,000 one-byte records → 200 with 10,000 events in order; 10,001 records → 400.
    @Test func b8TenThousandOneByteRecords() throws {
        let letters = Array("abcdefghijklmnopqrstuvwxyz".utf8)
        let records = (0..<10_000).map { [letters[$0 % letters.count]] }
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: id, records: records), status: 200)
            let values = try Self.rawValues(harness)
            #expect(values.count == 10_000)
            #expect(values == records.map { String(decoding: $0, as: UTF8.self) })
            let tooMany = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: tooMany, records: records + [[0x61]]), status: 400)
            #expect(try harness.objectKeys().allSatisfy { $0.contains(id) })
        }
    }

    /// B9: one record of exactly 1,024,000 bytes (1,365,336 base64 characters) → 200, stored byte for byte;
    /// 1,024,001 bytes → 400.
    @Test func b9LargestRecord() throws {
        let head = Array(#"{"eventName":"BigRecord","message":""#.utf8)
        let tail = Array(#""}"#.utf8)
        let record = head + [UInt8](repeating: UInt8(ascii: "m"), count: 1_024_000 - head.count - tail.count) + tail
        #expect(record.count == 1_024_000)
        #expect(Client.base64(record).utf8.count == 1_365_336)
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: id, records: [record]), status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 1)
            #expect(lines.first.map { Array($0.prefix(record.count - 1)) == Array(record.dropLast()) } == true)
            #expect(lines.first.flatMap { Client.string("message", in: $0)?.utf8.count }
                == record.count - head.count - tail.count)
            let over = Array(record.dropLast(2)) + [UInt8(ascii: "m")] + tail
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [over]), status: 400)
            #expect(try harness.objectKeys().count == 1)
        }
    }

    /// B10 (decided): `"records": []` → 200, nothing written.
    @Test func b10EmptyRecordsArray() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: id, body: Client.body(requestID: id, data: [])), status: 200)
            #expect(harness.allFiles().isEmpty, "\(harness.allFiles())")
        }
    }

    /// B11: `records` missing, `null`, an object or a string → 400.
    @Test func b11RecordsMissingOrNull() throws {
        try Client.withService { harness in
            for records in ["", #","records":null"#, #","records":{}"#, #","records":"aGVsbG8=""#] {
                let id = Client.newRequestID()
                let body = Array(#"{"requestId":"\#(id)","timestamp":1733300000000\#(records)}"#.utf8)
                try harness.deliver(Client.firehose(requestID: id, body: body), status: 400)
            }
            #expect(try harness.objectFiles().isEmpty)
        }
    }

    /// B12: unknown top-level and record fields are ignored → 200.
    @Test func b12UnknownFields() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let body = #"""
                {"foo":1,"requestId":"\#(id)","nested":{"records":[]},"timestamp":1733300000000,
                 "records":[{"data":"aGVsbG8=","extra":true},{"meta":null,"data":"aGVsbG8gd29ybGQ="}],"bar":[1,2]}
                """#
            try harness.deliver(Client.firehose(requestID: id, body: Array(body.utf8)), status: 200)
            #expect(try Self.rawValues(harness) == ["hello", "hello world"])
        }
    }

    /// B13: `timestamp` missing, a float, a string, null, negative or in seconds → 200, data stored.
    @Test func b13OddTimestamps() throws {
        try Client.withService { harness in
            for timestamp in ["", #","timestamp":1733300000000.5"#, #","timestamp":"1733300000000""#,
                              #","timestamp":null"#, #","timestamp":-1"#, #","timestamp":1733300000"#] {
                let id = Client.newRequestID()
                let body = #"{"requestId":"\#(id)"\#(timestamp),"records":[{"data":"aGVsbG8="}]}"#
                try harness.deliver(Client.firehose(requestID: id, body: Array(body.utf8)), status: 200)
                #expect(try harness.objectKeys().filter { $0.contains(id) }.count == 1, "\(timestamp)")
            }
        }
    }

    /// B13: the request timestamp is "never trusted for logic": one in seconds, zero or negative must not file
    /// events without a time of their own under a 1969/1970 day (the service already ignores event times outside
    /// 2000–2100 the same way).
    @Test func b13ImplausibleTimestampDoesNotPickTheDay() throws {
        try Client.withService { harness in
            for timestamp in ["1733300000", "0", "-1"] {
                let id = Client.newRequestID()
                let body = #"{"requestId":"\#(id)","timestamp":\#(timestamp),"records":[{"data":"aGVsbG8="}]}"#
                try harness.deliver(Client.firehose(requestID: id, body: Array(body.utf8)), status: 200)
                let keys = try harness.objectKeys().filter { $0.contains(id) }
                #expect(keys.count == 1)
                #expect(keys.allSatisfy { !$0.contains("/eventDay=19") }, "timestamp \(timestamp): \(keys)")
            }
        }
    }

    /// B14: trailing garbage, truncated text, duplicate Firehose fields, invalid UTF-8, a non-object, an empty body
    /// → 400; (decided) a UTF-8 byte order mark before the body → 200.
    @Test func b14InvalidJSON() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let valid = Self.helloBody(id)
            let invalid: [[UInt8]] = [
                valid + Array("x".utf8),
                valid + Array("{}".utf8),
                Array(valid.dropLast(3)),
                Array(#"{"requestId":"\#(id)","records":[],"records":[{"data":"aGVsbG8="}]}"#.utf8),
                Array(#"{"requestId":"\#(id)","requestId":"\#(id)","records":[{"data":"aGVsbG8="}]}"#.utf8),
                Array(#"{"requestId":"\#(id)","records":[{"data":"aGVsbG8=","data":"aGVsbG8="}]}"#.utf8),
                Array(#"{"requestId":"\#(id)","foo":""#.utf8) + [0xFF, 0xFE] + Array(#"","records":[]}"#.utf8),
                Array(#"{"requestId":"\#(id)","foo":""#.utf8) + [0xC0, 0xAF] + Array(#"","records":[]}"#.utf8),
                Array(#"[{"requestId":"\#(id)"}]"#.utf8),
                [],
                Array("null".utf8),
            ]
            for (index, body) in invalid.enumerated() {
                let (_, reply) = try harness.deliver(Client.firehose(requestID: id, body: body), status: 400)
                #expect(reply != nil, "variant \(index)")
            }
            #expect(try harness.objectFiles().isEmpty)
            try harness.deliver(Client.firehose(requestID: id, body: [0xEF, 0xBB, 0xBF] + valid), status: 200)
            #expect(try Self.rawValues(harness) == ["hello", "hello world"])
        }
    }

    /// B15: bounded parsing. A deeply nested body → 400. Deeply nested or very long record contents → 200, kept
    /// verbatim (wrapped when they are not a parsable object); the service keeps serving.
    @Test func b15DeepNestingAndLongStrings() throws {
        try Client.withService { harness in
            let deepBody = Client.newRequestID()
            let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let body = #"{"requestId":"\#(deepBody)","deep":\#(nested),"records":[{"data":"aGVsbG8="}]}"#
            try harness.deliver(Client.firehose(requestID: deepBody, body: Array(body.utf8)), status: 400)

            let id = Client.newRequestID()
            let deepArray = Array(nested.utf8)
            let deepObject = Array((String(repeating: #"{"a":"#, count: 5_000) + "1"
                + String(repeating: "}", count: 5_000)).utf8)
            let longString = Array(#"{"message":""#.utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 900_000)
                + Array(#""}"#.utf8)
            try harness.deliver(Client.firehose(requestID: id, records: [deepArray, deepObject, longString]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 3)
            let stored = lines.map { Client.string("_raw", in: $0) }
            #expect(stored.contains(String(decoding: deepArray, as: UTF8.self)))
            #expect(stored.contains(String(decoding: deepObject, as: UTF8.self)))
            #expect(lines.contains { $0.starts(with: longString.dropLast()) })
            let health = try harness.send(Client.Request(method: "GET", target: "/healthz", framing: .none))
            #expect(health.status == 200)
        }
    }
}

extension ProtocolBodyTests {
    /// Writes a deflate bit stream: values least-significant bit first, Huffman codes most-significant bit first
    /// (RFC 1951 §3.1.1).
    struct BitWriter {
        /// The whole bytes written so far.
        private(set) var bytes: [UInt8] = []
        private var pending: UInt8 = 0
        private var pendingCount = 0

        /// Appends a value's low `count` bits, least significant first.
        /// - Parameters:
        ///   - value: The value.
        ///   - count: How many of its low bits to write.
        mutating func write(_ value: Int, bits count: Int) {
            for index in 0..<count { push((value >> index) & 1) }
        }

        /// Appends a Huffman code of `length` bits, most significant first.
        /// - Parameters:
        ///   - code: The code.
        ///   - length: Its length in bits.
        mutating func writeCode(_ code: Int, length: Int) {
            for index in stride(from: length - 1, through: 0, by: -1) { push((code >> index) & 1) }
        }

        /// Appends `count` zero bits, whole bytes at once.
        /// - Parameter count: The number of zero bits.
        mutating func writeZeros(_ count: Int) {
            var remaining = count
            while remaining > 0 && pendingCount != 0 {
                push(0)
                remaining -= 1
            }
            bytes.append(contentsOf: repeatElement(0, count: remaining / 8))
            for _ in 0..<(remaining % 8) { push(0) }
        }

        /// Pads the last byte with zero bits and returns the stream.
        /// - Returns: The deflate bytes.
        mutating func finish() -> [UInt8] {
            if pendingCount > 0 { bytes.append(pending) }
            pending = 0
            pendingCount = 0
            return bytes
        }

        private mutating func push(_ bit: Int) {
            pending |= UInt8(bit) << UInt8(pendingCount)
            pendingCount += 1
            if pendingCount == 8 {
                bytes.append(pending)
                pending = 0
                pendingCount = 0
            }
        }
    }

    /// A gzip member holding one dynamic-Huffman deflate block that expands to `1 + 258 × matches` zero bytes:
    /// a literal 0, then `matches` copies of (length 258, distance 1), each coded in two bits.
    ///
    /// Codes (canonical, RFC 1951 §3.2.2): code-length alphabet 18 → `0`, 1 → `10`, 2 → `11`; literal/length
    /// alphabet 285 → `0`, literal 0 → `10`, end of block → `11`; distances 0 → `0`, 1 → `1`.
    /// - Parameter matches: The number of 258-byte copies.
    /// - Returns: The gzip bytes and the inflated size.
    static func gzipBomb(matches: Int) -> (gzip: [UInt8], inflatedCount: Int) {
        var bits = BitWriter()
        bits.write(1, bits: 1)  // BFINAL
        bits.write(2, bits: 2)  // BTYPE: dynamic Huffman
        bits.write(286 - 257, bits: 5)  // HLIT
        bits.write(2 - 1, bits: 5)  // HDIST
        bits.write(18 - 4, bits: 4)  // HCLEN
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1]
        let codeLengthLengths = [18: 1, 1: 2, 2: 2]
        for symbol in order { bits.write(codeLengthLengths[symbol] ?? 0, bits: 3) }
        bits.writeCode(0b11, length: 2)  // literal 0 has length 2
        bits.writeCode(0, length: 1)
        bits.write(138 - 11, bits: 7)  // literals 1…138 unused
        bits.writeCode(0, length: 1)
        bits.write(117 - 11, bits: 7)  // literals 139…255 unused
        bits.writeCode(0b11, length: 2)  // end of block has length 2
        bits.writeCode(0, length: 1)
        bits.write(28 - 11, bits: 7)  // length codes 257…284 unused
        bits.writeCode(0b10, length: 2)  // length code 285 has length 1
        bits.writeCode(0b10, length: 2)  // distance code 0 has length 1
        bits.writeCode(0b10, length: 2)  // distance code 1 has length 1
        bits.writeCode(0b10, length: 2)  // literal 0
        bits.writeZeros(2 * matches)  // (285, distance 0) pairs
        bits.writeCode(0b11, length: 2)  // end of block
        let count = 1 + 258 * matches
        var gzip: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        gzip += bits.finish()
        let crc = crc32OfZeros(count)
        let size = UInt32(truncatingIfNeeded: count)
        for shift in stride(from: 0, to: 32, by: 8) { gzip.append(UInt8(truncatingIfNeeded: crc >> shift)) }
        for shift in stride(from: 0, to: 32, by: 8) { gzip.append(UInt8(truncatingIfNeeded: size >> shift)) }
        return (gzip, count)
    }

    /// The gzip CRC-32 of `count` zero bytes in O(log count): feeding one zero byte is a linear map of the CRC
    /// register over GF(2), so its `count`-th power is built by squaring.
    /// - Parameter count: The number of zero bytes.
    /// - Returns: The CRC-32.
    static func crc32OfZeros(_ count: Int) -> UInt32 {
        func feedZeroByte(_ register: UInt32) -> UInt32 {
            var value = register
            for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
            return value
        }
        func apply(_ map: [UInt32], _ vector: UInt32) -> UInt32 {
            var result: UInt32 = 0
            for bit in 0..<32 where (vector >> UInt32(bit)) & 1 == 1 { result ^= map[bit] }
            return result
        }
        var power = (0..<32).map { feedZeroByte(UInt32(1) << UInt32($0)) }
        var register: UInt32 = 0xFFFF_FFFF
        var remaining = count
        while remaining > 0 {
            if remaining & 1 == 1 { register = apply(power, register) }
            power = power.map { apply(power, $0) }
            remaining >>= 1
        }
        return register ^ 0xFFFF_FFFF
    }
}
