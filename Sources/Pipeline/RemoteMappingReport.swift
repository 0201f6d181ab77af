import Mapping
import RemoteMapping
import ServiceSupport

/// What the remote mapper did for one batch: who answered, how many calls it took, and why it degraded.
public struct RemoteMappingReport: Sendable, Hashable {
    /// HTTP calls to the API, retries included.
    public var calls = 0
    /// Retries among ``calls``.
    public var retries = 0
    /// Distinct texts answered from the cache.
    public var cachedTexts = 0
    /// Distinct texts answered by the API.
    public var remoteTexts = 0
    /// Distinct texts answered by the embedded engine because the API could not.
    public var fallbackTexts = 0
    /// Distinct texts left without mappings (their events carry an empty array).
    public var unmappedTexts = 0
    /// `mapping.degraded.<reason>` when texts were left without mappings, else `nil`.
    public var degradation: String?
    /// `mapping.fallback.<reason>` when the embedded engine answered some texts, else `nil`.
    public var fallback: String?
    /// Frameworks missing from an answer (the API answered partially), comma-separated; empty when none.
    public var missingFrameworks = ""

    /// Summarises a run.
    /// - Parameter run: The remote mapper's run of the batch.
    public init(_ run: MappingRun) {
        calls = run.calls
        retries = run.retries
        cachedTexts = run.cachedTexts
        remoteTexts = run.remoteTexts
        fallbackTexts = run.fallbackTexts
        unmappedTexts = run.unmappedTexts
        if let failure = run.failure {
            if run.unmappedTexts > 0 { degradation = failure.alarmCode }
            if run.fallbackTexts > 0 { fallback = "mapping.fallback.\(failure.reason)" }
        }
        missingFrameworks = run.missingFrameworks.map(\.rawValue).joined(separator: ",")
    }

    /// Adds the counts (and codes, when set) to a request log line.
    /// - Parameter metadata: The line's metadata.
    func addMetadata(to metadata: inout [String: LogValue]) {
        metadata["mapping_calls"] = .int(calls)
        metadata["mapping_retries"] = .int(retries)
        metadata["mapping_cached_texts"] = .int(cachedTexts)
        metadata["mapping_remote_texts"] = .int(remoteTexts)
        metadata["mapping_fallback_texts"] = .int(fallbackTexts)
        metadata["mapping_unmapped_texts"] = .int(unmappedTexts)
        if let fallback { metadata["mapping_fallback"] = .string(fallback) }
        if !missingFrameworks.isEmpty { metadata["mapping_missing_frameworks"] = .string(missingFrameworks) }
    }
}
