import Foundation
import Mapping

/// Builds the mapping engine and the per-event options from the configuration.
enum EngineFactory {
    /// The embedded engine over the configured (or bundled) catalogs.
    static func makeMapper(_ configuration: Configuration) throws -> any ComplianceMapper {
        var environment = ProcessInfo.processInfo.environment
        if let directory = configuration.catalogDirectory {
            environment[EmbeddedMapper.catalogDirectoryVariable] = directory
        }
        let directory = try EmbeddedMapper.bundledCatalogDirectory(environment: environment)
        return try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: configuration.mappingCacheEntries)
    }

    /// Validated mapping options from the frameworks, threshold and top-k settings.
    static func makeOptions(_ configuration: Configuration) throws -> MappingOptions {
        var minSimilarity: Double?
        var minConfidence: String?
        switch configuration.threshold {
        case .minSimilarity(let value): minSimilarity = value
        case .minConfidence(let level): minConfidence = level
        case nil: break
        }
        return try MappingOptions.parse(
            frameworks: configuration.frameworks,
            minSimilarity: minSimilarity,
            minConfidence: minConfidence,
            topK: configuration.topK
        )
    }
}
