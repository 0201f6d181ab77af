import Codecs
import Firehose
import Foundation
import JSONBytes
import ServiceSupport
import Sink
import Testing

@testable import Pipeline

/// A large batch prepared and compressed on several threads writes the same NDJSON, under the same keys, as on one.
@Suite struct BatchThreadsTests {
    /// Keeps what it is given.
    final class CapturingSink: ObjectSink, Sendable {
        let objects = LockedValue<[SinkObject]>([])
        var description: String { "capturing sink" }
        func put(_ objects: [SinkObject]) throws(SinkError) { self.objects.withLock { $0 += objects } }
        func checkWritable() throws(SinkError) {}
    }

    /// About 3 MiB of CloudTrail-like events in two regions (one partition of about 2.4 MiB), many texts repeated;
    /// every third event's text is a `message` that says nothing without its event type.
    static func body() -> [UInt8] {
        var writer = JSONWriter(capacity: 5 << 20)
        writer.appendRaw(#"{"requestId":"threads-1","timestamp":1733300000000,"records":["#)
        for index in 0..<3_000 {
            let region = index % 5 == 0 ? "eu-west-1" : "us-east-1"
            let typed = ["ConsoleLogin", "StopLogging", "PutBucketPolicy"][index / 3 % 3]
            let name = index % 3 == 0 ? typed : "Action\(index % 40)"
            let message = index % 3 == 0 ? #","message":"event \#(index)""# : ""
            let event = #"{"eventVersion":"1.08","eventTime":"2024-12-03T22:10:00Z","eventSource":"iam.amazonaws.com","#
                + #""eventName":"\#(name)","awsRegion":"\#(region)","recipientAccountId":"444455556666","#
                + #""requestID":"\#(index)"\#(message),"pad":"\#(String(repeating: "x", count: 900))"}"#
            if index > 0 { writer.appendRaw(",") }
            writer.appendRaw(#"{"data":""#)
            writer.appendRaw(Base64.encode(Array(event.utf8)))
            writer.appendRaw(#""}"#)
        }
        writer.appendRaw("]}")
        return writer.bytes
    }

    func run(
        threads: Int,
        format: OutputFormat,
        body: [UInt8],
        contentEncoding: String? = nil,
        inflateBudget: (batch: Int, record: Int)? = nil
    ) throws -> (objects: [SinkObject], report: BatchReport) {
        var configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        configuration.batchThreads = threads
        if let inflateBudget {
            configuration.maxInflatedBatchBytes = inflateBudget.batch
            configuration.maxInflatedRecordBytes = inflateBudget.record
        }
        configuration.format = format
        let sink = CapturingSink()
        let processor = BatchProcessor(
            configuration: configuration,
            mapper: try EngineFactory.makeMapper(configuration),
            mappingOptions: try EngineFactory.makeOptions(configuration),
            sink: sink
        )
        let head = FirehoseRequestHead(header: { name in
            switch name.lowercased() {
            case "x-amz-firehose-request-id": "threads-1"
            case "content-encoding": contentEncoding
            default: nil
            }
        })
        let outcome = processor.process(head: head, body: body)
        #expect(outcome.status == 200)
        return (sink.objects.withLock { $0 }.sorted { $0.key < $1.key }, outcome.report)
    }

    @Test(arguments: [OutputFormat.ndjsonGzip, .ndjsonZstd])
    func severalThreadsWriteTheSameLinesAsOne(format: OutputFormat) throws {
        let body = Self.body()
        let one = try run(threads: 1, format: format, body: body)
        let two = try run(threads: 2, format: format, body: body)
        let three = try run(threads: 3, format: format, body: body)
        func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
            format == .ndjsonZstd ? try Zstd.decompress(bytes, limit: 1 << 26) : try Gzip.inflate(bytes, limit: 1 << 26)
        }
        #expect(one.objects.count == 2)
        // The message-only events are mapped from their event type on one thread (the reference).
        let lines = try one.objects.flatMap { try decompress($0.body).split(separator: UInt8(ascii: "\n")) }
        let messageLines = lines.filter { String(decoding: $0, as: UTF8.self).contains(#""message":"event "#) }
        #expect(messageLines.count == 1_000)
        #expect(messageLines.allSatisfy { !String(decoding: $0, as: UTF8.self).contains(#""secberus_compliance":[]"#) })
        for other in [two, three] {
            #expect(other.objects.map(\.key) == one.objects.map(\.key))
            for (mine, theirs) in zip(one.objects, other.objects) {
                #expect(try decompress(mine.body) == decompress(theirs.body))
            }
            #expect(other.report.events == 3_000 && one.report.events == 3_000)
            #expect(other.report.distinctTexts == one.report.distinctTexts)
            #expect(other.report.recordBytes == one.report.recordBytes)
            #expect(other.report.outputBytes == one.report.outputBytes)
        }
        // On several threads the large object is cut into pieces (compressed at once) the same way whatever the
        // threads; on one (`batch_threads` 1) it is not; the small one never is.
        #expect(two.objects == three.objects)
        let large = try #require(one.objects.max { $0.body.count < $1.body.count })
        #expect(two.objects.first { $0.key == large.key }?.body != large.body)
        let small = try #require(one.objects.min { $0.body.count < $1.body.count })
        #expect(two.objects.first { $0.key == small.key }?.body == small.body)
    }

    /// A gzip body decoded while its records are prepared (on two and three threads) writes what one thread does.
    @Test func anOverlappedDecodeWritesTheSameObjects() throws {
        let body = Self.body()
        let one = try run(threads: 1, format: .ndjsonGzip, body: body)
        for threads in [2, 3] {
            let gzip = Gzip.deflate(body)
            let overlapped = try run(threads: threads, format: .ndjsonGzip, body: gzip, contentEncoding: "gzip")
            #expect(overlapped.objects.map(\.key) == one.objects.map(\.key))
            for (mine, theirs) in zip(one.objects, overlapped.objects) {
                #expect(try Gzip.inflate(mine.body, limit: 1 << 26) == Gzip.inflate(theirs.body, limit: 1 << 26))
            }
            #expect(overlapped.report.events == one.report.events)
            #expect(overlapped.report.distinctTexts == one.report.distinctTexts)
            #expect(overlapped.report.recordBytes == one.report.recordBytes)
            #expect(overlapped.report.records == one.report.records)
        }
    }

    /// Gzip records whose inflated total is near `max_inflated_batch_bytes` (4 × 1.5 MB under an 8 MiB budget, then
    /// 6 × 1.5 MB over it: three at the end of the batch's first half, three at the start of its second, so that two
    /// threads reach the second three first) are inflated, or kept whole, on several threads exactly as on one: the
    /// budget is counted in record order, whatever the threads and whichever finishes first.
    @Test(arguments: [[0, 100, 200, 300], [1_000, 1_100, 1_199, 1_200, 1_201, 1_202]])
    func theInflateBudgetDoesNotDependOnTheThreads(largeRecords: [Int]) throws {
        var writer = JSONWriter(capacity: 4 << 20)
        writer.appendRaw(#"{"requestId":"threads-1","timestamp":1733300000000,"records":["#)
        let filler = String(repeating: "a", count: 1_500_000)
        for index in 0..<2_400 {
            // Each large record differs, so the one kept whole shows in the objects.
            let event = largeRecords.contains(index)
                ? Gzip.deflate(Array(#"{"message":"large record \#(index) \#(filler)"}"#.utf8))
                : Array(#"{"message":"padding event \#(index) \#(String(repeating: "x", count: 1_000))"}"#.utf8)
            writer.appendRaw(index == 0 ? #"{"data":""# : #",{"data":""#)
            writer.appendRaw(Base64.encode(event))
            writer.appendRaw(#""}"#)
        }
        writer.appendRaw("]}")
        let body = writer.bytes
        let budget = (batch: 8 << 20, record: 2 << 20)
        let one = try run(threads: 1, format: .ndjsonGzip, body: body, inflateBudget: budget)
        #expect(one.report.wrappedEvents == (largeRecords.count > 5 ? 1 : 0))
        let gzip = Gzip.deflate(body)
        for _ in 0..<3 {
            let threaded = try run(threads: 2, format: .ndjsonGzip, body: body, inflateBudget: budget)
            let overlapped = try run(
                threads: 2, format: .ndjsonGzip, body: gzip, contentEncoding: "gzip", inflateBudget: budget
            )
            for other in [threaded, overlapped] {
                #expect(other.report.wrappedEvents == one.report.wrappedEvents)
                #expect(other.objects.map(\.key) == one.objects.map(\.key))
                for (mine, theirs) in zip(one.objects, other.objects) {
                    #expect(try Gzip.inflate(mine.body, limit: 1 << 26) == Gzip.inflate(theirs.body, limit: 1 << 26))
                }
            }
        }
    }

    /// `batch_threads` 0: a batch that runs alone gets every core; its large object is cut into the same members
    /// whatever the threads (so a retry under load writes the same bytes), and not cut with `batch_threads` 1.
    @Test func aLoneBatchGetsTheIdleCoresAndWritesTheSameBytes() throws {
        let body = Self.body()
        let one = try run(threads: 1, format: .ndjsonGzip, body: body)
        let adaptive = try run(threads: 0, format: .ndjsonGzip, body: body)
        let two = try run(threads: 2, format: .ndjsonGzip, body: body)
        #expect(adaptive.objects == two.objects)
        #expect(try run(threads: 8, format: .ndjsonZstd, body: body).objects
            == run(threads: 2, format: .ndjsonZstd, body: body).objects)
        #expect(adaptive.objects.map(\.key) == one.objects.map(\.key))
        for (mine, theirs) in zip(one.objects, adaptive.objects) {
            let content = try Gzip.inflate(mine.body, limit: 1 << 26)
            #expect(try Gzip.inflate(theirs.body, limit: 1 << 26) == content)
            #expect(mine.body == Gzip.deflate(content), "one member with batch_threads 1")
        }
        let large = try #require(one.objects.max { $0.body.count < $1.body.count })
        #expect(try Gzip.inflate(large.body, limit: 1 << 26).count >= 2 << 20, "a large object to cut")
        #expect(adaptive.objects.first { $0.key == large.key }?.body != large.body, "cut into several members")
    }

    @Test func compressorPiecesJoinBackToTheInput() throws {
        var input: [UInt8] = []
        let block = (0..<251).map { UInt8($0) }
        while input.count < (2 << 20) + 12_345 { input += block }
        for parallelism in [1, 2, 4] {
            let gzip = ObjectCompressor(codec: .gzip(level: 1), parallelism: parallelism).compress([input, [], [1, 2]])
            #expect(try gzip.map { try Gzip.inflate($0, limit: 1 << 23) } == [input, [], [1, 2]])
            let zstd = ObjectCompressor(codec: .zstd(level: 1), parallelism: parallelism).compress([[7], input])
            #expect(try zstd.map { try Zstd.decompress($0, limit: 1 << 23) } == [[7], input])
        }
    }

    /// Each object is handed on once, whole, as soon as its last piece is compressed, whatever the order in which
    /// the threads finish the pieces of several cut objects.
    @Test func compressorDeliversEachObjectOnceWhole() throws {
        let inputs: [[UInt8]] = (0..<6).map { index in
            let size = index.isMultiple(of: 2) ? (3 << 20) + index * 777 : 1_000 + index
            return (0..<size).map { UInt8(truncatingIfNeeded: $0 &* (index + 3) >> 4) }
        }
        for parallelism in [1, 2, 4] {
            let delivered = LockedValue([Int: [[UInt8]]]())
            ObjectCompressor(codec: .gzip(level: 1), parallelism: parallelism).compress(inputs) { index, body in
                delivered.withLock { $0[index, default: []].append(body) }
            }
            let bodies = delivered.value
            #expect(bodies.keys.sorted() == Array(inputs.indices))
            for (index, input) in inputs.enumerated() {
                #expect(bodies[index]?.count == 1)
                #expect(try bodies[index].map { try Gzip.inflate($0[0], limit: 1 << 23) } == input)
            }
        }
    }
}
