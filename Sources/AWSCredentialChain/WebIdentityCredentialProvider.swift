public import AWSSigning
import Foundation
public import HTTPClient
public import ServiceSupport

/// Role credentials for a web identity (OIDC) token, as EKS IAM roles for service accounts (IRSA) provide them:
/// the token file is read on every fetch (Kubernetes rotates it) and exchanged with an unsigned STS
/// `AssumeRoleWithWebIdentity` call.
///
/// Each call of ``credentials()`` calls STS; wrap the provider in ``RefreshingCredentialProvider`` (the
/// ``DefaultCredentialChain`` does).
public struct WebIdentityCredentialProvider: CredentialProvider {
    /// The role to assume.
    public let roleARN: String
    /// The path of the token file.
    public let tokenFile: String
    /// The role session name sent to STS.
    public let sessionName: String
    private let durationSeconds: Int?
    private let sts: STSClient

    /// Creates a provider for explicit settings.
    ///
    /// - Parameters:
    ///   - tokenFile: The path of the OIDC token file.
    ///   - roleARN: The role to assume.
    ///   - sessionName: The role session name, or `nil` (the default) for `lakemark-<epoch seconds>`.
    ///   - durationSeconds: The session length (900–43,200 s), or `nil` (the default) for the role's default.
    ///   - stsEndpoint: The STS endpoint.
    ///   - connectors: Transports; `https` endpoints need ``AWSHTTPConnectors/tls``.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/awsService``).
    /// - Throws: ``CredentialError/Code/tlsUnavailable``.
    public init(
        tokenFile: String,
        roleARN: String,
        sessionName: String? = nil,
        durationSeconds: Int? = nil,
        stsEndpoint: HTTPURL,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .awsService
    ) throws(CredentialError) {
        self.tokenFile = tokenFile
        self.roleARN = roleARN
        self.sessionName = sessionName ?? Self.defaultSessionName()
        self.durationSeconds = durationSeconds
        sts = try STSClient(endpoint: stsEndpoint, signingRegion: "us-east-1", connectors: connectors, policy: policy)
    }

    /// Creates a provider from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` and `AWS_ROLE_SESSION_NAME`; STS is
    /// the regional endpoint of `AWS_REGION`/`AWS_DEFAULT_REGION` unless `AWS_ENDPOINT_URL_STS` or
    /// `AWS_ENDPOINT_URL` overrides it.
    ///
    /// - Parameters:
    ///   - environment: The variables to read.
    ///   - connectors: Transports.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/awsService``).
    /// - Returns: `nil` when `AWS_WEB_IDENTITY_TOKEN_FILE` or `AWS_ROLE_ARN` is unset.
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` or ``CredentialError/Code/tlsUnavailable``.
    public init?(
        environment: EnvironmentReader,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .awsService
    ) throws(CredentialError) {
        guard let tokenFile = environment.string("AWS_WEB_IDENTITY_TOKEN_FILE"),
            let roleARN = environment.string("AWS_ROLE_ARN")
        else { return nil }
        let endpoint = try STSClient.endpoint(
            region: AWSEndpoint.region(environment: environment),
            environment: environment
        )
        try self.init(
            tokenFile: tokenFile,
            roleARN: roleARN,
            sessionName: environment.string("AWS_ROLE_SESSION_NAME"),
            stsEndpoint: endpoint.url,
            connectors: connectors,
            policy: policy
        )
    }

    /// Reads the token file and calls STS `AssumeRoleWithWebIdentity`.
    ///
    /// - Returns: Fresh temporary credentials.
    /// - Throws: ``CredentialError``: `fileUnreadable` for the token file, or an STS failure.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        let token = try TokenFile.read(tokenFile, source: "webIdentity")
        return try sts.assumeRoleWithWebIdentity(
            roleARN: roleARN,
            sessionName: sessionName,
            token: token,
            durationSeconds: durationSeconds
        )
    }

    /// `lakemark-<seconds since the epoch>`, the session name used when none is configured.
    static func defaultSessionName() -> String {
        "lakemark-\(Int(Date().timeIntervalSince1970))"
    }
}
