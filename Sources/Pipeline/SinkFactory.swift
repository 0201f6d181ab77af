import ServiceSupport
public import HTTPClient
import AWSCredentialChain
public import AWSSigning
import Foundation
import S3
public import Sink

/// Builds the sink a ``Configuration`` names: a ``LocalDirectorySink`` for a directory, an ``S3Sink`` for
/// `s3://bucket/prefix`.
///
/// The S3 sink signs with ``credentials`` when given, else with the AWS credential chain over ``environment``
/// (environment keys, web identity, shared files, container endpoint, instance metadata; refreshed ahead of
/// expiry).
public struct SinkFactory: Sendable {
    /// The environment the default credential provider reads.
    public let environment: [String: String]
    /// The credential provider for S3, or `nil` for the environment-only default.
    public let credentials: (any CredentialProvider)?
    /// Opens `https` connections for the credential sources that need them (STS, Secrets Manager).
    public let tlsConnector: (any HTTPTransportConnector)?
    /// Told when a credential refresh fails while cached credentials are still in use (the app logs it).
    public let onCredentialRefreshFailure: (@Sendable (String) -> Void)?

    /// Creates a factory.
    /// - Parameters:
    ///   - environment: The environment. Default: the process environment.
    ///   - credentials: The S3 credential provider, or `nil` (the default) for the environment-only one.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        credentials: (any CredentialProvider)? = nil,
        tlsConnector: (any HTTPTransportConnector)? = nil,
        onCredentialRefreshFailure: (@Sendable (String) -> Void)? = nil
    ) {
        self.environment = environment
        self.credentials = credentials
        self.tlsConnector = tlsConnector
        self.onCredentialRefreshFailure = onCredentialRefreshFailure
    }

    /// Builds the configured sink; nothing is written or sent yet.
    /// - Parameter configuration: The configuration.
    /// - Returns: The sink.
    /// - Throws: ``ConfigurationError`` naming the option when the S3 settings cannot be used (no region, a
    ///   malformed endpoint or proxy, an unreadable CA bundle, a KMS key without `aws:kms`).
    public func makeSink(_ configuration: Configuration) throws(ConfigurationError) -> any ObjectSink {
        switch configuration.sink {
        case .directory(let path):
            return LocalDirectorySink(root: path)
        case .s3(let bucket, let prefix):
            // botocore's chain: environment, web identity (IRSA), profiles, container (ECS, Pod Identity), IMDS.
            let provider: any CredentialProvider
            do {
                provider = try credentials ?? makeCredentialChain(configuration)
            } catch {
                throw ConfigurationError(.invalidValue, key: "s3_role_arn", "cannot assume the role: \(error)")
            }
            do {
                return try S3Sink(settings: configuration.s3, bucket: bucket, prefix: prefix, credentials: provider)
            } catch {
                throw ConfigurationError(.invalidValue, key: "sink", "cannot build the S3 sink: \(error.message)")
            }
        }
    }

    /// botocore's chain, refreshed ahead of expiry; with `s3_role_arn`, that role assumed on top of it.
    private func makeCredentialChain(_ configuration: Configuration) throws(CredentialError) -> any CredentialProvider {
        let reader = EnvironmentReader(values: environment)
        var options = CredentialSourceOptions(connectors: AWSHTTPConnectors(tls: tlsConnector))
        if let report = onCredentialRefreshFailure {
            options.refresh.onRefreshFailure = { error in report("\(error)") }
        }
        let chain = DefaultCredentialChain(environment: reader, options: options)
        guard let roleARN = configuration.s3RoleARN else { return chain }
        let role = AssumeRoleCredentialProvider.Role(
            arn: roleARN,
            externalID: configuration.s3RoleExternalID,
            sessionName: "lakemark"
        )
        let assumed = try AssumeRoleCredentialProvider(
            base: chain,
            role: role,
            region: configuration.s3.region,
            environment: reader,
            connectors: options.connectors
        )
        return RefreshingCredentialProvider(base: assumed, source: "assume-role", configuration: options.refresh)
    }
}
