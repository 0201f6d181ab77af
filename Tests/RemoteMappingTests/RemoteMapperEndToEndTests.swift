import Codecs
import Extraction
import Foundation
import HTTPClient
import HTTPCore
import JSONBytes
import Mapping
import Pipeline
import RemoteMapping
import Sender
import ServiceSupport
import Testing

/// `serve` in `remote` and `remote-fallback` modes against the fake API, fed the bundled samples with `send`.
@Suite(.serialized) struct RemoteMapperEndToEndTests {
    /// The key the fake accepts.
    static let key = "test-api-key-1"
    /// The bundled sample events.
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/samples")
    /// The service's default options: `pci_dss_v4`, `nist_800_53_r5`, `Low` and above, 3 per framework.
    static let options = MappingOptions(
        frameworks: [.pciDSSv4, .nist80053r5],
        threshold: .minConfidence(.low),
        topK: 3
    )

    /// A running service, its sink and its log.
    struct Running {
        let service: Service
        let sink: URL
        let log: CapturingLogHandler

        /// `lakemark send` of the samples; the exit status.
        func sendSamples(batchMiB: String = "0.1") -> Int32 {
            SendCommand.run(arguments: [
                "--url", "http://127.0.0.1:\(service.boundPort)/", "--quiet", "--max-batch-mib", batchMiB,
                RemoteMapperEndToEndTests.samples.path,
            ])
        }

        /// The request log lines (one per batch).
        var batchLines: [LogRecord] { log.records.filter { $0.metadata["request_id"] != nil } }

        /// Each stored event with its `secberus_compliance` bytes and its text.
        func storedEvents() throws -> [(compliance: [UInt8], text: String?)] {
            let extractor = TextExtractor()
            var events: [(compliance: [UInt8], text: String?)] = []
            let enumerator = FileManager.default.enumerator(at: sink, includingPropertiesForKeys: nil)
            while let url = enumerator?.nextObject() as? URL {
                guard url.path.hasSuffix(".json.gz") else { continue }
                let inflated = try Gzip.inflate([UInt8](try Data(contentsOf: url)), limit: 1 << 30)
                for line in inflated.split(separator: 0x0A) {
                    let tape = try JSONTape(parsing: Array(line))
                    let member = try #require(tape.value(forKey: "secberus_compliance", in: tape.rootIndex))
                    events.append((Array(tape.rawBytes(member)), extractor.extract(from: tape)?.text))
                }
            }
            return events
        }
    }

    /// Starts `serve` in remote mode with a capturing log; `adjust` changes the configuration first.
    static func start(_ adjust: (inout Configuration) -> Void) throws -> Running {
        let sink = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-remote-\(UUID().uuidString)")
        var configuration = Configuration()
        configuration.listenPort = 0
        configuration.sink = .directory(sink.path)
        configuration.shutdownGraceSeconds = 5
        configuration.mapper = "remote"
        configuration.remoteMapping.apiKey = key
        adjust(&configuration)
        let log = CapturingLogHandler()
        let service = try Service(configuration: configuration, logger: Logger(label: "test", handler: log))
        try service.start()
        return Running(service: service, sink: sink, log: log)
    }

    /// An integer metadata value of a log line, or 0.
    static func int(_ record: LogRecord, _ key: String) -> Int {
        if case .int(let value) = record.metadata[key] { return value }
        return 0
    }

    /// A string metadata value of a log line.
    static func string(_ record: LogRecord, _ key: String) -> String? {
        if case .string(let value) = record.metadata[key] { return value }
        return nil
    }

    @Test func samplesAreMappedByTheAPIOneCallPerChunkEachTextOnce() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let running = try Self.start {
            $0.remoteMapping.apiURL = base
            $0.remoteMapping.documentsPerCall = 25
        }
        defer { running.service.shutdown() }
        #expect(running.sendSamples() == 0)
        #expect(fake.frameworkRequests == 1, "frameworks are checked at start-up")

        let calls = fake.calls
        let documents = calls.flatMap(\.documents)
        #expect(calls.count > 1 && calls.allSatisfy { $0.status == 200 && $0.documents.count <= 25 })
        #expect(Set(documents).count == documents.count, "every distinct text is sent once")
        let lines = running.batchLines
        #expect(lines.count > 1 && lines.allSatisfy { $0.message == "batch stored" })
        #expect(lines.map { Self.int($0, "mapping_calls") }.reduce(0, +) == calls.count)
        for line in lines {
            let sent = Self.int(line, "mapping_remote_texts")
            #expect(Self.int(line, "mapping_calls") == (sent + 24) / 25, "one call per chunk of 25")
            #expect(Self.int(line, "mapping_retries") == 0)
        }

