public import AWSSigning
import Dispatch
import Foundation
public import Sink
import Synchronization

/// An ``ObjectSink`` that stores each object as `s3://<bucket>/<prefix><key>`.
///
/// ``put(_:)`` uploads the objects of one batch in parallel (up to ``maxParallelUploads`` at a time) and
/// returns only when every one is stored; all of them share one deadline, ``budget`` from the call. A failed
/// object stops objects not yet started; the first failure is thrown as a ``SinkError`` whose message is fit
/// for a Firehose `errorMessage` (the key, S3's code, status and request id; never credentials or signatures):
/// `unavailable` for throttling, 5xx, network failures and the budget running out, `credentialsUnavailable` when
/// no credentials could be had to sign with, `accessDenied` for refused credentials or permissions, `rejected` for
/// anything else S3 refused. Storing an existing key replaces it, so
/// a retried batch overwrites its own objects.
///
/// ``checkWritable()`` stores a zero-byte probe object, `<prefix>.lakemark-readiness-probe`, with the same
/// options as the data. A `HEAD` on the bucket would need `s3:ListBucket`, which a write-only role lacks, and
/// would not exercise the KMS key, the owner check or Object Lock requirements; the probe needs exactly the
/// permissions a batch needs. Its dot-prefixed name sits outside the `ext/` partitions and is skipped by
/// Hive-style readers. A success is reused for ``probeInterval`` and a failure for ``failedProbeInterval``, so
/// frequent (or hostile, `/readyz` needs no key) readiness checks stay cheap and never become a stream of writes.
public final class S3Sink: ObjectSink {
    /// The bucket.
    public let bucket: String
    /// The key prefix: empty, or ending in `/` unless the configured prefix was meant as a name prefix.
    public let prefix: String
    /// The client doing the requests.
    public let client: S3Client
    /// Encryption, owner check, ACL and Content-MD5 for every object (the content type is set per key).
    public let putOptions: S3PutOptions
    /// The time one ``put(_:)`` may take, retries included. Default: 120 s.
    public let budget: Duration
    /// The most objects uploaded at the same time. Default: 8.
    public let maxParallelUploads: Int
    /// How long a successful readiness probe is reused. Default: 30 s.
    public let probeInterval: Duration
    /// How long a failed readiness probe is reported again without a new attempt: 5 s.
    public static let failedProbeInterval = Duration.seconds(5)
    /// When the last probe ended, and its failure if it failed.
    private let lastProbe = Mutex<(at: ContinuousClock.Instant, failure: SinkError?)?>(nil)

    /// The name of the readiness probe object under the prefix.
    public static let probeName = ".lakemark-readiness-probe"

    /// Creates a sink over a client.
    /// - Parameters:
    ///   - client: The S3 client.
    ///   - bucket: The bucket.
    ///   - prefix: Prepended to every key; `logs` becomes `logs/`, empty means the bucket root.
    ///   - putOptions: Options for every object. Default: none.
    ///   - budget: The time one batch may take. Default: 120 s.
    ///   - maxParallelUploads: Objects uploaded at once; values below 1 mean 1. Default: 8.
    ///   - probeInterval: How long a successful readiness probe is reused. Default: 30 s.
    public init(
        client: S3Client,
        bucket: String,
        prefix: String,
        putOptions: S3PutOptions = S3PutOptions(),
        budget: Duration = .seconds(120),
        maxParallelUploads: Int = 8,
        probeInterval: Duration = .seconds(30)
    ) {
        self.client = client
        self.bucket = bucket
        self.prefix = Self.normalizedPrefix(prefix)
        self.putOptions = putOptions
        self.budget = budget
        self.maxParallelUploads = max(1, maxParallelUploads)
        self.probeInterval = probeInterval
    }

