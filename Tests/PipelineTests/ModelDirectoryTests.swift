import Foundation
import Mapping
import Testing

@testable import Pipeline

/// `model_dir` (LAKEMARK_MODEL_DIR): the embedded engine with the semantic re-ranker, or a start-up error.
@Suite struct ModelDirectoryTests {
    static let model: String = ProcessInfo.processInfo.environment["LAKEMARK_MODEL_DIR"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("models/all-minilm-l6-v2").path

    @Test func theOptionIsReadFromTheEnvironmentAndReportedAtStartUp() throws {
        var configuration = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_MODEL_DIR": "/m"])
        #expect(configuration.modelDirectory == "/m")
        #expect(EngineFactory.semanticRerankerState(configuration) == "on")
        configuration.mapper = "remote"
        #expect(EngineFactory.semanticRerankerState(configuration) == "off")
        let plain = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(plain.modelDirectory == nil)
        #expect(EngineFactory.semanticRerankerState(plain) == "off")
    }

    @Test func anUnusableModelIsAConfigurationErrorNamingTheOption() throws {
        var configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        configuration.modelDirectory = "/nonexistent/model"
        do {
            _ = try EngineFactory.makeMapper(configuration)
            Issue.record("a missing model directory was accepted")
        } catch let error as ConfigurationError {
            #expect(error.key == "model_dir")
            #expect(error.message.contains("/nonexistent/model"))
        }
    }

    @Test func entitiesAreReadAndAnUnknownOneNamesTheOption() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: ["LAKEMARK_ENTITIES": "service provider, wireless"]
        )
        #expect(configuration.entities == ["service provider", "wireless"])
        _ = try EngineFactory.makeMapper(configuration)
        var unknown = configuration
        unknown.entities = ["bank"]
        do {
            _ = try EngineFactory.makeMapper(unknown)
            Issue.record("an entity that names no scope was accepted")
        } catch let error as ConfigurationError {
            #expect(error.key == "entities")
            #expect(error.message.contains("\"bank\""))
            #expect(error.description.contains("(from LAKEMARK_ENTITIES)"), "\(error.description)")
        }
    }

    @Test func entitiesWithOnlyTheRemoteAPIAreWarnedAbout() throws {
        var configuration = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_ENTITIES": "wireless"])
        #expect(EngineFactory.entitiesWarning(configuration) == nil)
        configuration.mapper = "remote-fallback"
        #expect(EngineFactory.entitiesWarning(configuration) == nil, "the fallback engine uses them")
        configuration.mapper = "remote"
        #expect(EngineFactory.entitiesWarning(configuration)?.contains("entities") == true)
        configuration.entities = []
        #expect(EngineFactory.entitiesWarning(configuration) == nil)
    }

    @Test func theModelTurnsTheRerankerOn() throws {
        guard FileManager.default.fileExists(atPath: Self.model + "/model.safetensors") else {
            print("SKIP: the re-ranker wiring needs models/all-minilm-l6-v2 (scripts/fetch_model.sh)")
            return
        }
        var configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        configuration.modelDirectory = Self.model
        let mapper = try #require(try EngineFactory.makeMapper(configuration) as? EmbeddedMapper)
        #expect(mapper.usesSemanticReranker)
        configuration.modelDirectory = nil
        let lexical = try #require(try EngineFactory.makeMapper(configuration) as? EmbeddedMapper)
        #expect(!lexical.usesSemanticReranker)
    }
}
