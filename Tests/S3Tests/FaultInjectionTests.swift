import AWSSigning
import Foundation
import NetworkTestSupport
import S3
import Sink
import Synchronization
import Testing

/// The client and the sink behind ``FaultProxy``: transient faults are retried until the object is stored,
/// persistent ones end in the sink's `unavailable` error, the budget bounds a stuck upload, clock skew is
/// learned, and a failed multipart upload is aborted.
@Suite(.enabled(if: S3Fixtures.motoIsAvailable, "moto[server] is not installed (scripts/deps.sh test)"))
struct FaultInjectionTests {
    static let bucket = "lakemark-faults"
    static let moto = Result { try MotoServer(buckets: [bucket], verification: .strictProxy) }

    /// The fault kinds a first attempt meets, in rotation.
    static let faults: [FaultProxy.Action] = [
        .answer(status: 500, code: "InternalError"), .answer(status: 503, code: "SlowDown"),
        .delay(.milliseconds(2_500)), .reset, .answer(status: 502, code: "BadGateway"),
        .answer(status: 400, code: "RequestTimeout"),
    ]

    private func sink(
        _ proxy: FaultProxy,
        prefix: String,
        budget: Duration = .seconds(60),
        _ adjust: (inout S3Client.Configuration) -> Void = { _ in }
    ) throws -> S3Sink {
        let moto = try Self.moto.get()
        let client = try S3Fixtures.client(moto, endpoint: proxy.endpoint) { configuration in
            configuration.ioTimeout = .seconds(1)
            adjust(&configuration)
        }
        return S3Sink(client: client, bucket: Self.bucket, prefix: prefix, budget: budget, maxParallelUploads: 4)
    }

