import AWSSigning
import Foundation
import NetworkTestSupport

/// One generated S3 request, signed by the Swift signer and by botocore.
struct OracleCase {
    /// Header signing (`S3SigV4Auth`) or query signing (`S3SigV4QueryAuth`).
    enum Mode: String { case header, query }

    /// The case number, echoed by the oracle.
    var id: Int
    var mode: Mode
    var method: String
    var host: String
    /// Whether the bucket is in the host name (else it is the first path segment).
    var virtualHosted: Bool
    var bucket: String
    /// The raw object key (not encoded).
    var key: String
    /// Decoded query items.
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)]
    /// Header names the case asks to sign beyond the default set.
    var markedHeaders: [String]
    var body: String
    /// Whether the payload hash is `UNSIGNED-PAYLOAD`.
    var unsignedPayload: Bool
    var credentials: AWSCredentials
    var region: String
    /// The signing time in seconds since 1970.
    var timestamp: Int
    /// The presigned URL lifetime in seconds (query mode).
    var expires: Int

    /// The wire path, built with ``S3PathEncoder``.
    var path: String {
        let key = S3PathEncoder.encode(key: key)
        return virtualHosted ? "/" + key : "/" + S3PathEncoder.encode(key: bucket) + "/" + key
    }

    /// The JSON object the oracle script reads.
    var json: [String: Any] {
        [
            "id": id, "mode": mode.rawValue, "method": method, "scheme": "https", "host": host,
            "style": virtualHosted ? "virtual" : "path", "bucket": bucket, "key": key,
            "query": query.map { [$0.name, $0.value] }, "headers": headers.map { [$0.name, $0.value] },
            "body": body, "unsigned_payload": unsignedPayload, "access_key": credentials.accessKeyID,
            "secret_key": credentials.secretAccessKey, "token": credentials.sessionToken ?? NSNull(),
            "region": region, "timestamp": timestamp, "expires": expires,
        ]
    }

    /// The request for the Swift signer.
    func request() throws -> SigV4Request {
        SigV4Request(
            method: method,
            path: path,
            queryItems: query,
            headers: headers,
            payloadHash: unsignedPayload
                ? SigV4Request.unsignedPayload : Crypto.hex(try Crypto.sha256(Array(body.utf8))),
            signedHeaderNames: markedHeaders
        )
    }

    /// The S3 signer for this case.
    var signer: SigV4Signer {
        SigV4Signer(service: "s3", region: region, credentials: credentials, options: .s3)
    }

    /// The signing time.
    var date: Date { Date(timeIntervalSince1970: TimeInterval(timestamp)) }
}

/// Builds awkward but valid S3 requests: odd keys, odd header values, repeated headers, odd query strings.
struct OracleCaseGenerator {
    private var random: SplitMix64

    /// Creates a generator of cases from a seed.
    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    static let keyFragments = [
        "a", "Z", "0", "photo", "logs", ".", "..", "-", "_", "~", " ", "  ", "+", "=", "@", "%", "%20", "%2F", "//",
        "/", "&", "?", "#", "!", "*", "'", "(", ")", "$", ",", ";", ":", "[", "]", "{", "}", "|", "\\", "^", "`", "<",
        ">", "\"", "ü", "é", "日本", "😀", "\u{00A0}", "ሴ", "a+b=c", "year=2026/month=12", "x.json.gz",
    ]
    static let valueFragments = [
        "v", "alpha", " ", "   ", "\t", "a  b", "x\t\ty", "\"q   u\"", "=", "+", "/", ",", ";", ":", "ok", "%", "&",
        "*", "(1)", "~",
    ]
    static let queryNames = [
        "versionId", "partNumber", "uploadId", "prefix", "list-type", "delimiter", "max-keys", "x-id", "tagging",
        "acl", "uploads", "a b", "ü", "k+=&", "response-content-disposition", "~weird*", "Z", "z",
    ]
    static let queryValueFragments = [
        "", "1", "abc", " ", "+", "=", "&", "/", "ü", "😀", "%", "a b", "~", "*", "'", "photos/2026/", "x=y&z",
    ]
    static let regions = [
        "us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "me-south-1",
        "cn-north-1", "us-gov-west-1", "il-central-1",
    ]
    static let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    private mutating func chance(_ percent: Int) -> Bool {
        Int.random(in: 0..<100, using: &random) < percent
    }

    private mutating func pick<T>(_ items: [T]) -> T {
        items.randomElement(using: &random)!
    }

    private mutating func string(from alphabet: [Character], count: Int) -> String {
        String((0..<count).map { _ in pick(alphabet) })
    }

    private mutating func joined(_ fragments: [String], count: Int) -> String {
        (0..<count).map { _ in pick(fragments) }.joined()
    }

    /// Randomly upper- or lower-cases each letter of a header name.
    private mutating func mixedCase(_ name: String) -> String {
        String(name.map { chance(50) ? Character($0.uppercased()) : $0 })
    }

