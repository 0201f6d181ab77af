public import AWSSigning
import Foundation
import HTTPClient
import HTTPCore
import TLS

/// A blocking Amazon S3 client for the calls a writer needs: `PutObject` (multipart above a threshold),
/// `GetObject` and `HeadBucket`, signed with SigV4 and retried in AWS standard mode.
///
/// Every attempt is signed again with a fresh `x-amz-date`; a `RequestTimeTooSkewed` answer teaches the client
/// the server's clock (kept as an offset for all later requests) and earns one immediate corrected attempt.
/// Retryable failures (HTTP 500/502/503/504, `SlowDown`, `InternalError`, `RequestTimeout`, throttling codes,
/// connection failures, resets and timeouts) are retried up to ``Configuration/maxAttempts`` attempts with
/// `random[0,1) × min(2^(n−1), 20 s)` pauses, while the shared ``RetryQuota`` allows. Each operation is
/// bounded by a deadline: its attempts, pauses and every connect, read and write stop when it passes.
///
/// Methods block the calling thread; call them from worker threads, not from Swift concurrency tasks.
public final class S3Client: Sendable {
    /// The configuration.
    public let configuration: Configuration
    /// The retry quota shared by every request of this client.
    public let retryQuota: RetryQuota
    /// Where requests go.
    let endpoint: S3Endpoint
    /// The HTTP client (TLS for `https` endpoints), its connections bounded by the operation deadline.
    let http: HTTPClient
    /// Asked for credentials before every attempt.
    let credentials: any CredentialProvider
    /// The learned offset of S3's clock.
    let skew: ClockSkew
    /// The counters behind ``statistics``.
    let counters = StatisticsCounters()

