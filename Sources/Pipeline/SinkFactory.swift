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
/// expiry). In `parquet` mode the S3 sink is a ``SecurityLakeSink``: each class of `security_lake_roles` is
/// signed with its provider role (one assumed, refreshing provider per distinct role, `s3_role_external_id`
/// as external id), everything else with the default credentials or `s3_role_arn`.
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
            let base: any CredentialProvider = credentials ?? makeDefaultChain()
            let provider: any CredentialProvider
            do {
                provider = try credentials ?? assuming(configuration.s3RoleARN, over: base, configuration)
            } catch {
                throw ConfigurationError(.invalidValue, key: "s3_role_arn", "cannot assume the role: \(error)")
            }
            let sink = try makeS3Sink(configuration, bucket: bucket, prefix: prefix, credentials: provider)
            guard configuration.format == .parquet else { return sink }
            return try makeSecurityLakeSink(
                configuration,
                bucket: bucket,
                prefix: prefix,
                defaultSigner: .init(identity: "default credentials", sink: sink, credentials: provider),
                base: base
            )
        }
    }

    /// The parquet-mode sink: one S3 sink per distinct provider role of `security_lake_roles`, routed by the
    /// classes' key prefixes, over the default sink.
    private func makeSecurityLakeSink(
        _ configuration: Configuration,
        bucket: String,
        prefix: String,
        defaultSigner: SecurityLakeSink.Signer,
        base: any CredentialProvider
    ) throws(ConfigurationError) -> SecurityLakeSink {
        let settings = configuration.securityLake
        for (uid, location) in settings.locations.sorted(by: { $0.key < $1.key }) {
            if let other = SecurityLakeSettings.bucket(location), other != bucket {
                throw ConfigurationError(
                    .invalidValue,
                    key: "security_lake_locations",
                    "the location of \(uid) is in bucket \(other), but the sink writes to bucket \(bucket)"
                )
            }
        }
        var signers: [String: SecurityLakeSink.Signer] = [:]
        var routes: [(prefix: String, signer: SecurityLakeSink.Signer)] = []
        var roleOfPrefix: [String: String] = [:]
        for (uid, arn) in settings.roles.sorted(by: { $0.key < $1.key }) {
            guard let keyPrefix = settings.keyPrefix(classUID: uid, under: prefix) else {
                throw ConfigurationError(
                    .invalidValue,
                    key: "security_lake_locations",
                    "the location of \(uid) is not under the sink's prefix \(prefix)"
                )
            }
            if let other = roleOfPrefix.updateValue(arn, forKey: keyPrefix), other != arn {
                throw ConfigurationError(
                    .invalidValue,
                    key: "security_lake_roles",
                    "classes sharing the location \(keyPrefix) name different roles"
                )
            }
            if signers[arn] == nil {
                let assumed: any CredentialProvider
                do {
                    assumed = try assuming(arn, over: base, configuration)
                } catch {
                    throw ConfigurationError(
                        .invalidValue,
                        key: "security_lake_roles",
                        "cannot assume \(arn): \(error)"
                    )
                }
                let sink = try makeS3Sink(configuration, bucket: bucket, prefix: prefix, credentials: assumed)
                signers[arn] = .init(identity: arn, sink: sink, credentials: assumed)
            }
            if let signer = signers[arn] { routes.append((keyPrefix, signer)) }
        }
        return SecurityLakeSink(defaultSigner: defaultSigner, routes: routes)
    }

    private func makeS3Sink(
        _ configuration: Configuration,
        bucket: String,
        prefix: String,
        credentials: any CredentialProvider
    ) throws(ConfigurationError) -> S3Sink {
        do {
            return try S3Sink(settings: configuration.s3, bucket: bucket, prefix: prefix, credentials: credentials)
        } catch {
            throw ConfigurationError(.invalidValue, key: "sink", "cannot build the S3 sink: \(error.message)")
        }
    }

    /// The connectors and refresh settings of every credential source.
    private var sourceOptions: CredentialSourceOptions {
        var options = CredentialSourceOptions(connectors: AWSHTTPConnectors(tls: tlsConnector))
        if let report = onCredentialRefreshFailure {
            options.refresh.onRefreshFailure = { error in report("\(error)") }
        }
        return options
    }

    /// botocore's chain over ``environment``, refreshed ahead of expiry.
    private func makeDefaultChain() -> any CredentialProvider {
        DefaultCredentialChain(environment: EnvironmentReader(values: environment), options: sourceOptions)
    }

    /// A role assumed over `base` with `s3_role_external_id`, refreshed ahead of expiry; `base` itself when
    /// `roleARN` is `nil`.
    private func assuming(
        _ roleARN: String?,
        over base: any CredentialProvider,
        _ configuration: Configuration
    ) throws(CredentialError) -> any CredentialProvider {
        guard let roleARN else { return base }
        let options = sourceOptions
        let role = AssumeRoleCredentialProvider.Role(
            arn: roleARN,
            externalID: configuration.s3RoleExternalID,
            sessionName: "lakemark"
        )
        let assumed = try AssumeRoleCredentialProvider(
            base: base,
            role: role,
            region: configuration.s3.region,
            environment: EnvironmentReader(values: environment),
            connectors: options.connectors
        )
        return RefreshingCredentialProvider(
            base: assumed,
            source: "assume-role \(roleARN)",
            configuration: options.refresh
        )
    }
}
