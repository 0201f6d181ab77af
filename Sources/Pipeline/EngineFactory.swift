import Foundation
import Mapping

/// Builds the mapping engine and the per-event options from the configuration.
enum EngineFactory {
    static func makeMapper(_ configuration: Configuration) throws -> any ComplianceMapper {
        let directory = configuration.catalogDirectory.map { URL(fileURLWithPath: $0) }
        return try EmbeddedMapper(catalogDirectory: directory, cacheEntries: configuration.mappingCacheEntries)
    }

    static func makeOptions(_ configuration: Configuration) throws -> MappingOptions {
        let threshold: MappingOptions.Threshold?
        switch configuration.threshold {
        case .minSimilarity(let value): threshold = .minSimilarity(value)
        case .minConfidence(let level): threshold = .minConfidence(try Confidence(parsing: level))
        case nil: threshold = nil
        }
        return try MappingOptions(frameworks: configuration.frameworks, threshold: threshold, topK: configuration.topK)
    }
}