    /// Creates a sink and its client from the service settings.
    /// - Parameters:
    ///   - settings: Region, endpoint, encryption, sizes, budget, parallelism, TLS.
    ///   - bucket: The bucket.
    ///   - prefix: The key prefix.
    ///   - credentials: Where credentials come from.
    /// - Throws: ``S3Error`` with code `invalidConfiguration` when the settings cannot be used.
    public convenience init(
        settings: S3SinkSettings,
        bucket: String,
        prefix: String,
        credentials: any CredentialProvider
    ) throws(S3Error) {
        let client = try S3Client(configuration: try settings.clientConfiguration(), credentials: credentials)
        self.init(
            client: client,
            bucket: bucket,
            prefix: prefix,
            putOptions: try settings.putOptions(),
            budget: .milliseconds(Int(settings.putBudgetSeconds * 1_000)),
            maxParallelUploads: settings.parallelUploads
        )
    }

    /// `s3://bucket/prefix via <endpoint> (<region>)`.
    public var description: String {
        "s3://\(self.bucket)/\(self.prefix) via \(self.client.endpointDescription)"
    }

    /// Stores every object under the prefix; see the type documentation.
    /// - Parameter objects: The objects; keys must be relative, distinct, and fit S3's 1,024-byte limit with
    ///   the prefix.
    /// - Throws: ``SinkError``: `invalidKey` (checked before anything is sent), `unavailable`, `accessDenied`
    ///   or `rejected`.
    public func put(_ objects: [SinkObject]) throws(SinkError) {
        guard !objects.isEmpty else {
            return
        }
        var seen = Set<String>()
        for object in objects {
            try self.checkKey(object.key)
            guard seen.insert(object.key).inserted else {
                throw Self.keyError(object.key, "appears twice in one batch")
            }
        }
        let deadline = ContinuousClock.now + self.budget
        let failures = Mutex<[Int: SinkError]>([:])
        let next = Atomic<Int>(0)
        let stored = Atomic<Int>(0)
        let stopped = Atomic<Bool>(false)
        let budgetRanOut = Atomic<Bool>(false)
        let work: @Sendable () -> Void = {
            while !stopped.load(ordering: .acquiring) {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < objects.count else {
                    return
                }
                do throws(S3Error) {
                    try self.upload(objects[index], deadline: deadline)
                    stored.add(1, ordering: .relaxed)
                } catch {
                    stopped.store(true, ordering: .releasing)
                    if error.code == .deadlineExceeded { budgetRanOut.store(true, ordering: .relaxed) }
                    failures.withLock { $0[index] = self.sinkError(error, key: objects[index].key) }
                }
            }
        }
        Self.run(work, onThreads: min(self.maxParallelUploads, objects.count))
        if let first = failures.withLock({ $0.min { $0.key < $1.key } })?.value {
            let count = stored.load(ordering: .relaxed)
            // Say how far the batch got, so a budget too small for the batch reads as that, not as one bad object
            // (the budget is named only when it ran out).
            let budget = budgetRanOut.load(ordering: .relaxed)
                ? " within s3_put_budget_seconds (\(Self.seconds(self.budget)) s)" : " before the failure"
            throw SinkError(
                code: first.code,
                errno: first.errno,
                path: first.path,
                message: first.message + "; \(count) of \(objects.count) objects of the batch were stored\(budget); "
                    + "a retry writes them again"
            )
        }
    }

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, attoseconds) = duration.components
        return Double(whole) + Double(attoseconds / 1_000_000_000_000_000) / 1_000
    }

    /// Stores the zero-byte probe object (or reuses a recent outcome); see the type documentation.
    /// - Throws: ``SinkError`` as ``put(_:)`` would.
    public func checkWritable() throws(SinkError) {
        let now = ContinuousClock.now
        if let last = self.lastProbe.withLock({ $0 }) {
            if let failure = last.failure {
                if now - last.at < Self.failedProbeInterval { throw failure }
            } else if now - last.at < self.probeInterval {
                return
            }
        }
        let probe = SinkObject(key: Self.probeName, body: [])
        do {
            try self.store(probe, deadline: now + min(self.budget, .seconds(10)))
            self.lastProbe.withLock { $0 = (.now, nil) }
        } catch {
            self.lastProbe.withLock { $0 = (.now, error) }
            throw error
        }
    }

    /// The content type for a key: `application/gzip` for `.gz`, `application/json` for `.json`,
    /// `application/x-ndjson` for `.ndjson`, else `application/octet-stream`. No `Content-Encoding` is set, so
    /// readers get the gzip bytes as stored.
    /// - Parameter key: The key.
    /// - Returns: The MIME type.
    public static func contentType(forKey key: String) -> String {
        if key.hasSuffix(".gz") {
            return "application/gzip"
        }
        if key.hasSuffix(".json") {
            return "application/json"
        }
        if key.hasSuffix(".ndjson") {
            return "application/x-ndjson"
        }
        return "application/octet-stream"
    }

    /// Maps a client error to the sink's error vocabulary.
    /// - Parameters:
    ///   - error: The client's error.
    ///   - key: The object key (relative to the prefix).
    ///   - location: `s3://bucket/prefix`, for the message.
    /// - Returns: `credentialsUnavailable`, `accessDenied`, `unavailable` or `rejected`, with a message fit for
    ///   Firehose.
    static func sinkError(_ error: S3Error, key: String, location: String) -> SinkError {
        let code: SinkError.Code
        if error.code == .credentialsUnavailable {
            code = .credentialsUnavailable
        } else if error.isAccessDenied {
            code = .accessDenied
        } else if error.code == .deadlineExceeded || error.isRetryable {
            code = .unavailable
        } else {
            code = .rejected
        }
        return SinkError(code: code, errno: nil, path: key, message: "S3 put \(location)\(key) failed: \(error)")
    }

    private func store(_ object: SinkObject, deadline: ContinuousClock.Instant) throws(SinkError) {
        do {
            try self.upload(object, deadline: deadline)
        } catch {
            throw self.sinkError(error, key: object.key)
        }
    }

    private func upload(_ object: SinkObject, deadline: ContinuousClock.Instant) throws(S3Error) {
        var options = self.putOptions
        options.contentType = Self.contentType(forKey: object.key)
        try self.client.putObject(
            bucket: self.bucket,
            key: self.prefix + object.key,
            body: object.body,
            options: options,
            deadline: deadline
        )
    }

    private func sinkError(_ error: S3Error, key: String) -> SinkError {
        Self.sinkError(error, key: key, location: "s3://\(self.bucket)/\(self.prefix)")
    }

    private func checkKey(_ key: String) throws(SinkError) {
        guard !key.isEmpty else {
            throw Self.keyError(key, "empty")
        }
        guard !key.hasPrefix("/") else {
            throw Self.keyError(key, "absolute path")
        }
        guard self.prefix.utf8.count + key.utf8.count <= 1_024 else {
            throw Self.keyError(key, "longer than 1024 bytes with the prefix")
        }
        guard !key.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw Self.keyError(key, "contains a control character")
        }
    }

    private static func keyError(_ key: String, _ problem: String) -> SinkError {
        let shown = String(
            key.unicodeScalars.prefix(200).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) }
        )
        return SinkError(
            code: .invalidKey,
            errno: nil,
            path: shown,
            message: "invalid object key '\(shown)': \(problem)"
        )
    }

    private static func normalizedPrefix(_ prefix: String) -> String {
        var trimmed = Substring(prefix)
        while trimmed.hasPrefix("/") {
            trimmed = trimmed.dropFirst()
        }
        guard !trimmed.isEmpty else {
            return ""
        }
        return trimmed.hasSuffix("/") ? String(trimmed) : trimmed + "/"
    }

    /// Runs `work` on `count` threads (the caller's included) and waits for all of them.
    private static func run(_ work: @escaping @Sendable () -> Void, onThreads count: Int) {
        let group = DispatchGroup()
        for _ in 1..<max(count, 1) {
            group.enter()
            let thread = Thread {
                work()
                group.leave()
            }
            thread.start()
        }
        work()
        group.wait()
    }
}
