/// The parts of an HTTP request that SigV4 covers, as the caller will send them.
///
/// The signer never changes the request; it returns the headers or query items to add
/// (see ``SigV4Signer/sign(_:at:)`` and ``SigV4Signer/presign(_:at:expiresIn:)``).
public struct SigV4Request: Sendable {
    /// The payload hash that leaves the body out of the signature.
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"
    /// The hex SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The HTTP method, for example `PUT`, used exactly as given.
    public var method: String
    /// The request path exactly as it will be sent on the wire, starting with `/`.
    ///
    /// In ``SigV4Signer/PathMode/s3`` mode it must already be percent-encoded once (see ``S3PathEncoder``); in
    /// ``SigV4Signer/PathMode/generic(normalize:)`` mode the signer encodes it (again) itself.
    public var path: String
    /// The query parameters as decoded names and values, in any order; an empty value is written `name=`.
    ///
    /// Send the query as ``encodedQuery`` so that the server decodes exactly these items.
    public var queryItems: [(name: String, value: String)]
    /// The header fields in the order they will be sent; names in any case, repeated names allowed.
    ///
    /// `Host` is required. `Authorization` and `X-Amz-Date` must be absent, and so must `X-Amz-Security-Token` when
    /// the credentials carry a token and `X-Amz-Content-Sha256` when the signer adds it: the signer sets those.
    public var headers: [(name: String, value: String)]
    /// The lower-case hex SHA-256 of the body, ``unsignedPayload``, or another upper-case token such as
    /// `STREAMING-AWS4-HMAC-SHA256-PAYLOAD`; it is the last line of the canonical request.
    public var payloadHash: String
    /// Names of further headers to sign, in any case (for example `range`, `date`, `content-length`).
    ///
    /// `host`, `content-type`, `content-md5` and every `x-amz-*` header are always signed. Names absent from
    /// ``headers`` are ignored. Headers that a transport adds or rewrites (`user-agent`, `accept-encoding`,
    /// `connection`, `expect`, `transfer-encoding` and the other hop-by-hop names) cannot be signed.
    public var signedHeaderNames: [String]

    /// Creates a request description.
    ///
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path as sent on the wire.
    ///   - queryItems: Decoded query names and values (default none).
    ///   - headers: The header fields, including `Host`.
    ///   - payloadHash: The hex SHA-256 of the body (default: that of an empty body) or a payload token.
    ///   - signedHeaderNames: Further header names to sign (default none).
    public init(
        method: String,
        path: String,
        queryItems: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)],
        payloadHash: String = SigV4Request.emptyPayloadHash,
        signedHeaderNames: [String] = []
    ) {
        self.method = method
        self.path = path
        self.queryItems = queryItems
        self.headers = headers
        self.payloadHash = payloadHash
        self.signedHeaderNames = signedHeaderNames
    }

    /// The query string to send (without `?`): every name and value `UriEncode`d, sorted by name then value.
    ///
    /// This is also the canonical query string of a header-signed request, so the server's view of the query
    /// matches the signature byte for byte.
    public var encodedQuery: String {
        String(decoding: CanonicalQuery.encode(queryItems), as: UTF8.self)
    }

    /// Splits an encoded query string into decoded items, for callers that start from a URL.
    ///
    /// Parameters are separated by `&` and split at the first `=`; a parameter without `=` gets an empty value.
    /// `%XX` escapes are decoded and `+` is kept as a literal plus sign (RFC 3986, not form encoding).
    ///
    /// - Parameter query: The query string without the leading `?`.
    /// - Returns: The decoded items in their original order; empty for an empty string.
    /// - Throws: ``SigningError/Code/invalidRequest`` on a malformed escape or bytes that are not UTF-8.
    public static func queryItems(fromEncoded query: String) throws(SigningError) -> [(name: String, value: String)] {
        guard !query.isEmpty else { return [] }
        var items: [(name: String, value: String)] = []
        for parameter in query.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = parameter.firstIndex(of: "=")
            let rawName = parameter[..<(equals ?? parameter.endIndex)]
            let rawValue = equals.map { parameter[parameter.index(after: $0)...] } ?? ""
            guard let name = URIEncoding.decode(rawName), let value = URIEncoding.decode(rawValue) else {
                throw SigningError(code: .invalidRequest, message: "malformed percent-encoding in the query string")
            }
            items.append((name: name, value: value))
        }
        return items
    }
}
