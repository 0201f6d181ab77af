import Foundation
import Mapping
import Semantic

/// Builds the mapping engine and the per-event options from the configuration.
enum EngineFactory {
    /// The embedded engine over the configured (or bundled) catalogs, with the semantic re-ranker when
    /// `model_dir` is set.
    /// - Throws: ``ConfigurationError`` naming `model_dir` when the model cannot be loaded or the catalogs have
    ///   no re-ranker, naming `entities` for a value that is no scope's phrase; the engine's loading errors otherwise.
    static func makeMapper(_ configuration: Configuration) throws -> any ComplianceMapper {
        var environment = ProcessInfo.processInfo.environment
        if let directory = configuration.catalogDirectory {
            environment[EmbeddedMapper.catalogDirectoryVariable] = directory
        }
        let directory = try EmbeddedMapper.bundledCatalogDirectory(environment: environment)
        var embedder: SentenceEmbedder?
        if let modelDirectory = configuration.modelDirectory, !modelDirectory.isEmpty {
            do {
                embedder = SentenceEmbedder(encoder: try SentenceEncoder(modelDirectory: modelDirectory))
            } catch {
                throw ConfigurationError(.invalidValue, key: "model_dir", "cannot load the model: \(error)")
            }
        }
        do {
            return try EmbeddedMapper(
                catalogDirectory: directory,
                cacheCapacity: configuration.mappingCacheEntries,
                embedder: embedder,
                entities: configuration.entities
            )
        } catch let error as MappingError where error.code == .unknownEntity {
            throw ConfigurationError(
                .invalidValue,
                key: "entities",
                error.message,
                origin: configuration.origins["entities"]
            )
        } catch let error as MappingError where error.code == .catalogInvalid && embedder != nil {
            throw ConfigurationError(.invalidValue, key: "model_dir", "the catalogs have no usable re-ranker: \(error)")
        }
    }

    /// `on` when the embedded engine re-ranks semantically (`model_dir` set and an embedded engine in use),
    /// else `off`, for the start-up log.
    static func semanticRerankerState(_ configuration: Configuration) -> String {
        let embedded = configuration.mapper != "remote"
        return embedded && !(configuration.modelDirectory ?? "").isEmpty ? "on" : "off"
    }

    /// A warning for `entities` set while only the remote API maps (`mapper` = `remote`): the remote API receives
    /// texts only, so the setting changes nothing.
    /// - Returns: The message, or `nil` when the setting is empty or an embedded engine maps.
    static func entitiesWarning(_ configuration: Configuration) -> String? {
        guard configuration.mapper == "remote", !configuration.entities.isEmpty else { return nil }
        return "entities is set but mapper is remote: the remote API maps texts only, so the setting changes nothing "
            + "(it applies to the embedded engine, also as remote-fallback)"
    }

    /// A warning for a `min_similarity` the lexical engine's answers cannot pass: its similarities are calibrated
    /// (0.3 starts Low, 0.5 Medium, 0.7 High) and stay near 0.5 without the model, so a threshold carried over from
    /// the remote API (where 0.6 or more is common) would leave most events without controls.
    /// - Returns: The message, or `nil` when the threshold is reachable or the engine is not the lexical one.
    static func thresholdWarning(_ configuration: Configuration) -> String? {
        guard configuration.mapper == "embedded", semanticRerankerState(configuration) == "off",
            case .minSimilarity(let value)? = configuration.threshold, value > 0.5
        else { return nil }
        return "min_similarity \(value) is above what the embedded engine without the model gives on most "
            + "frameworks (its similarities are calibrated: 0.3 Low, 0.5 Medium, 0.7 High); most events would get no "
            + "controls. Use min_confidence (SECBERUS_MIN_CONFIDENCE), or a similarity of 0.5 or less"
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