    /// Whether a region name can go into a signing scope and a host name: not empty, printable ASCII without
    /// spaces or `/` (any such name: local stores such as MinIO accept their own).
    /// - Parameter region: The region name.
    /// - Returns: `true` when the client accepts it.
    public static func isUsableRegion(_ region: String) -> Bool {
        !region.isEmpty && region.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
    }

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: Region, endpoint, retries, sizes and timeouts.
    ///   - credentials: Where credentials come from; asked before every attempt.
    ///   - clock: The local clock. Default: the system clock (tests pass a wrong one to exercise skew
    ///     correction).
    /// - Throws: ``S3Error`` with code `invalidConfiguration` for a malformed endpoint or region, sizes out of
    ///   range, or a CA file that cannot be loaded.
    public init(
        configuration: Configuration,
        credentials: any CredentialProvider,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws(S3Error) {
        guard Self.isUsableRegion(configuration.region) else {
            throw S3Error(.invalidConfiguration, "the region is empty or malformed")
        }
        guard configuration.maxAttempts >= 1 else {
            throw S3Error(.invalidConfiguration, "maxAttempts must be at least 1")
        }
        guard configuration.partSize >= Configuration.minimumPartSize,
            configuration.multipartThreshold >= Configuration.minimumPartSize
        else {
            throw S3Error(.invalidConfiguration, "the part size and the multipart threshold must be at least 5 MiB")
        }
        let endpoint = try S3Endpoint(configuration)
        var settings = HTTPClient.Configuration()
        settings.connectTimeout = configuration.connectTimeout
        settings.readTimeout = configuration.ioTimeout
        settings.writeTimeout = configuration.ioTimeout
        settings.maxIdleConnectionsPerEndpoint = configuration.maxIdleConnections
        settings.maxResponseBodyBytes = max(settings.maxResponseBodyBytes, configuration.multipartThreshold)
        let transport: any HTTPTransportConnector
        if endpoint.isTLS {
            do {
                transport = try TLSConnector(configuration: configuration.tls)
            } catch {
                throw S3Error(.invalidConfiguration, error.description)
            }
        } else {
            transport = TCPConnector()
        }
        self.configuration = configuration
        self.endpoint = endpoint
        self.http = HTTPClient(configuration: settings, connector: DeadlineConnector(inner: transport))
        self.credentials = credentials
        self.skew = ClockSkew(clock: clock)
        self.retryQuota = RetryQuota()
    }

    /// Counters since the client was created.
    public var statistics: S3ClientStatistics { self.counters.snapshot }

    /// The learned offset of S3's clock from the local one, in seconds (0 until a skew error was seen).
    public var clockOffset: Double { self.skew.offset }

    /// A short description for logs: endpoint and region, no secrets.
    public var endpointDescription: String {
        let endpoint = self.endpoint
        let scheme = endpoint.isTLS ? "https" : "http"
        let host = endpoint.host.contains(":") ? "[\(endpoint.host)]" : endpoint.host
        return "\(scheme)://\(host):\(endpoint.port)\(endpoint.basePath) (\(self.configuration.region))"
    }

    /// Stores an object: one `PUT` up to ``Configuration/multipartThreshold``, a multipart upload above it.
    ///
    /// The body's SHA-256 is sent as `x-amz-content-sha256` (hex, signed) and `x-amz-checksum-sha256` (base64,
    /// with `x-amz-sdk-checksum-algorithm: SHA256`), so S3 rejects a body damaged in transit.
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The key (1–1,024 bytes of UTF-8); sent percent-encoded exactly as signed.
    ///   - body: The content.
    ///   - options: Type, encryption, owner check, ACL, Content-MD5. Default: none of them.
    ///   - deadline: When the operation must have succeeded. Default: now plus
    ///     ``Configuration/operationBudget``.
    /// - Returns: ETag, version id and part count.
    /// - Throws: ``S3Error``; `deadlineExceeded` when the budget ran out.
    @discardableResult
    public func putObject(
        bucket: String,
        key: String,
        body: [UInt8],
        options: S3PutOptions = S3PutOptions(),
        deadline: ContinuousClock.Instant? = nil
    ) throws(S3Error) -> S3PutResult {
        try Self.checkKey(key)
        let deadline = deadline ?? .now + self.configuration.operationBudget
        if body.count > self.configuration.multipartThreshold {
            return try self.multipartUpload(bucket: bucket, key: key, body: body, options: options, deadline: deadline)
        }
        var request = S3Request(operation: "PutObject", method: .put, bucket: bucket, key: key)
        request.headers = options.objectHeaders
        try self.attachBody(body, to: &request, options: options)
        let response = try self.perform(request, deadline: deadline)
        return S3PutResult(
            eTag: response.headers["ETag"],
            versionID: response.headers["x-amz-version-id"],
            partCount: 0
        )
    }

    /// Reads an object.
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The key.
    ///   - deadline: When the operation must have succeeded. Default: now plus the operation budget.
    /// - Returns: The content.
    /// - Throws: ``S3Error``, for example `NoSuchKey`.
    public func getObject(
        bucket: String,
        key: String,
        deadline: ContinuousClock.Instant? = nil
    ) throws(S3Error) -> [UInt8] {
        try Self.checkKey(key)
        let request = S3Request(operation: "GetObject", method: .get, bucket: bucket, key: key)
        return try self.perform(request, deadline: deadline ?? .now + self.configuration.operationBudget).body
    }

    /// Checks that the bucket exists and the credentials may list it (`HEAD` on the bucket).
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - expectedOwner: The account that must own the bucket, or `nil`.
    ///   - deadline: When the operation must have succeeded. Default: now plus the operation budget.
    /// - Throws: ``S3Error``: `NoSuchBucket`, `AccessDenied` (also for a bucket of another owner), …
    public func headBucket(
        _ bucket: String,
        expectedOwner: String? = nil,
        deadline: ContinuousClock.Instant? = nil
    ) throws(S3Error) {
        var request = S3Request(operation: "HeadBucket", method: .head, bucket: bucket, key: nil)
        request.headers = expectedOwner.map { [("x-amz-expected-bucket-owner", $0)] } ?? []
        _ = try self.perform(request, deadline: deadline ?? .now + self.configuration.operationBudget)
    }

    /// Adds the body, its hashes and the integrity headers to a request.
    func attachBody(_ body: [UInt8], to request: inout S3Request, options: S3PutOptions) throws(S3Error) {
        let digest: [UInt8]
        do {
            digest = try Crypto.sha256(body)
            if options.sendsContentMD5 {
                request.headers.append(("Content-MD5", try Crypto.md5Base64(body)))
            }
        } catch {
            throw S3Error(.signingFailed, error.description)
        }
        request.headers.append(("x-amz-sdk-checksum-algorithm", "SHA256"))
        request.headers.append(("x-amz-checksum-sha256", Data(digest).base64EncodedString()))
        request.body = body
        request.payloadHash = Crypto.hex(digest)
    }

    private static func checkKey(_ key: String) throws(S3Error) {
        guard !key.isEmpty, key.utf8.count <= 1_024 else {
            throw S3Error(.invalidConfiguration, "an object key must be 1 to 1024 bytes long")
        }
    }
}
