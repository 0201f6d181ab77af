import RemoteMapping

/// Raised when the remote mapper left texts unmapped and `mapping_failure` is `fail`: the batch answers 503.
struct MappingUnavailable: Error {
    /// Why the mapping failed.
    let underlying: RemoteMappingError

    /// The logged error code: `mapping.failed.<reason>`.
    var code: String { "mapping.failed.\(underlying.reason)" }

    /// The Firehose `errorMessage` (never contains the API key).
    var message: String { "compliance mapping unavailable, retry later: \(underlying.description)" }
}
