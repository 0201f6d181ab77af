import Codecs
import Firehose
import Foundation
import Testing

/// A large gzip body decoded while its records are handed on: the same batch as the ordinary decode, the records
/// handed on in order and exactly once, and `nil` (the caller then decodes as usual) for anything unusual.
@Suite struct OverlappedDecodeTests {
    typealias T = TestSupport
    let decoder = FirehoseBatchDecoder()

    /// About 1.6 MiB of base64 records of varied lengths (some empty), so that records straddle the slices.
    static let payloads: [[UInt8]] = (0..<1_200).map { index in
        let length = index % 97 == 0 ? 0 : 200 + (index * 7_919) % 1_500
        return (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
    }

    /// Decodes overlapped with a `prepare` that returns the run it was given.
    func overlapped(
        _ body: [UInt8],
        head: FirehoseRequestHead = TestSupport.head(contentEncoding: "gzip"),
        threads: Int = 3
    ) -> (batch: FirehoseBatch, runs: [[[UInt8]]], timestamps: Set<Int64?>)? {
        let timestamps = LockedSet()
        guard
            let result = decoder.decodeOverlapped(body: body, head: head, threads: threads, prepare: { run, stamp in
                timestamps.insert(stamp)
                return Array(run)
            })
        else { return nil }
        return (result.batch, result.parts, timestamps.values)
    }

    @Test(arguments: [1, 2, 3, 8])
    func theBatchAndTheRunsAreTheOrdinaryDecode(threads: Int) throws {
        let body = T.body(records: Self.payloads)
        let gzip = Gzip.deflate(body)
        let ordinary = try decoder.decode(body: gzip, head: T.head(contentEncoding: "gzip"))
        guard threads > 1 else {
            #expect(overlapped(gzip, threads: threads) == nil, "one thread decodes the ordinary way")
            return
        }
        let result = try #require(overlapped(gzip, threads: threads))
        #expect(result.batch.requestID == ordinary.requestID)
        #expect(result.batch.timestampMillis == ordinary.timestampMillis)
        #expect(result.batch.records == ordinary.records)
        #expect(result.runs.flatMap { $0 } == ordinary.records)
        #expect(result.runs.count > 1)
        #expect(result.timestamps == [1_733_300_000_000])
    }

    @Test func whitespaceBetweenTokensIsRead() throws {
        let records = Self.payloads.map { "\n  { \"data\" :\t\"\(T.base64($0))\" }" }.joined(separator: " ,")
        let text = "{ \"requestId\" : \"\(T.requestID)\" ,\r\n \"timestamp\" : 1733300000000 , "
            + "\"records\" : [\(records)\n] }\n"
        let gzip = Gzip.deflate(T.bytes(text))
        let ordinary = try decoder.decode(body: gzip, head: T.head(contentEncoding: "gzip"))
        let result = try #require(overlapped(gzip))
        #expect(result.batch.records == ordinary.records)
        #expect(result.runs.flatMap { $0 } == ordinary.records)
    }

    /// Bodies the ordinary decode answers (some accept, some refuse) and the overlapped one leaves to it.
    @Test func anythingUnusualIsLeftToTheOrdinaryDecode() throws {
        let data = Self.payloads.map(T.base64)
        let plain = T.body(dataStrings: data)
        let text = String(decoding: plain, as: UTF8.self)
        let records = data.map { "{\"data\":\"\($0)\"}" }.joined(separator: ",")
        let cases: [(String, [UInt8])] = [
            (
                "records before timestamp",
                T.bytes("{\"requestId\":\"\(T.requestID)\",\"records\":[\(records)],\"timestamp\":1733300000000}")
            ),
            (
                "a record with another member",
                T.bytes(text.replacingOccurrences(of: "{\"data\":", with: "{\"x\":1,\"data\":"))
            ),
            ("an escape in data", T.bytes(text.replacingOccurrences(of: "+", with: "\\u002b"))),
            ("a byte order mark", [0xEF, 0xBB, 0xBF] + plain),
            ("a second records member", T.body(dataStrings: data, extra: ",\"records\":[]")),
            ("trailing bytes", plain + T.bytes("x")),
            ("a request id mismatch", T.body(requestID: "other", dataStrings: data)),
            ("bad base64", T.body(dataStrings: data + ["!!!!"])),
            ("a timestamp that is an object", T.body(timestamp: "{}", dataStrings: data)),
            (
                "a 70 KB timestamp string (read again at every slice)",
                T.body(timestamp: "\"" + String(repeating: "\\\"", count: 35_000) + "\"", dataStrings: data)
            ),
        ]
        for (name, body) in cases {
            #expect(overlapped(Gzip.deflate(body)) == nil, "\(name)")
        }
        let half = plain.count / 2
        let twoMembers = Gzip.deflate(Array(plain[..<half])) + Gzip.deflate(Array(plain[half...]))
        #expect(overlapped(twoMembers) == nil, "two gzip members")
        #expect(try decoder.decode(body: twoMembers, head: T.head(contentEncoding: "gzip")).records == Self.payloads)
        #expect(overlapped(plain, head: T.head()) == nil, "identity encoding")
        #expect(overlapped(Gzip.deflate(T.body(dataStrings: ["aGVsbG8="]))) == nil, "a small body")
        #expect(overlapped(Array(Gzip.deflate(plain).dropLast(9))) == nil, "a truncated stream")
        #expect(overlapped(Gzip.deflate(plain), head: T.head(requestID: nil, contentEncoding: "gzip")) == nil)
    }

    /// Damaged bodies (a byte replaced, inserted or removed, at the envelope's edges and across the records): the
    /// overlapped decode either leaves the body to the ordinary one or gives exactly what the ordinary one gives.
    @Test func aDamagedBodyIsDecodedAsTheOrdinaryDecodeDecodesIt() throws {
        let plain = T.body(records: Self.payloads)
        let edges = Array(0..<24) + Array(plain.count - 24..<plain.count)
        let inside = (1...16).map { $0 * 104_729 % plain.count }
        let replacements: [UInt8] = [0x20, 0x22, 0x5C, 0x7B, 0x7D, 0x5B, 0x5D, 0x2C, 0x3A, 0x78, 0x00, 0x80, 0x0A]
        var agreed = 0
        for (index, position) in (edges + inside).enumerated() {
            var body = plain
            switch index % 3 {
            case 0: body[position] = replacements[index % replacements.count]
            case 1: body.insert(index % 2 == 0 ? 0x20 : 0x2C, at: position)
            default: body.remove(at: position)
            }
            let gzip = Gzip.deflate(body)
            guard let result = overlapped(gzip) else { continue }
            let ordinary = try #require(
                try? decoder.decode(body: gzip, head: T.head(contentEncoding: "gzip")),
                "accepted overlapped but refused by the ordinary decode: change \(index) at \(position)"
            )
            #expect(result.batch.records == ordinary.records, "change \(index) at \(position)")
            #expect(result.runs.flatMap { $0 } == ordinary.records, "change \(index) at \(position)")
            #expect(result.batch.timestampMillis == ordinary.timestampMillis)
            agreed += 1
        }
        #expect(agreed > 0, "some changes (whitespace between tokens) keep the body readable")
    }

    @Test func tooManyRecordsAreLeftToTheOrdinaryDecode() throws {
        let small = FirehoseBatchDecoder(limits: .init(maxRecords: 1_000))
        let gzip = Gzip.deflate(T.body(records: Self.payloads))
        let result = small.decodeOverlapped(
            body: gzip, head: T.head(contentEncoding: "gzip"), threads: 2, prepare: { run, _ in run.count }
        )
        #expect(result == nil)
        #expect(throws: FirehoseError.self) { try small.decode(body: gzip, head: T.head(contentEncoding: "gzip")) }
    }
}

/// Timestamps seen by `prepare` on several threads.
private final class LockedSet: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = Set<Int64?>()

    func insert(_ value: Int64?) { lock.withLock { _ = stored.insert(value) } }
    var values: Set<Int64?> { lock.withLock { stored } }
}
