@testable import Pipeline
import Testing

/// Start-up warnings about settings that would quietly empty the output.
@Suite struct ThresholdWarningTests {
    @Test func aSimilarityThresholdTheLexicalEngineCannotPassIsWarnedAbout() throws {
        let legacy = try ConfigurationLoader.load(path: nil, environment: ["SECBERUS_MIN_SIMILARITY": "0.6"])
        #expect(EngineFactory.thresholdWarning(legacy)?.contains("min_confidence") == true)
        let reachable = try ConfigurationLoader.load(path: nil, environment: ["SECBERUS_MIN_SIMILARITY": "0.5"])
        #expect(EngineFactory.thresholdWarning(reachable) == nil)
        var withModel = legacy
        withModel.modelDirectory = "/opt/lakemark/models/all-minilm-l6-v2"
        #expect(EngineFactory.thresholdWarning(withModel) == nil, "the re-ranker's similarities reach past 0.5")
        var remote = legacy
        remote.mapper = "remote"
        #expect(EngineFactory.thresholdWarning(remote) == nil)
    }
}
