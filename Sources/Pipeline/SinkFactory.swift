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

    /// Creates a factory.
    /// - Parameters:
    ///   - environment: The environment. Default: the process environment.
    ///   - credentials: The S3 credential provider, or `nil` (the default) for the environment-only one.
    public init(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        credentials: (any CredentialProvider)? = nil,
        tlsConnector: (any HTTPTransportConnector)? = nil
    ) {
        self.environment = environment
        self.credentials = credentials
        self.tlsConnector = tlsConnector
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
            let provider = self.credentials
                ?? DefaultCredentialChain(
                    environment: EnvironmentReader(values: environment),
                    options: CredentialSourceOptions(connectors: AWSHTTPConnectors(tls: tlsConnector))
                )
            do {
                return try S3Sink(settings: configuration.s3, bucket: bucket, prefix: prefix, credentials: provider)
            } catch {
                throw ConfigurationError(.invalidValue, key: "sink", "cannot build the S3 sink: \(error.message)")
            }
        }
    }
}