    @Test func everyTransientFaultIsRetriedUntilStored() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { request in
            guard request.method == "PUT", request.attempt == 1 else {
                return .forward
            }
            let index = Int(request.target.split(separator: "-").last?.prefix { $0.isNumber } ?? "0") ?? 0
            return Self.faults[index % Self.faults.count]
        }
        let sink = try self.sink(proxy, prefix: "transient")
        let objects = (0..<12).map {
            SinkObject(key: "batch/object-\($0).json.gz", body: S3Fixtures.bytes(50_000, seed: UInt64($0)))
        }
        try sink.put(objects)
        // Each object met one fault, then was stored. A reset on a reused keep-alive connection is retried by
        // the HTTP client itself (the connection may simply have gone stale); every other fault by the S3 retry.
        let resets = objects.indices.filter { Self.faults[$0 % Self.faults.count] == .reset }.count
        #expect((objects.count - resets...objects.count).contains(sink.client.statistics.retries))
        for object in objects {
            let actions = proxy.entries.filter { $0.request.target.hasSuffix("/\(object.key)") }.map(\.action)
            #expect(actions.count == 2 && actions.last == .forward, "\(object.key): \(actions)")
        }
        let seen = Set(proxy.entries.map(\.action))
        for fault in Self.faults {
            #expect(seen.contains(fault), "fault \(fault) was not injected")
        }
        let direct = try S3Fixtures.client(moto)
        for object in objects {
            #expect(try direct.getObject(bucket: Self.bucket, key: "transient/\(object.key)") == object.body)
        }
    }

    @Test func persistentThrottlingBecomesUnavailableWithoutSecrets() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { request in
            request.method == "PUT" ? .answer(status: 503, code: "SlowDown") : .forward
        }
        let sink = try self.sink(proxy, prefix: "throttled")
        let error = #expect(throws: SinkError.self) {
            try sink.put([SinkObject(key: "ext/a/region=x/accountId=1/eventDay=20261204/r-0.json.gz", body: [1])])
        }
        #expect(error?.code == .unavailable)
        let message = error?.message ?? ""
        #expect(message.contains("SlowDown") && message.contains("HTTP 503") && message.contains("3 attempts"))
        #expect(message.contains("region=x/accountId=1"))
        #expect(!message.contains(moto.secretAccessKey) && !message.contains("Signature="))
        #expect(proxy.entries.count == 3)
    }

    @Test func aFailedBatchSaysHowManyOfItsObjectsWereStored() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { request in
            let throttled = request.method == "PUT" && request.target.contains("/b-")
            return throttled ? .answer(status: 503, code: "SlowDown") : .forward
        }
        let sink = try self.sink(proxy, prefix: "partial")
        let objects = ["a-0.json.gz", "b-1.json.gz", "c-2.json.gz"].map { SinkObject(key: $0, body: [7]) }
        let error = #expect(throws: SinkError.self) { try sink.put(objects) }
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("b-1.json.gz") == true)
        let message = error?.message ?? ""
        #expect(message.contains("2 of 3 objects of the batch were stored"), "\(message)")
    }

    @Test func theBudgetBoundsAStuckUpload() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { _ in .delay(.seconds(4)) }
        let sink = try self.sink(proxy, prefix: "stuck", budget: .milliseconds(1_500)) { $0.ioTimeout = .seconds(30) }
        let started = ContinuousClock.now
        let error = #expect(throws: SinkError.self) { try sink.put([SinkObject(key: "slow.json.gz", body: [1, 2])]) }
        let elapsed = ContinuousClock.now - started
        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("time budget") == true, "\(String(describing: error))")
        #expect(error?.message.contains("0 of 1 objects of the batch were stored") == true)
        #expect(error?.message.contains("s3_put_budget_seconds (1.5 s)") == true)
        #expect(elapsed < .seconds(4), "the put took \(elapsed), beyond its 1.5 s budget")
    }

    @Test func clockSkewIsLearnedOnceAndApplied() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { _ in .forward }
        let client = try S3Fixtures.client(moto, endpoint: proxy.endpoint, clock: { Date().addingTimeInterval(-3_600) })
        try client.putObject(bucket: Self.bucket, key: "skew/first", body: [1])
        try client.putObject(bucket: Self.bucket, key: "skew/second", body: [2])
        #expect(abs(client.clockOffset - 3_600) < 10, "offset \(client.clockOffset)")
        #expect(client.statistics.clockCorrections == 1)
        #expect(proxy.entries.map(\.action) == [.tooSkewed, .forward, .forward])
        #expect(try S3Fixtures.client(moto).getObject(bucket: Self.bucket, key: "skew/second") == [2])
    }

    @Test func aRefusedSessionTokenIsFetchedAgainOnce() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { request in
            request.attempt == 1 ? .answer(status: 400, code: "ExpiredToken") : .forward
        }
        let credentials = CountingCredentialProvider(S3Fixtures.credentials(moto).value)
        let client = try S3Fixtures.client(moto, endpoint: proxy.endpoint, credentials: credentials)
        try client.putObject(bucket: Self.bucket, key: "token/refreshed", body: [3])
        #expect(proxy.entries.map(\.action) == [.answer(status: 400, code: "ExpiredToken"), .forward])
        #expect(credentials.counts == .init(fetches: 2, invalidations: 1))
        #expect(client.statistics.credentialRefreshes == 1)
        #expect(client.statistics.retries == 0, "the refresh attempt is not a retry")
        #expect(try S3Fixtures.client(moto).getObject(bucket: Self.bucket, key: "token/refreshed") == [3])
    }

    @Test func aTokenRefusedAgainAfterTheRefreshFailsWithoutMoreAttempts() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { _ in
            .answer(status: 400, code: "InvalidToken")
        }
        let credentials = CountingCredentialProvider(S3Fixtures.credentials(moto).value)
        let client = try S3Fixtures.client(moto, endpoint: proxy.endpoint, credentials: credentials)
        let error = #expect(throws: S3Error.self) {
            try client.putObject(bucket: Self.bucket, key: "token/refused", body: [4])
        }
        #expect(error?.code == .invalidToken)
        #expect(proxy.entries.count == 2)
        #expect(credentials.counts == .init(fetches: 2, invalidations: 1))
    }

    @Test func aFailedMultipartUploadIsAborted() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { request in
            request.target.contains("partNumber=2") ? .answer(status: 500, code: "InternalError") : .forward
        }
        let client = try S3Fixtures.client(moto, endpoint: proxy.endpoint) { $0.multipartThreshold = 8 << 20 }
        let body = S3Fixtures.bytes(17 << 20, seed: 7)
        let error = #expect(throws: S3Error.self) {
            try client.putObject(bucket: Self.bucket, key: "mpu/fail", body: body)
        }
        #expect(error?.code == .internalError)
        #expect(error?.message.contains("the incomplete multipart upload was aborted") == true)
        #expect(proxy.entries.last?.request.method == "DELETE")
        #expect(client.statistics.abortedUploads == 1)
        let uploads = try moto.python(Self.listUploadsScript, [Self.bucket, "mpu/fail"])
        #expect(uploads == "0", "uploads still open: \(uploads)")
    }

    @Test func anAbortTheRoleMayNotMakeIsReported() throws {
        let moto = try Self.moto.get()
        let proxy = try FaultProxy(upstreamPort: moto.endpointPort) { request in
            if request.method == "DELETE" {
                return .answer(status: 403, code: "AccessDenied")
            }
            return request.target.contains("partNumber=2") ? .answer(status: 400, code: "InvalidPart") : .forward
        }
        let client = try S3Fixtures.client(moto, endpoint: proxy.endpoint) { $0.multipartThreshold = 8 << 20 }
        let body = S3Fixtures.bytes(17 << 20, seed: 8)
        let error = #expect(throws: S3Error.self) {
            try client.putObject(bucket: Self.bucket, key: "mpu/deny", body: body)
        }
        #expect(error?.code == S3Error.Code(rawValue: "InvalidPart"))
        #expect(error?.message.contains("AbortIncompleteMultipartUpload") == true, "\(String(describing: error))")
    }

    private static let listUploadsScript = """
        import boto3
        endpoint, key_id, secret, bucket, prefix = sys.argv[1:6]
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key_id,
                          aws_secret_access_key=secret)
        print(len(s3.list_multipart_uploads(Bucket=bucket, Prefix=prefix).get("Uploads", [])))
        """
}

/// Fixed credentials that count how often they are fetched and invalidated.
final class CountingCredentialProvider: CredentialProvider {
    /// Fetches and invalidations so far.
    struct Counts: Equatable {
        var fetches = 0
        var invalidations = 0
    }

    private let value: AWSCredentials
    private let state = Mutex(Counts())

    init(_ value: AWSCredentials) {
        self.value = value
    }

    /// The counts so far.
    var counts: Counts { state.withLock { $0 } }

    func credentials() -> AWSCredentials {
        state.withLock { $0.fetches += 1 }
        return value
    }

    func invalidate() {
        state.withLock { $0.invalidations += 1 }
    }
}
