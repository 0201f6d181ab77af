import RemoteMapping

extension ConfigurationOption {
    /// The options of the remote mapping API client, listed after `api_key_arn` in the reference.
    static let remoteMappingOptions: [ConfigurationOption] = [
        .init(
            "api_url",
            ["SECBERUS_API_URL"],
            "https://compliance.secberus.ai",
            "http(s) URL",
            "Base URL of the remote mapping API (POST /v1/map, GET /v1/frameworks)."
        ) {
            let url = try string($1, key: "api_url")
            guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
                throw ConfigurationError(.invalidValue, key: "api_url", "expected an http:// or https:// URL")
            }
            $0.remoteMapping.apiURL = url
        },
        .init(
            "api_key",
            ["SECBERUS_API_KEY"],
            "(none)",
            "string",
            "API key of the remote mapping API; prefer api_key_file or api_key_arn. Never logged."
        ) {
            $0.remoteMapping.apiKey = try string($1, key: "api_key")
        },
        .init(
            "api_key_file",
            ["SECBERUS_API_KEY_FILE"],
            "(none)",
            "file path",
            "File holding the API key; read again when the API refuses the key."
        ) {
            $0.remoteMapping.apiKeyFile = try string($1, key: "api_key_file")
        },
        .init(
            "mapping_failure",
            ["LAKEMARK_MAPPING_FAILURE"],
            "degrade",
            "degrade or fail",
            "When the API leaves texts unmapped: degrade lands the batch with empty arrays, fail answers 503 "
                + "so Firehose retries."
        ) {
            let value = try string($1, key: "mapping_failure").lowercased()
            guard let policy = RemoteMappingSettings.FailurePolicy(rawValue: value) else {
                throw ConfigurationError(.invalidValue, key: "mapping_failure", "allowed: degrade, fail")
            }
            $0.remoteMapping.failurePolicy = policy
        },
        .init(
            "mapping_budget_seconds",
            ["LAKEMARK_MAPPING_BUDGET_SECONDS"],
            "20",
            "seconds (1-150)",
            "Longest time one batch spends on remote mapping (retries included)."
        ) {
            $0.remoteMapping.budgetSeconds = try double($1, key: "mapping_budget_seconds", in: 1...150)
        },
        .init(
            "api_documents_per_call",
            ["LAKEMARK_API_DOCUMENTS_PER_CALL"],
            "200",
            "documents (1-1000)",
            "Most distinct texts per API call."
        ) {
            $0.remoteMapping.documentsPerCall = try int($1, key: "api_documents_per_call", in: 1...1_000)
        },
        .init(
            "api_bytes_per_call",
            ["LAKEMARK_API_BYTES_PER_CALL"],
            "1048576",
            "bytes (65536-4194304)",
            "Most request bytes per API call."
        ) {
            $0.remoteMapping.bytesPerCall = try int($1, key: "api_bytes_per_call", in: 65_536...4_194_304)
        },
        .init(
            "api_parallel_calls",
            ["LAKEMARK_API_PARALLEL_CALLS"],
            "4",
            "calls (1-32)",
            "API calls of one batch in flight at once: streams of one HTTP/2 connection, or HTTP/1.1 keep-alive "
                + "connections."
        ) {
            $0.remoteMapping.parallelCalls = try int($1, key: "api_parallel_calls", in: 1...32)
        },
        .init(
            "remote_http2",
            ["LAKEMARK_REMOTE_HTTP2"],
            "auto",
            "auto or off",
            "auto: parallel API calls share one HTTP/2 connection when the https API offers h2 (ALPN); "
                + "off: HTTP/1.1 keep-alive only."
        ) {
            let value = try string($1, key: "remote_http2").lowercased()
            guard let mode = RemoteMapper.HTTP2Mode(rawValue: value) else {
                throw ConfigurationError(.invalidValue, key: "remote_http2", "allowed: auto, off")
            }
            $0.remoteMapping.http2 = mode
        },
        .init(
            "api_connect_timeout_seconds",
            ["LAKEMARK_API_CONNECT_TIMEOUT_SECONDS"],
            "2",
            "seconds (0.1-60)",
            "Time to connect to the API."
        ) {
            $0.remoteMapping.connectTimeoutSeconds = try double($1, key: "api_connect_timeout_seconds", in: 0.1...60)
        },
        .init(
            "api_read_timeout_seconds",
            ["LAKEMARK_API_READ_TIMEOUT_SECONDS"],
            "10",
            "seconds (0.1-120)",
            "Time each read of an API answer may wait."
        ) {
            $0.remoteMapping.readTimeoutSeconds = try double($1, key: "api_read_timeout_seconds", in: 0.1...120)
        },
        .init(
            "api_max_attempts",
            ["LAKEMARK_API_MAX_ATTEMPTS"],
            "3",
            "attempts (1-10)",
            "Attempts per API call; 429 (after Retry-After), 5xx, timeouts and connection errors are retried."
        ) {
            $0.remoteMapping.maxAttempts = try int($1, key: "api_max_attempts", in: 1...10)
        },
        .init(
            "api_circuit_failures",
            ["LAKEMARK_API_CIRCUIT_FAILURES"],
            "5",
            "failures (1-1000)",
            "Consecutive failed API calls that open the circuit breaker (calls stop, mapping degrades)."
        ) {
            $0.remoteMapping.circuitFailures = try int($1, key: "api_circuit_failures", in: 1...1_000)
        },
        .init(
            "api_circuit_cooldown_seconds",
            ["LAKEMARK_API_CIRCUIT_COOLDOWN_SECONDS"],
            "30",
            "seconds (1-3600)",
            "Time the open circuit breaker waits before one probe call."
        ) {
            $0.remoteMapping.circuitCooldownSeconds = try double($1, key: "api_circuit_cooldown_seconds", in: 1...3_600)
        },
        .init(
            "api_cache_ttl_seconds",
            ["LAKEMARK_API_CACHE_TTL_SECONDS"],
            "3600",
            "seconds (0-604800)",
            "Time an API answer is reused (up to mapping_cache_entries texts); 0 disables the cache."
        ) {
            $0.remoteMapping.cacheTTLSeconds = try double($1, key: "api_cache_ttl_seconds", in: 0...604_800)
        },
    ]
}
