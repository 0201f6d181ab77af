public import AWSSigning
public import ServiceSupport
import Synchronization

/// The standard AWS credential chain for a service: the first configured source wins and is kept.
///
/// Order (botocore's, without SSO and `credential_process`):
/// 1. environment variables (``EnvironmentCredentialProvider``);
/// 2. web identity from `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (``WebIdentityCredentialProvider``);
/// 3. the shared credentials and config files (``ProfileCredentialProvider``);
/// 4. the container endpoint (``ContainerCredentialProvider``);
/// 5. the EC2 instance metadata service (``InstanceMetadataCredentialProvider``), unless disabled.
///
/// A source counts as configured when its settings are present (IMDS always is, unless
/// `AWS_EC2_METADATA_DISABLED=true`); the chain does not fall through to the next source when the chosen one
/// fails, it reports that failure. Sources 2–5 are wrapped in ``RefreshingCredentialProvider``.
///
/// The choice is made on the first call of ``resolve()`` or ``credentials()`` and kept afterwards; a choice
/// that fails on a configuration error is tried again on the next call.
public final class DefaultCredentialChain: CredentialProvider {
    private struct Choice: Sendable {
        let provider: any CredentialProvider
        let name: String
    }

    private let environment: EnvironmentReader
    private let options: CredentialSourceOptions
    private let choice = Mutex<Choice?>(nil)

    /// Creates a chain; nothing is read until the first call.
    ///
    /// - Parameters:
    ///   - environment: The variables to read (default the process environment); tests pass fixed values.
    ///   - options: Transports, policies and refresh settings (see ``CredentialSourceOptions`` for defaults).
    public init(
        environment: EnvironmentReader = EnvironmentReader(),
        options: CredentialSourceOptions = CredentialSourceOptions()
    ) {
        self.environment = environment
        self.options = options
    }

    /// Chooses the source (once) and names it, so the app can log where its credentials come from.
    ///
    /// - Returns: `environment`, `webIdentity`, `profile <name> (<kind>)`, `container` or `instanceMetadata`.
    /// - Throws: ``CredentialError/Code/notConfigured`` when no source is configured, or the configuration error
    ///   of the first configured source.
    @discardableResult
    public func resolve() throws(CredentialError) -> String {
        try chosen().name
    }

    /// The credentials of the chosen source.
    ///
    /// - Returns: Unexpired credentials.
    /// - Throws: ``CredentialError`` from choosing the source or from the source itself.
    public func credentials() throws(CredentialError) -> AWSCredentials {
        try CredentialError.calling(chosen().provider, source: "chain")
    }

    /// Drops the cached credentials of the chosen source (when it caches), so the next call waits for new ones;
    /// call it when a service answered `ExpiredToken`, `ExpiredTokenException`, `InvalidToken` or `RequestExpired`.
    public func invalidate() {
        choice.withLock({ $0?.provider })?.invalidate()
    }

    /// The kept choice, or a new one (made outside the lock; the first stored choice wins a race).
    private func chosen() throws(CredentialError) -> Choice {
        if let existing = choice.withLock({ $0 }) { return existing }
        let made = try choose()
        return choice.withLock { stored in
            if let stored { return stored }
            stored = made
            return made
        }
    }

    /// Walks the sources in order.
    private func choose() throws(CredentialError) -> Choice {
        if let provider = try EnvironmentCredentialProvider(environment: environment) {
            return Choice(provider: provider, name: "environment")
        }
        if let provider = try WebIdentityCredentialProvider(
            environment: environment,
            connectors: options.connectors,
            policy: options.stsPolicy
        ) {
            return Choice(provider: options.refreshing(provider, source: "webIdentity"), name: "webIdentity")
        }
        if let provider = try ProfileCredentialProvider(environment: environment, options: options) {
            return Choice(provider: provider, name: "profile \(provider.profileName) (\(provider.kind))")
        }
        if let provider = try ContainerCredentialProvider(
            environment: environment,
            connectors: options.connectors,
            baseURL: options.containerBaseURL,
            policy: options.containerPolicy,
            now: options.refresh.now
        ) {
            return Choice(provider: options.refreshing(provider, source: "container"), name: "container")
        }
        if let provider = try InstanceMetadataCredentialProvider(
            environment: environment,
            connectors: options.connectors,
            policy: options.instanceMetadataPolicy,
            now: options.refresh.now
        ) {
            return Choice(provider: options.refreshing(provider, source: "instanceMetadata"), name: "instanceMetadata")
        }
        throw CredentialError(
            code: .notConfigured,
            source: "chain",
            message: "no credential source is configured (environment, web identity, profile, container) "
                + "and instance metadata is disabled"
        )
    }
}
