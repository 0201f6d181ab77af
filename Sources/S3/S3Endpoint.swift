import AWSSigning
import HTTPClient

/// Where requests for a bucket and key go: scheme, host, port, `Host` header and the encoded path.
struct S3Endpoint: Sendable {
    /// One resolved request location.
    struct Location {
        /// The host to connect to (no brackets).
        let host: String
        /// The port to connect to.
        let port: Int
        /// The `Host` header value.
        let hostHeader: String
        /// The percent-encoded path, exactly as sent and signed.
        let path: String
    }

    /// Whether requests use TLS.
    let isTLS: Bool
    /// The endpoint host (no brackets), without any bucket label.
    let host: String
    /// The endpoint port.
    let port: Int
    /// A path prefix of a custom endpoint, without a trailing `/` (empty for AWS).
    let basePath: String
    /// Whether the endpoint was overridden (not AWS).
    let isCustom: Bool
    /// The configured addressing style.
    let addressing: S3Client.Addressing

    /// Resolves the configured endpoint.
    /// - Parameter configuration: The client configuration.
    /// - Throws: ``S3Error`` with code `invalidConfiguration` for a malformed endpoint URL.
    init(_ configuration: S3Client.Configuration) throws(S3Error) {
        self.addressing = configuration.addressing
        guard let endpoint = configuration.endpoint else {
            let suffix = configuration.region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            self.isTLS = true
            self.host = "s3.\(configuration.region).\(suffix)"
            self.port = 443
            self.basePath = ""
            self.isCustom = false
            return
        }
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: endpoint)
        } catch {
            throw S3Error(.invalidConfiguration, "malformed S3 endpoint URL: \(error.detail ?? "\(error.code)")")
        }
        guard url.query == nil else {
            throw S3Error(.invalidConfiguration, "the S3 endpoint URL must not have a query")
        }
        var base = Substring(url.path)
        while base.hasSuffix("/") {
            base = base.dropLast()
        }
        self.isTLS = url.isTLS
        self.host = url.host
        self.port = url.port
        self.basePath = String(base)
        self.isCustom = true
    }

    /// Whether a bucket is addressed in the host name.
    /// - Parameter bucket: The bucket name.
    /// - Returns: `true` for virtual-hosted style.
    func usesVirtualHost(_ bucket: String) -> Bool {
        switch self.addressing {
        case .path:
            return false
        case .virtualHosted:
            return Self.isDNSLabel(bucket)
        case .automatic:
            return !self.isCustom && Self.isDNSLabel(bucket)
        }
    }

    /// The location of a bucket (when `key` is `nil`) or an object.
    /// - Parameters:
    ///   - bucket: The bucket.
    ///   - key: The object key, or `nil` for a bucket-level request.
    /// - Returns: Host, port, `Host` header and the encoded path.
    func location(bucket: String, key: String?) -> Location {
        let virtual = self.usesVirtualHost(bucket)
        let host = virtual ? "\(bucket).\(self.host)" : self.host
        var path = self.basePath
        if !virtual {
            path += "/" + S3PathEncoder.encode(key: bucket)
        }
        if let key {
            path += "/" + S3PathEncoder.encode(key: key)
        } else if path.isEmpty {
            path = "/"
        }
        let defaultPort = self.isTLS ? 443 : 80
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let hostHeader = self.port == defaultPort ? bracketed : "\(bracketed):\(self.port)"
        return Location(host: host, port: self.port, hostHeader: hostHeader, path: path)
    }

    /// Whether `name` is one DNS label: 1–63 of lower-case letters, digits and `-`, starting and ending with a
    /// letter or digit (so bucket names with dots use path style).
    static func isDNSLabel(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...63).contains(bytes.count), bytes.first != UInt8(ascii: "-"), bytes.last != UInt8(ascii: "-") else {
            return false
        }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || byte == UInt8(ascii: "-")
        }
    }
}
