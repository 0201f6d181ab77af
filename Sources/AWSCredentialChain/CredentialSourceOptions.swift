import AWSSigning

/// Settings shared by the providers that ``DefaultCredentialChain`` and ``ProfileCredentialProvider`` build.
public struct CredentialSourceOptions: Sendable {
    /// Transports; STS needs ``AWSHTTPConnectors/tls`` unless its endpoint is overridden with an `http` URL.
    /// Default: plain TCP only.
    public var connectors: AWSHTTPConnectors
    /// Refresh windows, clock and failure reporting for every fetched source. Default: see
    /// ``RefreshingCredentialProvider/Configuration``.
    public var refresh: RefreshingCredentialProvider.Configuration
    /// Where `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is resolved. Default: ``ContainerCredentialProvider/ecsBaseURL``.
    public var containerBaseURL: String
    /// Calls to the container endpoint. Default: ``FetchPolicy/container``.
    public var containerPolicy: FetchPolicy
    /// Calls to the instance metadata service. Default: ``FetchPolicy/instanceMetadata``.
    public var instanceMetadataPolicy: FetchPolicy
    /// Calls to STS. Default: ``FetchPolicy/awsService``.
    public var stsPolicy: FetchPolicy

    /// Creates options with the documented defaults.
    ///
    /// - Parameter connectors: Transports (default plain TCP only).
    public init(connectors: AWSHTTPConnectors = AWSHTTPConnectors()) {
        self.connectors = connectors
        refresh = RefreshingCredentialProvider.Configuration()
        containerBaseURL = ContainerCredentialProvider.ecsBaseURL
        containerPolicy = .container
        instanceMetadataPolicy = .instanceMetadata
        stsPolicy = .awsService
    }

    /// `provider` wrapped in a ``RefreshingCredentialProvider`` with ``refresh``.
    func refreshing(_ provider: any CredentialProvider, source: String) -> RefreshingCredentialProvider {
        RefreshingCredentialProvider(base: provider, source: source, configuration: refresh)
    }
}
