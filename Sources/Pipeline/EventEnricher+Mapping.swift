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

    /// The `secberus_compliance` JSON array of each of a batch's distinct texts: the ones kept by
    /// ``renderedCache`` as they are, the others mapped (``mapTexts(_:hints:report:)``), rendered and kept.
    /// - Parameters:
    ///   - texts: The batch's text table.
    ///   - report: Receives the remote mapper's counts.
    /// - Returns: One array per text of the table.
    /// - Throws: As ``mapTexts(_:hints:report:)``.
    func complianceArrays(_ texts: TextTable, report: inout BatchReport) throws -> [[UInt8]] {
        guard let cache = renderedCache, !texts.texts.isEmpty else {
            return try mapTexts(texts.texts, hints: texts.hints, report: &report).map {
                MapAPI.complianceArrayJSON($0)
            }
        }
        let keys = zip(texts.texts, texts.hints).map { RenderedComplianceCache.Key(text: $0, hint: $1) }
        var arrays = cache.arrays(for: keys)
        let missing = arrays.indices.filter { arrays[$0] == nil }
        if !missing.isEmpty {
            let matches = try mapTexts(
                missing.map { texts.texts[$0] },
                hints: missing.map { texts.hints[$0] },
                report: &report
            )
            var fresh: [(key: RenderedComplianceCache.Key, array: [UInt8])] = []
            fresh.reserveCapacity(missing.count)
            for (index, textMatches) in zip(missing, matches) {
                let array = MapAPI.complianceArrayJSON(textMatches)
                arrays[index] = array
                fresh.append((keys[index], array))
            }
            cache.keep(fresh)
        }
        // Every entry is set: kept, or mapped just now (the mapper answers one list per text).
        return arrays.map { $0 ?? Self.emptyArray }
    }
}
