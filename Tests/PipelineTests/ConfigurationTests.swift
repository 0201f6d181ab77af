import Foundation
import Pipeline
import Testing

@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(configuration.listenHost == "127.0.0.1" && configuration.listenPort == 8080)
        #expect(configuration.ingestPath == "/")
        #expect(configuration.sink == .directory("./lake"))
        #expect(configuration.accessKeys.isEmpty)
        #expect(configuration.topK == 3)
    }

    @Test func environmentOverridesFileAndSecberusNamesAreHonoured() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("lakemark.json")
        try Data(#"{"listen":"0.0.0.0:9000","topk":5,"frameworks":["iso_27001"],"min_similarity":0.4}"#.utf8)
            .write(to: file)
        let configuration = try ConfigurationLoader.load(
            path: file.path,
            environment: [
                "LAKEMARK_LISTEN": "[::1]:8443", "LAKEMARK_ACCESS_KEYS": "old-key, new-key",
                "SECBERUS_FRAMEWORKS": "pci_dss_v4,soc2", "SECBERUS_MIN_CONFIDENCE": "medium", "SECBERUS_TOPK": "2",
                "SECBERUS_SOURCE_FIELD": "finding_info.desc,description,message", "LAKEMARK_SINK": "file:///data/lake",
            ]
        )
        #expect(configuration.listenHost == "::1" && configuration.listenPort == 8443)
        #expect(configuration.accessKeys == ["old-key", "new-key"])
        #expect(configuration.frameworks == ["pci_dss_v4", "soc2"])
        #expect(configuration.threshold == .minConfidence("Medium"))
        #expect(configuration.topK == 2)
        #expect(configuration.sourceFields.map(\.description) == ["finding_info.desc", "description", "message"])
        #expect(configuration.sink == .directory("/data/lake"))
    }

    @Test(arguments: [
        ("LAKEMARK_LISTEN", "8080", "listen"), ("LAKEMARK_LISTEN", "host:99999", "listen"),
        ("SECBERUS_TOPK", "0", "topk"), ("SECBERUS_MIN_SIMILARITY", "1.5", "min_similarity"),
        ("SECBERUS_MIN_CONFIDENCE", "Sure", "min_confidence"), ("SECBERUS_SOURCE_FIELD", "a..b", "source_fields"),
        ("LAKEMARK_SINK", "s3://Bad_Bucket/prefix", "sink"), ("LAKEMARK_MAPPER", "magic", "mapper"),
        ("LAKEMARK_GZIP_LEVEL", "12", "gzip_level"), ("LAKEMARK_LOG_LEVEL", "loud", "log_level"),
    ])
    func badValuesNameTheOptionAndWhatIsAllowed(_ variable: String, _ value: String, _ key: String) {
        do {
            _ = try ConfigurationLoader.load(path: nil, environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.key == key)
            #expect(error.description.contains(variable))
            #expect(!error.message.isEmpty)
        }
    }

    @Test func bothThresholdsInOneLayerAreAConflict() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(
                path: nil,
                environment: [
                    "SECBERUS_MIN_SIMILARITY": "0.3", "SECBERUS_MIN_CONFIDENCE": "High",
                ]
            )
        }
    }

    @Test func unknownFileKeysAreRejected() throws {
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("c.json")
        try Data(#"{"lisen":"0.0.0.0:1"}"#.utf8).write(to: file)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: file.path, environment: [:]) }
    }

    @Test func exampleConfigurationLoads() throws {
        let example = TestEnvironment.repositoryRoot.appendingPathComponent("config/lakemark.json")
        let configuration = try ConfigurationLoader.load(path: example.path, environment: [:])
        #expect(configuration.frameworks.count == 5)
    }

    /// The README's option table is generated from the code; this fails when they drift apart.
    @Test func readmeDocumentsEveryOptionExactly() throws {
        let readme = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        #expect(
            readme.contains(ConfigurationReference.markdown()),
            "run `lakemark options` and paste the table into README.md"
        )
    }
}