    private mutating func objectKey() -> String {
        if chance(4) {
            var key = ""
            while key.utf8.count < 700 { key += pick(Self.keyFragments) }
            return key
        }
        return joined(Self.keyFragments, count: Int.random(in: 1...12, using: &random))
    }

    /// Generates the next case.
    mutating func makeCase(id: Int) throws -> OracleCase {
        let mode: OracleCase.Mode = chance(20) ? .query : .header
        let region = pick(Self.regions)
        let bucket = "bkt-" + string(from: Array("abcdefghijklmnopqrstuvwxyz0123456789"), count: 8)
        let virtualHosted = chance(50)
        let host =
            virtualHosted
            ? "\(bucket).s3.\(region).amazonaws.com"
            : pick(["s3.\(region).amazonaws.com", "127.0.0.1:9000", "localhost:4566", "[::1]:9000"])
        let hasToken = chance(35)
        let credentials = AWSCredentials(
            accessKeyID: (hasToken ? "ASIA" : "AKIA") + string(from: Self.keyAlphabet, count: 16),
            secretAccessKey: string(from: Self.secretAlphabet, count: 40),
            sessionToken: hasToken
                ? string(from: Self.secretAlphabet, count: Int.random(in: 100...700, using: &random)) + "==" : nil
        )
        let method =
            mode == .query ? pick(["GET", "PUT", "HEAD", "DELETE"]) : pick(["GET", "PUT", "HEAD", "DELETE", "POST"])
        let hasBody = mode == .header && (method == "PUT" || method == "POST") && chance(85)
        let body =
            hasBody
            ? joined(Self.keyFragments + Self.valueFragments, count: Int.random(in: 0...60, using: &random)) : ""

        var query: [(name: String, value: String)] = []
        var usedNames = Set<String>()
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let name = pick(Self.queryNames)
            // botocore's presigner keeps query parameters in a dict, so names are unique in query mode.
            if mode == .query && !usedNames.insert(name).inserted { continue }
            query.append((name, joined(Self.queryValueFragments, count: Int.random(in: 0...3, using: &random))))
        }

        var headers: [(name: String, value: String)] = [(pick(["Host", "host", "HOST"]), host)]
        var marked: [String] = []
        for _ in 0..<Int.random(in: 0...4, using: &random) {
            let name = mixedCase("x-amz-meta-" + pick(["note", "mixed-case", "a", "user_id", "trace.id"]))
            headers.append((name, joined(Self.valueFragments, count: Int.random(in: 0...5, using: &random))))
            if chance(30) {
                headers.append((mixedCase(name.lowercased()), joined(Self.valueFragments, count: 2)))
            }
        }
        let amzHeaders: [(String, String)] = [
            ("x-amz-acl", "bucket-owner-full-control"), ("X-Amz-Storage-Class", "STANDARD_IA"),
            ("x-amz-server-side-encryption", "aws:kms"), ("x-amz-expected-bucket-owner", "123456789012"),
            ("x-amz-tagging", "k=v&a=b  c"),
            ("X-Amz-Checksum-Sha256", "  47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=  "),
        ]
        for header in amzHeaders where chance(15) { headers.append(header) }
        if chance(40) {
            headers.append(
                ("Content-Type", pick(["application/json", "text/plain; charset=utf-8", "application/x-ndjson"]))
            )
        }
        if hasBody && chance(40) { headers.append(("Content-MD5", try Crypto.md5Base64(Array(body.utf8)))) }
        let optional: [(String, String)] = [
            ("Range", "bytes=0-99"), ("Cache-Control", "no-cache,  no-store"), ("If-None-Match", "*"),
            ("Content-Disposition", "attachment; filename=\"a  b.txt\""), ("Content-Encoding", "gzip"),
            ("Content-Length", String(body.utf8.count)), ("Content-Language", "en-GB"),
        ]
        for header in optional where chance(12) {
            headers.append(header)
            marked.append(chance(50) ? header.0.lowercased() : header.0)
        }
        // Transport headers: botocore never signs them and neither does the Swift signer.
        if chance(30) { headers.append(("User-Agent", "lakemark/1.0 (linux)  curl")) }
        if chance(15) { headers.append(("X-Amzn-Trace-Id", "Root=1-5759e988-bd862e3fe1be46a994272793")) }
        if method == "PUT" && chance(20) { headers.append(("Expect", "100-continue")) }
        headers = [headers[0]] + headers.dropFirst().shuffled(using: &random)

        return OracleCase(
            id: id,
            mode: mode,
            method: method,
            host: host,
            virtualHosted: virtualHosted,
            bucket: bucket,
            key: objectKey(),
            query: query,
            headers: headers,
            markedHeaders: marked,
            body: body,
            unsignedPayload: mode == .query || chance(20),
            credentials: credentials,
            region: region,
            timestamp: Int.random(in: 1_420_070_400...1_893_456_000, using: &random),
            expires: Int.random(in: 1...SigV4Signer.maximumPresignedExpiry, using: &random)
        )
    }
}
