import Codecs
import Foundation
import Testing

/// Fixtures D1, D2 and D4 of firehose-protocol.md §5 (durability, retries, duplicates) against the running
/// service. Every response is also checked against the response contract (P1–P4).
@Suite struct ProtocolDurabilityTests {
    /// The loopback client and its helpers.
    typealias Client = ProtocolClient

    /// A batch that spans several partitions (raw text, a CloudTrail-like event in another region and account,
    /// a CloudWatch Logs document), so a retry has several objects to get right.
    static func batch(_ requestID: String) -> Client.Request {
        let cloudTrail = #"""
            {"eventVersion":"1.08","eventTime":"2024-12-03T22:10:00Z","eventSource":"iam.amazonaws.com",
            "eventName":"CreateAccessKey","awsRegion":"us-east-1","recipientAccountId":"444455556666"}
            """#
        let cloudWatch = #"""
            {"messageType":"DATA_MESSAGE","owner":"777788889999","logGroup":"/aws/lambda/x","logStream":"s",
            "subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1733300000000,"message":"{\"n\":1}"}]}
            """#
        let records = [Array("hello".utf8), Array(cloudTrail.utf8), Gzip.deflate(Array(cloudWatch.utf8))]
        return Client.firehose(requestID: requestID, records: records)
    }

    /// Every object's key and bytes.
    static func snapshot(_ harness: Client.Harness) throws -> [String: Data] {
        let pairs = try zip(harness.objectKeys(), harness.objectFiles().map { try Data(contentsOf: $0) })
        return Dictionary(uniqueKeysWithValues: pairs.map { ($0.0, $0.1) })
    }

    /// D1: the same request id delivered twice, one after the other → 200 both times; the objects are the same
    /// keys with byte-identical contents and nothing extra appears (no temporary files either).
    @Test func d1SameRequestTwiceSequentially() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Self.batch(id), status: 200)
            let first = try Self.snapshot(harness)
            let files = harness.allFiles()
            #expect(first.count == 3, "\(first.keys.sorted())")
            #expect(try harness.lines().count == 3)
            try harness.deliver(Self.batch(id), status: 200)
            #expect(try Self.snapshot(harness) == first)
            #expect(harness.allFiles() == files)
        }
    }

    /// D2: the same request id delivered four times concurrently → all 200; no corruption, no extra or temporary
    /// files, and the final objects equal what one more (sequential) delivery writes.
    @Test func d2SameRequestConcurrently() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            let responses = try harness.client.exchangeConcurrently(Array(repeating: Self.batch(id), count: 4))
            for response in responses { Client.expectFirehoseResponse(response, status: 200, requestID: id) }
            let concurrent = try Self.snapshot(harness)
            let files = harness.allFiles()
            #expect(concurrent.count == 3)
            #expect(files.count == 3, "\(files)")
            #expect(try harness.lines().count == 3)
            try harness.deliver(Self.batch(id), status: 200)
            #expect(try Self.snapshot(harness) == concurrent)
            #expect(harness.allFiles() == files)
        }
    }

    /// D4: the sink fails (its directory would sit under a regular file, so every write fails) → 503 with an
    /// errorMessage, nothing visible; readiness reports 503 while liveness stays 200.
    @Test func d4FailingSink() throws {
        let root = try TestEnvironment.temporaryDirectory()
        let blocker = root.appendingPathComponent("blocker")
        try Data("not a directory\n".utf8).write(to: blocker)
        let harness = try Client.Harness(root: root) {
            $0.sink = .directory(blocker.appendingPathComponent("lake").path)
        }
        defer { harness.shutdown() }
        for _ in 0..<2 {
            let (_, reply) = try harness.deliver(Self.batch(Client.newRequestID()), status: 503)
            #expect(reply?.errorMessage?.isEmpty == false)
        }
        #expect(harness.allFiles() == ["blocker"])
        #expect(try Data(contentsOf: blocker) == Data("not a directory\n".utf8))
        let ready = try harness.send(Client.Request(method: "GET", target: "/readyz", framing: .none))
        #expect(ready.status == 503)
        Client.expectTransportRules(ready)
        let live = try harness.send(Client.Request(method: "GET", target: "/healthz", framing: .none))
        #expect(live.status == 200)
    }

    /// D4 with one partition failing: a regular file sits where one partition's directory must go → 503 with an
    /// errorMessage; the retry after the obstacle is gone writes every object.
    @Test func d4PartiallyFailingSink() throws {
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Self.batch(Client.newRequestID()), status: 200)
            let keys = try harness.objectKeys()
            try FileManager.default.removeItem(at: harness.lake)
            #expect(keys.count == 3)
            let blocked = try #require(keys.first { $0.hasPrefix("ext/raw/") })
            let obstacle = harness.lake.appendingPathComponent(String(blocked.prefix { $0 != "=" })
                .components(separatedBy: "/").dropLast().joined(separator: "/"))
            try FileManager.default.createDirectory(at: obstacle.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data("x".utf8).write(to: obstacle)
            let (_, reply) = try harness.deliver(Self.batch(id), status: 503)
            #expect(reply?.errorMessage?.isEmpty == false)
            let visible = try harness.objectKeys()
            try FileManager.default.removeItem(at: obstacle)
            try harness.deliver(Self.batch(id), status: 200)
            #expect(try harness.objectKeys().count == 3)
            #expect(visible.isEmpty, "objects visible after a failed batch: \(visible)")
        }
    }

    /// D4 for a batch of many partitions, whose objects are staged as each is compressed: one partition's directory
    /// blocked by a regular file → 503 and no object of the batch visible (the others' temporary files removed);
    /// the retry after the obstacle is gone writes every object.
    @Test func d4StagedBatchWithOneBlockedPartition() throws {
        let records = (0..<12).map { account in
            Array(
                (#"{"eventVersion":"1.08","eventTime":"2024-12-03T22:10:00Z","eventSource":"s3.amazonaws.com","#
                    + #""eventName":"GetObject","awsRegion":"us-east-1","recipientAccountId":"1000000000\#(account)"}"#)
                    .utf8
            )
        }
        try Client.withService { harness in
            let id = Client.newRequestID()
            let obstacle = harness.lake.appendingPathComponent("ext/cloudtrail/region=us-east-1/accountId=10000000005")
            try FileManager.default.createDirectory(at: obstacle.deletingLastPathComponent(),
                                                    withIntermediateDirectories: true)
            try Data("x".utf8).write(to: obstacle)
            let (_, reply) = try harness.deliver(Client.firehose(requestID: id, records: records), status: 503)
            #expect(reply?.errorMessage?.contains("accountId=10000000005") == true)
            #expect(try harness.objectKeys().isEmpty)
            #expect(!harness.allFiles().contains { $0.contains(".tmp-") })
            try FileManager.default.removeItem(at: obstacle)
            try harness.deliver(Client.firehose(requestID: id, records: records), status: 200)
            #expect(try harness.objectKeys().count == 12)
        }
    }

    /// D1's deterministic key must still separate distinct requests: ids that differ only in characters unsafe in
    /// a path, or only after their 64th character, each keep their own objects (both answered 200).
    @Test func d1DistinctRequestIDsNeverShareAnObject() throws {
        let long = String(repeating: "f", count: 64)
        try Client.withService { harness in
            let pairs = [("batch/1", "batch:1"), (long + "-first", long + "-second")]
            for (first, second) in pairs {
                for id in [first, second] {
                    try harness.deliver(Client.firehose(requestID: id, records: [Array(id.utf8)]), status: 200)
                }
            }
            let stored = try harness.lines().compactMap { Client.string("_raw", in: $0) }
            #expect(Set(stored) == Set(pairs.flatMap { [$0.0, $0.1] }), "stored: \(stored)")
        }
    }
}
