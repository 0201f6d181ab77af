public import AWSSigning
import Foundation
public import HTTPClient
import HTTPCore
public import ServiceSupport

/// Credentials from a container credential endpoint: the ECS task role (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`
/// under `http://169.254.170.2`) or EKS Pod Identity and other local servers (`AWS_CONTAINER_CREDENTIALS_FULL_URI`
/// with `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `AWS_CONTAINER_AUTHORIZATION_TOKEN`).
///
/// See https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html. A full URI must be
/// `https`, or name `169.254.170.2`, `169.254.170.23` or `fd00:ec2::23`, or a host that resolves only to loopback
/// addresses. The token file wins over the token variable and is read again on every fetch (EKS rotates it).
///
/// Each call of ``credentials()`` calls the endpoint; wrap the provider in ``RefreshingCredentialProvider``.
public struct ContainerCredentialProvider: CredentialProvider {
    /// The ECS credential endpoint that relative URIs are resolved against.
    public static let ecsBaseURL = "http://169.254.170.2"

    /// The credential URL.
    public let endpoint: HTTPURL
    private let tokenFile: String?
    private let token: String?
    private let caller: EndpointCaller
    private let now: @Sendable () -> Date

    /// Creates a provider from the container variables.
    ///
    /// - Parameters:
    ///   - environment: The variables to read.
    ///   - connectors: Transports; an `https` full URI needs ``AWSHTTPConnectors/tls``.
    ///   - baseURL: Where relative URIs are resolved (default ``ecsBaseURL``; tests point it at loopback).
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/container``).
    ///   - now: The clock that decides whether served credentials have already expired (default system clock).
    /// - Returns: `nil` when neither `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` nor
    ///   `AWS_CONTAINER_CREDENTIALS_FULL_URI` is set.
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` for a malformed URI, a full URI on a host outside the
    ///   allowed set, or an authorization token containing a line break; ``CredentialError/Code/tlsUnavailable``.
    public init?(
        environment: EnvironmentReader,
        connectors: AWSHTTPConnectors,
        baseURL: String = ContainerCredentialProvider.ecsBaseURL,
        policy: FetchPolicy = .container,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialError) {
        let url: HTTPURL
        if let relative = environment.string("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            guard relative.hasPrefix("/") else {
                throw CredentialError(
                    code: .invalidConfiguration,
                    source: "container",
                    message: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must start with /"
                )
            }
            var base = baseURL
            while base.hasSuffix("/") { base.removeLast() }
            url = try AWSEndpoint.parse(
                base + relative,
                variable: "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                source: "container"
            )
        } else if let full = environment.string("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            url = try AWSEndpoint.parse(full, variable: "AWS_CONTAINER_CREDENTIALS_FULL_URI", source: "container")
            guard Self.isAllowedFullURI(url) else {
                throw CredentialError(
                    code: .invalidConfiguration,
                    source: "container",
                    message: "AWS_CONTAINER_CREDENTIALS_FULL_URI host \(url.host) is not loopback, "
                        + "169.254.170.2, 169.254.170.23 or fd00:ec2::23, and the URL is not https"
                )
            }
        } else {
            return nil
        }
        let token = environment.string("AWS_CONTAINER_AUTHORIZATION_TOKEN")
        if let token { try Self.checkToken(token) }
        endpoint = url
        tokenFile = environment.string("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
        self.token = token
        self.now = now
        caller = try EndpointCaller(url: url, connectors: connectors, policy: policy, source: "container")
    }

    /// Fetches credentials from the endpoint, sending the authorization token when one is configured.
    ///
    /// - Returns: The credentials the endpoint serves.
    /// - Throws: ``CredentialError``: `fileUnreadable` or `invalidConfiguration` for the token,
    ///   `transportFailed`, `serviceError` (a JSON `code`/`message` answer), `httpStatus`, `invalidResponse`,
    ///   `expiredCredentials`.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        var headers = [("Accept", "application/json")]
        if let tokenFile {
            let fileToken = try TokenFile.read(tokenFile, source: "container")
            try Self.checkToken(fileToken)
            headers.append(("Authorization", fileToken))
        } else if let token {
            headers.append(("Authorization", token))
        }
        let request = caller.request(.get, path: "", headers: headers)
        let response = try caller.send { () throws(CredentialError) in request }
        guard response.status.code == 200 else { throw Self.failure(response) }
        return try MetadataCredentialsDocument.parse(response.body, source: "container", now: now())
    }

    /// The error for a non-200 answer: the JSON `code` and `message` when present, else the status alone.
    private static func failure(_ response: HTTPResponse) -> CredentialError {
        do {
            _ = try MetadataCredentialsDocument.parse(response.body, source: "container", now: .distantPast)
        } catch  where error.code == .serviceError {
            return CredentialError(
                code: .serviceError,
                source: "container",
                message: error.message,
                httpStatus: response.status.code,
                serviceCode: error.serviceCode
            )
        } catch {}
        return CredentialError(
            code: .httpStatus,
            source: "container",
            message: "unexpected answer \(response.status.code)",
            httpStatus: response.status.code
        )
    }

    /// Whether a full URI may be used: `https`, a documented link-local host, or loopback only.
    private static func isAllowedFullURI(_ url: HTTPURL) -> Bool {
        if url.isTLS { return true }
        let host = url.host.lowercased()
        if ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"].contains(host) { return true }
        return LoopbackHost.resolvesOnlyToLoopback(url.host)
    }

    /// Refuses a token that would break the header (CR, LF or NUL).
    private static func checkToken(_ token: String) throws(CredentialError) {
        guard !token.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
            throw CredentialError(
                code: .invalidConfiguration,
                source: "container",
                message: "the container authorization token contains a line break"
            )
        }
    }
}
