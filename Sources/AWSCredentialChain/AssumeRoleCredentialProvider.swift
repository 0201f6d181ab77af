public import AWSSigning
public import Foundation
public import HTTPClient
public import ServiceSupport

/// Role credentials obtained with a SigV4-signed STS `AssumeRole` call made with a base provider's credentials,
/// for example to act as the Security Lake custom-source provider role (with its external ID).
///
/// Each call of ``credentials()`` calls STS; wrap the provider in ``RefreshingCredentialProvider``. The base
/// provider is asked on every call, so give it one that caches (the ``DefaultCredentialChain`` does).
public struct AssumeRoleCredentialProvider: CredentialProvider {
    /// What to assume.
    public struct Role: Sendable, Hashable {
        /// The role ARN.
        public var arn: String
        /// The external ID the role's trust policy requires, or `nil`.
        public var externalID: String?
        /// The role session name (2–64 characters of `[\w+=,.@-]`).
        public var sessionName: String
        /// The session length in seconds (900 up to the role's maximum), or `nil` for STS's default of 3,600.
        public var durationSeconds: Int?

        /// Describes a role.
        ///
        /// - Parameters:
        ///   - arn: The role ARN.
        ///   - externalID: The external ID, or `nil` (the default).
        ///   - sessionName: The session name, or `nil` (the default) for `lakemark-<epoch seconds>`.
        ///   - durationSeconds: The session length in seconds, or `nil` (the default) for 3,600.
        public init(arn: String, externalID: String? = nil, sessionName: String? = nil, durationSeconds: Int? = nil) {
            self.arn = arn
            self.externalID = externalID
            self.sessionName = sessionName ?? WebIdentityCredentialProvider.defaultSessionName()
            self.durationSeconds = durationSeconds
        }
    }

    /// The role assumed.
    public let role: Role
    private let base: any CredentialProvider
    private let sts: STSClient
    private let now: @Sendable () -> Date

    /// Creates a provider for an explicit STS endpoint.
    ///
    /// - Parameters:
    ///   - base: Signs the `AssumeRole` calls.
    ///   - role: The role to assume.
    ///   - stsEndpoint: The STS endpoint.
    ///   - signingRegion: The region in the signature's credential scope.
    ///   - connectors: Transports; `https` endpoints need ``AWSHTTPConnectors/tls``.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/awsService``).
    ///   - now: The clock for signing times (default the system clock).
    /// - Throws: ``CredentialError/Code/tlsUnavailable``.
    public init(
        base: any CredentialProvider,
        role: Role,
        stsEndpoint: HTTPURL,
        signingRegion: String,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .awsService,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialError) {
        self.base = base
        self.role = role
        self.now = now
        sts = try STSClient(endpoint: stsEndpoint, signingRegion: signingRegion, connectors: connectors, policy: policy)
    }

    /// Creates a provider whose STS endpoint comes from the environment: `AWS_ENDPOINT_URL_STS` or
    /// `AWS_ENDPOINT_URL`, else the regional endpoint of `region`, else the global one.
    ///
    /// - Parameters:
    ///   - base: Signs the `AssumeRole` calls.
    ///   - role: The role to assume.
    ///   - region: The STS region, or `nil` (the default) for `AWS_REGION`/`AWS_DEFAULT_REGION`, else the
    ///     global endpoint signed for `us-east-1`.
    ///   - environment: The variables to read.
    ///   - connectors: Transports.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/awsService``).
    ///   - now: The clock for signing times (default the system clock).
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` or ``CredentialError/Code/tlsUnavailable``.
    public init(
        base: any CredentialProvider,
        role: Role,
        region: String? = nil,
        environment: EnvironmentReader,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .awsService,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialError) {
        let endpoint = try STSClient.endpoint(
            region: region ?? AWSEndpoint.region(environment: environment),
            environment: environment
        )
        try self.init(
            base: base,
            role: role,
            stsEndpoint: endpoint.url,
            signingRegion: endpoint.signingRegion,
            connectors: connectors,
            policy: policy,
            now: now
        )
    }

    /// Calls STS `AssumeRole`.
    ///
    /// - Returns: Fresh temporary credentials for the role.
    /// - Throws: ``CredentialError``: the base provider's failure, or an STS failure.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        try sts.assumeRole(
            roleARN: role.arn,
            sessionName: role.sessionName,
            externalID: role.externalID,
            durationSeconds: role.durationSeconds,
            credentials: base,
            now: now
        )
    }
}
