import AWSCredentialChain
import HTTPClient
import Mapping
import RemoteMapping
import ServiceSupport

extension EngineFactory {
    /// The mapping engine of `serve`, chosen by `mapper`.
    struct ServiceEngine {
        /// Maps every batch and answers `/v1/map`.
        let mapper: any ComplianceMapper
        /// The remote mapper, in `remote` and `remote-fallback` modes.
        let remote: RemoteMapper?
        /// The API key when it could be read at start-up, for the log redactor.
        let apiKey: String?
    }

    /// Builds the engine for `mapper`: the embedded one, or the remote API client (with the embedded engine as
    /// its fallback in `remote-fallback`). The remote client's frameworks are checked against the API's
    /// `/v1/frameworks` when it answers; otherwise the built-in list (already applied to `options`) stands and a
    /// warning says so.
    /// - Parameters:
    ///   - configuration: The configuration.
    ///   - options: The validated mapping options.
    ///   - logger: Where start-up warnings and key refresh failures go.
    ///   - tlsConnector: Opens `https` connections (API, Secrets Manager, STS); `nil` allows `http` only.
    /// - Returns: The engine.
    /// - Throws: ``ConfigurationError`` for an unusable URL, key setting or framework; the embedded engine's
    ///   loading errors.
    static func makeServiceEngine(
        _ configuration: Configuration,
        options: MappingOptions,
        logger: Logger,
        tlsConnector: (any HTTPTransportConnector)?
    ) throws -> ServiceEngine {
        guard configuration.mapper != "embedded" else {
            return ServiceEngine(mapper: try makeMapper(configuration), remote: nil, apiKey: nil)
        }
        let settings = configuration.remoteMapping
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: settings.apiURL)
        } catch {
            throw ConfigurationError(.invalidValue, key: "api_url", "not a usable URL (\(error.code))")
        }
        let connector: any HTTPTransportConnector
        if url.isTLS {
            guard let tlsConnector else {
                throw ConfigurationError(.invalidValue, key: "api_url", "https needs TLS, which this build lacks")
            }
            connector = tlsConnector
        } else {
            connector = TCPConnector()
        }
        let keySource: any APIKeySource
        do {
            keySource = try keyLocation(configuration).makeSource(
                connectors: AWSHTTPConnectors(tls: tlsConnector),
                onRefreshFailure: { error in
                    logger.warning(
                        "cannot refresh the mapping API key",
                        ["error_code": "mapping.api_key_refresh_failed", "error": .string(error.description)]
                    )
                }
            )
        } catch let error as RemoteMappingError {
            throw ConfigurationError(.invalidValue, key: "api_key_arn", error.message)
        }
        let fallback = configuration.mapper == "remote-fallback" ? try makeMapper(configuration) : nil
        let remote = RemoteMapper(
            configuration: remoteConfiguration(settings, url: url, cacheEntries: configuration.mappingCacheEntries),
            apiKey: keySource,
            connector: connector,
            fallback: fallback
        )
        try checkFrameworks(remote, options: options, logger: logger)
        return ServiceEngine(mapper: remote, remote: remote, apiKey: try? keySource.apiKey())
    }

    /// The one configured key location; none or several is a configuration error.
    static func keyLocation(_ configuration: Configuration) throws -> APIKeyLocation {
        var locations: [APIKeyLocation] = []
        if let key = configuration.remoteMapping.apiKey, !key.isEmpty { locations.append(.value(key)) }
        if let file = configuration.remoteMapping.apiKeyFile, !file.isEmpty { locations.append(.file(file)) }
        if let arn = configuration.apiKeySecretARN, !arn.isEmpty { locations.append(.secret(arn: arn)) }
        guard locations.count == 1, let location = locations.first else {
            throw ConfigurationError(
                locations.isEmpty ? .invalidValue : .conflict,
                key: "api_key, api_key_file and api_key_arn",
                locations.isEmpty
                    ? "the remote mapper needs one of SECBERUS_API_KEY, SECBERUS_API_KEY_FILE, SECBERUS_API_KEY_ARN"
                    : "set only one of them"
            )
        }
        return location
    }

    /// The client settings of the configuration.
    static func remoteConfiguration(
        _ settings: RemoteMappingSettings,
        url: HTTPURL,
        cacheEntries: Int
    ) -> RemoteMapper.Configuration {
        var remote = RemoteMapper.Configuration(baseURL: url)
        remote.documentsPerCall = settings.documentsPerCall
        remote.bytesPerCall = settings.bytesPerCall
        remote.parallelCalls = settings.parallelCalls
        remote.http2 = settings.http2
        remote.connectTimeout = .milliseconds(Int(settings.connectTimeoutSeconds * 1_000))
        remote.readTimeout = .milliseconds(Int(settings.readTimeoutSeconds * 1_000))
        remote.maxAttempts = settings.maxAttempts
        remote.circuitFailureThreshold = settings.circuitFailures
        remote.circuitCooldown = .milliseconds(Int(settings.circuitCooldownSeconds * 1_000))
        remote.budget = .milliseconds(Int(settings.budgetSeconds * 1_000))
        remote.cacheEntries = cacheEntries
        remote.cacheTTL = .milliseconds(Int(settings.cacheTTLSeconds * 1_000))
        return remote
    }

    /// Fails start-up when the API answers `/v1/frameworks` without a configured framework; warns when it does
    /// not answer.
    private static func checkFrameworks(_ remote: RemoteMapper, options: MappingOptions, logger: Logger) throws {
        let served: [String]
        do {
            served = try remote.serviceFrameworkIDs()
        } catch {
            let what = error.httpStatus.map { "answered HTTP \($0) at start-up" } ?? "not reachable at start-up"
            logger.warning(
                "mapping API \(what); frameworks checked against the built-in list only",
                ["error_code": .string("mapping.startup.\(error.reason)"), "error": .string(error.description)]
            )
            return
        }
        let missing = options.frameworks.map(\.rawValue).filter { !served.contains($0) }
        guard missing.isEmpty else {
            throw ConfigurationError(
                .invalidValue,
                key: "frameworks",
                "the mapping API does not serve \(missing.joined(separator: ", ")); it serves "
                    + served.joined(separator: ", ")
            )
        }
    }
}
