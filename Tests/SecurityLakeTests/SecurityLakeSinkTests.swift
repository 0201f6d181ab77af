import AWSSigning
import Pipeline
import Sink
import Synchronization
import Testing

/// ``SecurityLakeSink`` routing and readiness, with recording sinks.
@Suite struct SecurityLakeSinkTests {
    /// Records the keys it stores; fails every put while `failing` is set.
    final class RecordingSink: ObjectSink {
        let keys = Mutex<[String]>([])
        let failing = Atomic<Bool>(false)
        let description = "recording"

        func put(_ objects: [SinkObject]) throws(SinkError) {
            if failing.load(ordering: .relaxed) {
                throw SinkError(code: .accessDenied, errno: nil, path: objects[0].key, message: "denied")
            }
            keys.withLock { $0 += objects.map(\.key) }
        }

        func checkWritable() throws(SinkError) {
            Issue.record("a probe was written")
        }
    }

    struct FailingCredentials: CredentialProvider {
        struct Refused: Error, CustomStringConvertible {
            var description: String { "AccessDenied: not authorized to perform sts:AssumeRole" }
        }

        func credentials() throws -> AWSCredentials { throw Refused() }
    }

    static let keys = StaticCredentialProvider(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret"))
    static let roleA = "arn:aws:iam::111122223333:role/AmazonSecurityLake-Provider-a-eu-west-1"
    static let roleB = "arn:aws:iam::111122223333:role/AmazonSecurityLake-Provider-b-eu-west-1"

    @Test func objectsGoToTheSignerOfTheirLocationAndTheRestToTheDefault() throws {
        let base = RecordingSink()
        let first = RecordingSink()
        let second = RecordingSink()
        let signerA = SecurityLakeSink.Signer(identity: Self.roleA, sink: first, credentials: Self.keys)
        let sink = SecurityLakeSink(
            defaultSigner: .init(identity: "default credentials", sink: base, credentials: Self.keys),
            routes: [
                ("a/1.0/", signerA), ("a-other/1.0/", signerA),
                ("a/1.0/nested/", .init(identity: Self.roleB, sink: second, credentials: Self.keys)),
            ]
        )
        #expect(sink.signers.count == 3)
        try sink.put([
            SinkObject(key: "a/1.0/region=x/1.parquet", body: [1]),
            SinkObject(key: "a-other/1.0/region=x/2.parquet", body: [2]),
            SinkObject(key: "a/1.0/nested/region=x/3.parquet", body: [3]),
            SinkObject(key: "errors/eventDay=20240601/4.json.gz", body: [4]),
            SinkObject(key: "a/2.0/5.parquet", body: [5]),
        ])
        #expect(first.keys.withLock { $0 } == ["a/1.0/region=x/1.parquet", "a-other/1.0/region=x/2.parquet"])
        #expect(second.keys.withLock { $0 } == ["a/1.0/nested/region=x/3.parquet"])
        #expect(base.keys.withLock { $0 } == ["errors/eventDay=20240601/4.json.gz", "a/2.0/5.parquet"])
        try sink.checkWritable()
    }

    /// The default signer's objects (the raw location) are stored first; when a role's objects then fail, the
    /// message says those others were stored, so "0 of 8" is not read as nothing stored.
    @Test func aFailureAfterOtherLocationsWereStoredSaysSo() throws {
        let base = RecordingSink()
        let role = RecordingSink()
        role.failing.store(true, ordering: .relaxed)
        let sink = SecurityLakeSink(
            defaultSigner: .init(identity: "default credentials", sink: base, credentials: Self.keys),
            routes: [("a/1.0/", .init(identity: Self.roleA, sink: role, credentials: Self.keys))]
        )
        let error = #expect(throws: SinkError.self) {
            try sink.put([
                SinkObject(key: "raw/eventDay=20240601/1.json.gz", body: [1]),
                SinkObject(key: "raw/eventDay=20240601/2.json.gz", body: [2]),
                SinkObject(key: "a/1.0/region=x/3.parquet", body: [3]),
            ])
        }
        #expect(base.keys.withLock { $0.count } == 2)
        #expect(error?.message.contains("as \(Self.roleA)") == true)
        #expect(error?.message.contains("before that, 2 objects of the batch's other locations were stored") == true)
    }

    @Test func readinessNamesARoleWithoutCredentialsAndALastFailedWrite() throws {
        let base = RecordingSink()
        let roleSink = RecordingSink()
        let refused = SecurityLakeSink(
            defaultSigner: .init(identity: "default credentials", sink: base, credentials: Self.keys),
            routes: [("a/1.0/", .init(identity: Self.roleA, sink: roleSink, credentials: FailingCredentials()))]
        )
        do {
            try refused.checkWritable()
            Issue.record("ready without credentials")
        } catch {
            #expect(error.code == .credentialsUnavailable)
            #expect(error.message.contains(Self.roleA))
        }

        let sink = SecurityLakeSink(
            defaultSigner: .init(identity: "default credentials", sink: base, credentials: Self.keys),
            routes: [("a/1.0/", .init(identity: Self.roleA, sink: roleSink, credentials: Self.keys))]
        )
        roleSink.failing.store(true, ordering: .relaxed)
        do {
            try sink.put([SinkObject(key: "a/1.0/x.parquet", body: [1])])
            Issue.record("a failed put returned")
        } catch {
            #expect(error.message.contains(Self.roleA))
        }
        #expect(throws: SinkError.self) { try sink.checkWritable() }
        roleSink.failing.store(false, ordering: .relaxed)
        try sink.put([SinkObject(key: "a/1.0/x.parquet", body: [1])])
        try sink.checkWritable()
    }
}