        let events = try running.storedEvents()
        #expect(events.count > 400)
        var mapped = 0
        var wrong = 0
        for event in events {
            let expected = event.text.map { MapAPI.complianceArrayJSON(FakeEngine.matches($0, options: Self.options)) }
            if event.compliance != expected ?? Array("[]".utf8) { wrong += 1 }
            if event.compliance.count > 2 { mapped += 1 }
        }
        #expect(wrong == 0, "every event carries the fake's answer for its text")
        #expect(Double(mapped) > 0.9 * Double(events.count))
        let statistics = try #require(running.service.remoteMappingStatistics)
        #expect(statistics.degradedRunCount == 0 && statistics.remoteTexts == documents.count)
    }

    @Test func withTheAPIDownEveryEventLandsWithAnEmptyArrayAndEachBatchIsCounted() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        fake.stop()
        let running = try Self.start {
            $0.remoteMapping.apiURL = base
            $0.remoteMapping.maxAttempts = 2
        }
        defer { running.service.shutdown() }
        #expect(running.log.records.contains { Self.string($0, "error_code") == "mapping.startup.connect_failed" })
        #expect(running.sendSamples() == 0, "a degraded batch is still stored and answered 200")

        let events = try running.storedEvents()
        #expect(events.count > 400)
        #expect(events.filter { $0.compliance != Array("[]".utf8) }.isEmpty)
        let lines = running.batchLines
        let degraded = lines.filter { Self.string($0, "error_code")?.hasPrefix("mapping.degraded.") == true }
        #expect(lines.count > 1 && degraded.count == lines.count)
        #expect(degraded.allSatisfy { $0.level == .warning })
        let statistics = try #require(running.service.remoteMappingStatistics)
        #expect(statistics.degradedRunCount == degraded.count)
        #expect(statistics.degradedRuns["mapping.degraded.connect_failed"] != nil)
        #expect(statistics.degradedRuns["mapping.degraded.circuit_open"] != nil, "the breaker opens after 5 failures")
        #expect(
            Set(statistics.degradedRuns.keys).isSubset(of: [
                "mapping.degraded.connect_failed", "mapping.degraded.circuit_open",
            ])
        )
        #expect(statistics.unmappedTexts == degraded.map { Self.int($0, "mapping_unmapped_texts") }.reduce(0, +))
        for (code, count) in statistics.degradedRuns {
            #expect(degraded.filter { Self.string($0, "error_code") == code }.count == count)
        }
    }

    @Test func rateLimitedCallsWaitForRetryAfterAndBatchesStayWithinTheBudget() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script(
            Array(repeating: [FakeMappingAPI.Behaviour.status(429, retryAfter: "1"), .answer], count: 4)
                .flatMap { $0 }
        )
        let running = try Self.start {
            $0.remoteMapping.apiURL = base
            $0.remoteMapping.documentsPerCall = 40
            $0.remoteMapping.parallelCalls = 1
            $0.remoteMapping.budgetSeconds = 8
        }
        defer { running.service.shutdown() }
        let start = ContinuousClock.now
        #expect(running.sendSamples() == 0)
        let lines = running.batchLines
        let retries = lines.map { Self.int($0, "mapping_retries") }.reduce(0, +)
        #expect(retries == 4 && fake.calls.filter { $0.status == 429 }.count == 4)
        #expect(ContinuousClock.now - start >= .seconds(4), "each 429 costs its Retry-After second")
        for line in lines {
            guard case .double(let milliseconds) = line.metadata["duration_ms"] else {
                Issue.record("no duration")
                continue
            }
            #expect(milliseconds < 8_000 + 500, "a batch answers within its mapping budget")
        }
        #expect(lines.allSatisfy { $0.metadata["error_code"] == nil })
        let events = try running.storedEvents()
        let wrong = events.filter { event in
            event.compliance != event.text.map {
                MapAPI.complianceArrayJSON(FakeEngine.matches($0, options: Self.options))
            }
                ?? Array("[]".utf8)
        }
        #expect(wrong.isEmpty, "the retried calls' answers are the fake's")
    }

    @Test func withFallbackTheEmbeddedEngineAnswersAndSaysSo() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        fake.stop()
        let running = try Self.start {
            $0.mapper = "remote-fallback"
            $0.remoteMapping.apiURL = base
        }
        defer { running.service.shutdown() }
        #expect(running.sendSamples() == 0)
        let embedded = try EmbeddedMapper()
        let events = try running.storedEvents()
        #expect(events.count > 400)
        var mapped = 0
        var wrong = 0
        for event in events {
            let expected = try event.text.map {
                MapAPI.complianceArrayJSON(try embedded.map([$0], options: Self.options)[0])
            }
            if event.compliance != expected ?? Array("[]".utf8) { wrong += 1 }
            if event.compliance.count > 2 { mapped += 1 }
        }
        #expect(wrong == 0, "every event carries the embedded engine's answer")
        #expect(mapped > events.count / 2)
        let lines = running.batchLines
        #expect(lines.allSatisfy { Self.string($0, "mapping_fallback")?.hasPrefix("mapping.fallback.") == true })
        #expect(lines.allSatisfy { $0.metadata["error_code"] == nil && Self.int($0, "mapping_unmapped_texts") == 0 })
        let statistics = try #require(running.service.remoteMappingStatistics)
        #expect(statistics.fallbackRuns == lines.count && statistics.degradedRunCount == 0)
        #expect(statistics.fallbackTexts == lines.map { Self.int($0, "mapping_fallback_texts") }.reduce(0, +))
    }

    @Test func failPolicyAnswers503AndNeverShowsTheKey() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        fake.stop()
        let running = try Self.start {
            $0.remoteMapping.apiURL = base
            $0.remoteMapping.failurePolicy = .fail
        }
        defer { running.service.shutdown() }
        let event = #"{"description":"Root account login without MFA","eventTime":"2024-05-01T00:00:00Z"}"#
        let body =
            #"{"requestId":"r-1","timestamp":1714521600000,"records":[{"data":""#
            + String(decoding: Base64.encode(Array(event.utf8)), as: UTF8.self) + #""}]}"#
        let response = try HTTPClient().send(
            HTTPClientRequest(
                method: .post,
                host: "127.0.0.1",
                port: running.service.boundPort,
                target: "/",
                headers: ["X-Amz-Firehose-Request-Id": "r-1", "Content-Type": "application/json"],
                body: Array(body.utf8)
            )
        )
        #expect(response.status.code == 503)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(text.contains("compliance mapping unavailable") && !text.contains(Self.key))
        let line = try #require(running.batchLines.last)
        #expect(Self.string(line, "error_code") == "mapping.failed.connect_failed")
        #expect(try running.storedEvents().isEmpty)
        #expect(!running.log.lines.joined().contains(Self.key))
    }

    @Test func startUpChecksFrameworksKeysAndURLs() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.serveFrameworks(["pci_dss_v4", "iso_27001"])
        #expect(throws: ConfigurationError.self) { try Self.start { $0.remoteMapping.apiURL = base } }
        let accepted = try Self.start {
            $0.remoteMapping.apiURL = base
            $0.frameworks = ["iso_27001"]
        }
        accepted.service.shutdown()
        #expect(throws: ConfigurationError.self) {
            try Self.start {
                $0.remoteMapping.apiURL = base
                $0.remoteMapping.apiKey = nil
            }
        }
        #expect(throws: ConfigurationError.self) {
            try Self.start {
                $0.remoteMapping.apiURL = base
                $0.remoteMapping.apiKeyFile = "/tmp/key"
            }
        }
        #expect(throws: ConfigurationError.self) { try Self.start { $0.remoteMapping.apiURL = "https://127.0.0.1:1" } }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(
                path: nil,
                environment: ["SECBERUS_MIN_SIMILARITY": "0.005", "LAKEMARK_MAPPER": "remote"]
            )
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_MAPPING_FAILURE": "ignore"])
        }
        let loaded = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_MAPPER": "remote-fallback", "SECBERUS_API_URL": "http://127.0.0.1:9", "SECBERUS_API_KEY": "k",
                "LAKEMARK_MAPPING_FAILURE": "fail", "LAKEMARK_API_DOCUMENTS_PER_CALL": "50",
            ]
        )
        #expect(loaded.mapper == "remote-fallback" && loaded.remoteMapping.failurePolicy == .fail)
        #expect(loaded.remoteMapping.documentsPerCall == 50 && loaded.remoteMapping.apiKey == "k")
        #expect(
            ConfigurationLoader.unknownVariables(in: ["SECBERUS_API_KEY": "k", "SECBERUS_API_KEY_FILE": "f"]).isEmpty
        )
    }
}
