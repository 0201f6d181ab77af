public import AWSSigning
import Foundation
public import HTTPClient
import HTTPCore
public import ServiceSupport

/// Credentials of the EC2 instance profile from the instance metadata service, IMDSv2 first.
///
/// See https://docs.aws.amazon.com/sdkref/latest/guide/feature-imds-credentials.html. Each fetch takes a session
/// token (`PUT /latest/api/token`, TTL 21,600 s), reads the role name, then the role's credential document. When
/// the token request is refused with 403, 404 or 405 or gets no answer in time, the same reads are made without a
/// token (IMDSv1) unless `AWS_EC2_METADATA_V1_DISABLED` is true; a 400 is final.
///
/// Configuration: `AWS_EC2_METADATA_DISABLED=true` turns the provider off; `AWS_EC2_METADATA_SERVICE_ENDPOINT`
/// replaces the endpoint; `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6` selects `http://[fd00:ec2::254]`.
///
/// Each call of ``credentials()`` calls the service; wrap the provider in ``RefreshingCredentialProvider``.
public struct InstanceMetadataCredentialProvider: CredentialProvider {
    /// The IPv4 endpoint.
    public static let defaultEndpoint = "http://169.254.169.254"
    /// The IPv6 endpoint.
    public static let ipv6Endpoint = "http://[fd00:ec2::254]"
    /// The session token lifetime requested, in seconds (6 hours).
    public static let tokenTTLSeconds = 21_600

    /// The metadata service endpoint.
    public let endpoint: HTTPURL
    private let allowsV1: Bool
    private let caller: EndpointCaller
    private let now: @Sendable () -> Date

    /// Creates a provider from the IMDS variables.
    ///
    /// - Parameters:
    ///   - environment: The variables to read.
    ///   - connectors: Transports.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/instanceMetadata``: 1 s, one retry).
    ///   - now: The clock that decides whether served credentials have already expired (default system clock).
    /// - Returns: `nil` when `AWS_EC2_METADATA_DISABLED` is true.
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` for a malformed endpoint or a variable that is not
    ///   a Boolean or a known mode.
    public init?(
        environment: EnvironmentReader,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .instanceMetadata,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialError) {
        let disabled: Bool
        let v1Disabled: Bool
        let mode: String
        do {
            disabled = try environment.bool("AWS_EC2_METADATA_DISABLED", default: false)
            v1Disabled = try environment.bool("AWS_EC2_METADATA_V1_DISABLED", default: false)
            mode = try environment.choice(
                "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
                of: ["ipv4", "ipv6"],
                default: "ipv4"
            )
        } catch {
            throw CredentialError(code: .invalidConfiguration, source: "instanceMetadata", message: error.message)
        }
        if disabled { return nil }
        let text =
            environment.string("AWS_EC2_METADATA_SERVICE_ENDPOINT")
            ?? (mode == "ipv6" ? Self.ipv6Endpoint : Self.defaultEndpoint)
        endpoint = try AWSEndpoint.parse(
            text,
            variable: "AWS_EC2_METADATA_SERVICE_ENDPOINT",
            source: "instanceMetadata"
        )
        allowsV1 = !v1Disabled
        self.now = now
        caller = try EndpointCaller(url: endpoint, connectors: connectors, policy: policy, source: "instanceMetadata")
    }

    /// Fetches the instance profile's credentials.
    ///
    /// - Returns: The role credentials.
    /// - Throws: ``CredentialError``: `transportFailed`, `httpStatus` (for example 401 when the token is refused,
    ///   404 when no role is attached), `serviceError` (a document whose `Code` is not `Success`),
    ///   `invalidResponse`, `expiredCredentials`.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        let token = try sessionToken()
        let headers = token.map { [("X-aws-ec2-metadata-token", $0)] } ?? []
        let roleBody = try get(Self.rolePath, headers: headers, what: "the role name")
        let firstLine = String(decoding: roleBody, as: UTF8.self).split(whereSeparator: \.isNewline).first
        guard let role = firstLine.map({ $0.trimmingCharacters(in: .whitespaces) }), Self.isRoleName(role) else {
            throw CredentialError(
                code: .invalidResponse,
                source: "instanceMetadata",
                message: "the role name answer is empty or malformed"
            )
        }
        let document = try get(Self.rolePath + role, headers: headers, what: "the role credentials")
        return try MetadataCredentialsDocument.parse(document, source: "instanceMetadata", now: now())
    }

    private static let rolePath = "/latest/meta-data/iam/security-credentials/"

    /// Takes an IMDSv2 session token; `nil` means "continue with IMDSv1".
    private func sessionToken() throws(CredentialError) -> String? {
        let request = caller.request(
            .put,
            path: "/latest/api/token",
            headers: [("X-aws-ec2-metadata-token-ttl-seconds", String(Self.tokenTTLSeconds))]
        )
        let response: HTTPResponse
        do {
            response = try caller.send { () throws(CredentialError) in request }
        } catch  where error.code == .transportFailed && allowsV1 {
            return nil
        }
        let status = response.status.code
        if allowsV1, status == 403 || status == 404 || status == 405 { return nil }
        switch status {
        case 200:
            let token = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, !token.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
                throw CredentialError(
                    code: .invalidResponse,
                    source: "instanceMetadata",
                    message: "the session token answer is empty or malformed"
                )
            }
            return token
        default:
            throw CredentialError(
                code: .httpStatus,
                source: "instanceMetadata",
                message: "the session token request was refused",
                httpStatus: response.status.code
            )
        }
    }

    /// A `GET` that must answer 200.
    private func get(_ path: String, headers: [(String, String)], what: String) throws(CredentialError) -> [UInt8] {
        let request = caller.request(.get, path: path, headers: headers)
        let response = try caller.send { () throws(CredentialError) in request }
        guard response.status.code == 200 else {
            throw CredentialError(
                code: .httpStatus,
                source: "instanceMetadata",
                message: "reading \(what) failed",
                httpStatus: response.status.code
            )
        }
        return response.body
    }

    /// Whether `name` is a plausible IAM role name (`[A-Za-z0-9+=,.@_-]`, 1–128 characters).
    private static func isRoleName(_ name: String) -> Bool {
        guard (1...128).contains(name.utf8.count) else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "+=,.@_-".utf8.contains(byte)
            }
        }
    }
}
