import Mapping
import RemoteMapping

extension EventEnricher {
    /// Maps a batch's distinct texts. With the remote mapper, texts it could not map get no matches and the
    /// report says why, unless `mapping_failure` is `fail`.
    /// - Parameters:
    ///   - texts: The distinct texts.
    ///   - hints: The event type of each text (see ``TextTable/hints``), for mappers that use them.
    ///   - report: Receives the remote mapper's counts.
    /// - Returns: One match list per text.
    /// - Throws: ``MappingUnavailable`` (policy `fail`), or the mapper's error.
    func mapTexts(
        _ texts: [String],
        hints: [EventTypeHint?] = [],
        report: inout BatchReport
    ) throws -> [[ControlMatch]] {
        guard !texts.isEmpty else { return [] }
        guard let remote = mapper as? RemoteMapper else {
            return try mapper.map(texts, hints: hints, options: mappingOptions)
        }
        let run = try remote.run(texts, options: mappingOptions)
        report.remoteMapping = RemoteMappingReport(run)
        if run.isDegraded, let failure = run.failure, configuration.remoteMapping.failurePolicy == .fail {
            throw MappingUnavailable(underlying: failure)
        }
        return run.matches
    }
}
