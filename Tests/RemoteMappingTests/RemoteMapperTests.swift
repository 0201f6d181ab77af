import AWSCredentialChain
import Foundation
import HTTPClient
import Mapping
import ServiceSupport
import Testing

@testable import RemoteMapping

/// The client against the loopback fake: chunks, cache, retries, breaker, budget, keys, fallback.
@Suite(.serialized) struct RemoteMapperTests {
    /// The key the fake accepts by default.
    static let key = "test-api-key-1"
    /// Two frameworks, `Low` and above, three per framework.
    static let options = MappingOptions(
        frameworks: [.pciDSSv4, .nist80053r5],
        threshold: .minConfidence(.low),
        topK: 3
    )

    /// A mapper for the fake at `base`, with short backoff.
    static func mapper(
        _ base: String,
        key: any APIKeySource = FixedAPIKey(RemoteMapperTests.key),
        fallback: (any ComplianceMapper)? = nil,
        _ adjust: (inout RemoteMapper.Configuration) -> Void = { _ in }
    ) throws -> RemoteMapper {
        var configuration = RemoteMapper.Configuration(baseURL: try HTTPURL(parsing: base))
        configuration.retryBaseDelay = .milliseconds(20)
        adjust(&configuration)
        return RemoteMapper(configuration: configuration, apiKey: key, fallback: fallback)
    }

    /// Distinct texts with characters that need escaping.
    static func texts(_ count: Int) -> [String] {
        (0..<count).map { "Security group sg-\($0) allows 0.0.0.0/0 on port 22 \"quoted\" \\ \u{1}" }
    }

    @Test func answersAreTheFakesAndDuplicatesAreSentOnce() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let mapper = try Self.mapper(base) { $0.documentsPerCall = 3 }
        let distinct = Self.texts(7)
        let texts = distinct + distinct.reversed() + ["Root login without MFA"]
        let run = try mapper.run(texts, options: Self.options)
        #expect(run.failure == nil)
        #expect(run.distinctTexts == 8 && run.remoteTexts == 8 && run.calls == 3 && run.retries == 0)
        #expect(run.matches == texts.map { FakeEngine.matches($0, options: Self.options) })
        #expect(run.matches.allSatisfy { !$0.isEmpty })
        let calls = fake.calls
        #expect(calls.map(\.documents.count) == [3, 3, 2] || calls.map(\.documents.count).sorted() == [2, 3, 3])
        #expect(calls.flatMap(\.documents).sorted() == Set(texts).sorted())
        #expect(calls.allSatisfy { $0.authorization == Self.key && $0.contentType == "application/json" })
    }

    @Test func cachedTextsAreNotSentAgain() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let mapper = try Self.mapper(base)
        _ = try mapper.run(Self.texts(5), options: Self.options)
        let again = try mapper.run(Self.texts(6), options: Self.options)
        #expect(again.cachedTexts == 5 && again.remoteTexts == 1 && again.calls == 1)
        #expect(fake.calls.last?.documents == [Self.texts(6)[5]])
        let other = MappingOptions(frameworks: [.soc2], threshold: .minSimilarity(0.2), topK: 1)
        let differentOptions = try mapper.run(Self.texts(1), options: other)
        #expect(differentOptions.cachedTexts == 0 && differentOptions.remoteTexts == 1)
        #expect(differentOptions.matches[0] == FakeEngine.matches(Self.texts(1)[0], options: other))
    }

    @Test func expiredAnswersAreFetchedAgain() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let mapper = try Self.mapper(base) { $0.cacheTTL = .zero }
        _ = try mapper.run(Self.texts(2), options: Self.options)
        let again = try mapper.run(Self.texts(2), options: Self.options)
        #expect(again.cachedTexts == 0 && again.calls == 1)
    }

    @Test func callsAreSplitByBytesAndRunInParallelUpToTheBound() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([], otherwise: .slow(.milliseconds(150)))
        let long = (0..<12).map { String(repeating: "word\($0) ", count: 400) }
        let mapper = try Self.mapper(base) {
            $0.bytesPerCall = 4_000
            $0.parallelCalls = 3
        }
        let run = try mapper.run(long, options: Self.options)
        #expect(run.failure == nil)
        #expect(fake.calls.count == 12)
        #expect(fake.calls.allSatisfy { $0.documents.count == 1 })
        #expect(fake.mostCallsInFlight <= 3)
        #expect(fake.mostCallsInFlight > 1)
        #expect(run.matches == long.map { FakeEngine.matches($0, options: Self.options) })
    }

    @Test func batchesReuseKeepAliveConnections() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let mapper = try Self.mapper(base) {
            $0.documentsPerCall = 2
            $0.parallelCalls = 4
        }
        for batch in 0..<3 {
            let run = try mapper.run((0..<16).map { "batch \(batch) text \($0)" }, options: Self.options)
            #expect(run.failure == nil && run.calls == 8)
        }
        #expect(fake.calls.count == 24)
        #expect(fake.connectionCount <= 4, "at most one connection per parallel call, kept alive across batches")
    }

    @Test func serverErrorsAreRetriedWithBackoff() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([.status(503, retryAfter: nil), .status(500, retryAfter: nil)])
        let mapper = try Self.mapper(base)
        let run = try mapper.run(Self.texts(2), options: Self.options)
        #expect(run.failure == nil && run.calls == 3 && run.retries == 2 && run.remoteTexts == 2)
    }

    @Test func clientErrorsAreNotRetried() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([], otherwise: .status(400, retryAfter: nil))
        let mapper = try Self.mapper(base)
        let run = try mapper.run(Self.texts(2), options: Self.options)
        #expect(run.calls == 1 && run.unmappedTexts == 2)
        #expect(run.failure?.alarmCode == "mapping.degraded.http_400")
        #expect(run.matches == [[], []])
        #expect(throws: RemoteMappingError.self) { try mapper.map(Self.texts(1), options: Self.options) }
    }

    @Test(arguments: ["1", "HTTP-date"])
    func rateLimitsHonourRetryAfter(_ form: String) throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let value =
            form == "1" ? "1" : UTCTime.httpDate(millis: Int64((Date().timeIntervalSince1970 + 2).rounded(.up) * 1_000))
        fake.script([.status(429, retryAfter: value)])
        let mapper = try Self.mapper(base)
        let start = ContinuousClock.now
        let run = try mapper.run(Self.texts(1), options: Self.options)
        #expect(run.failure == nil && run.calls == 2 && run.retries == 1)
        #expect(ContinuousClock.now - start >= .milliseconds(990), "the retry must wait for Retry-After")
    }

    @Test func aRetryAfterBeyondTheBudgetGivesUpAndHoldsOtherCalls() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([.status(429, retryAfter: "60")])
        let mapper = try Self.mapper(base) { $0.budget = .seconds(3) }
        let first = try mapper.run(Self.texts(1), options: Self.options)
        #expect(first.calls == 1 && first.failure?.reason == "http_429" && first.unmappedTexts == 1)
        let second = try mapper.run(["another text"], options: Self.options)
        // The second run made no call, so it must not claim the API answered 429 to it.
        #expect(second.calls == 0 && second.failure?.reason == "rate_limited")
        #expect(second.failure?.message.contains("no call made") == true)
        #expect(second.failure.flatMap(\.retryAfterSeconds).map { $0 > 0 && $0 <= 60 } == true)
        #expect(fake.calls.count == 1)
    }

    @Test func aSlowAPIIsGivenUpWhenTheBudgetRunsOut() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([], otherwise: .slow(.seconds(3)))
        let mapper = try Self.mapper(base) { $0.budget = .milliseconds(800) }
        let start = ContinuousClock.now
        let run = try mapper.run(Self.texts(3), options: Self.options)
        #expect(ContinuousClock.now - start < .milliseconds(2_500))
        #expect(run.failure?.alarmCode == "mapping.degraded.timeout" && run.unmappedTexts == 3)
        #expect(mapper.statistics.degradedRuns == ["mapping.degraded.timeout": 1])
    }

    @Test func readsTimeOut() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([.slow(.seconds(2))])
        let mapper = try Self.mapper(base) {
            $0.readTimeout = .milliseconds(300)
            $0.maxAttempts = 1
        }
        let run = try mapper.run(Self.texts(1), options: Self.options)
        #expect(run.failure?.code == .timeout)
    }

    @Test func theCircuitOpensAfterConsecutiveFailuresAndAProbeClosesIt() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([], otherwise: .status(503, retryAfter: nil))
        let mapper = try Self.mapper(base) {
            $0.maxAttempts = 1
            $0.circuitFailureThreshold = 3
            $0.circuitCooldown = .milliseconds(300)
        }
        for index in 0..<3 {
            let run = try mapper.run(["text \(index)"], options: Self.options)
            #expect(run.failure?.reason == "http_503")
        }
        #expect(mapper.isCircuitOpen)
        let refused = try mapper.run(["text 4"], options: Self.options)
        #expect(refused.failure?.alarmCode == "mapping.degraded.circuit_open" && refused.calls == 0)
        #expect(fake.calls.count == 3)
        Thread.sleep(forTimeInterval: 0.4)
        fake.script([], otherwise: .answer)
        let probe = try mapper.run(["text 5"], options: Self.options)
        #expect(probe.failure == nil && probe.calls == 1)
        #expect(!mapper.isCircuitOpen)
        #expect(mapper.statistics.circuitOpenings == 1)
    }

    @Test func aDownAPIIsAnsweredByTheFallback() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        fake.stop()
        let fallback = OtherEngine()
        let mapper = try Self.mapper(base, fallback: fallback) { $0.maxAttempts = 2 }
        let texts = Self.texts(4)
        let run = try mapper.run(texts, options: Self.options)
        #expect(run.failure?.code == .connectFailed)
        #expect(run.fallbackTexts == 4 && run.unmappedTexts == 0 && !run.isDegraded)
        #expect(run.matches == texts.map { OtherEngine.matches($0) })
        #expect(try mapper.map(texts, options: Self.options) == run.matches)
        #expect(mapper.statistics.fallbackRuns == 2)
    }

    @Test func partialAnswersAreKeptButNotCached() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([.dropFrameworks([.nist80053r5])])
        let mapper = try Self.mapper(base)
        let texts = Self.texts(2)
        let run = try mapper.run(texts, options: Self.options)
        #expect(run.failure == nil && run.missingFrameworks == [.nist80053r5])
        #expect(run.matches.allSatisfy { $0.allSatisfy { $0.frameworkID == .pciDSSv4 } && !$0.isEmpty })
        let again = try mapper.run(texts, options: Self.options)
        #expect(again.cachedTexts == 0 && again.matches == texts.map { FakeEngine.matches($0, options: Self.options) })
        #expect(mapper.statistics.partialAnswers == 1)
    }

    /// Answers that break the contract, one way each.
    static let malformedBodies: [String] = {
        let control = #"{"frameworks":[{"framework_id":"pci_dss_v4","controls":[{"document_id":"#
        return [
            "not json", #"{"frameworks":{}}"#, #"{"frameworks":[{"framework_id":"pci_dss_v4"}]}"#,
            control + #""7","control":{"id":"1.1"},"similarity":0.5}]}]}"#,
            control + #""0","control":{"id":"1.1"},"similarity":2}]}]}"#,
            control + #""0","control":{},"similarity":0.5}]}]}"#,
            control + #""0","control":{"id":"1"},"similarity":0.5,"confidence":"Sure"}]}]}"#,
            control + #"0,"control":{"id":"1"},"similarity":0.5}]}]}"#,
        ]
    }()

    @Test(arguments: RemoteMapperTests.malformedBodies)
    func malformedAnswersAreRejected(_ body: String) throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([.malformed(body)])
        let mapper = try Self.mapper(base) { $0.maxAttempts = 1 }
        let run = try mapper.run(["one text"], options: Self.options)
        #expect(run.failure?.code == .invalidResponse)
        #expect(run.matches == [[]])
    }

    @Test func unknownMembersAndFrameworksAreTolerated() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        fake.script([
            .malformed(
                #"{"model":"v9","frameworks":[{"framework_id":"cis_v8","controls":[]},{"framework_id":"pci_dss_v4","#
                    + #""note":1,"controls":[{"document_id":"0","control":{"id":"8.4.2","family":"Auth","title":"t"},"#
                    + #""similarity":0.62,"confidence":"Medium","rank":1},{"document_id":"0","control":{"id":"8.2.1","#
                    + #""family":"Auth"},"similarity":0.81}]},{"framework_id":"nist_800_53_r5","controls":[]}]}"#
            )
        ])
        let mapper = try Self.mapper(base) { $0.maxAttempts = 1 }
        let run = try mapper.run(["one text", "other"], options: Self.options)
        #expect(run.failure == nil && run.missingFrameworks.isEmpty)
        #expect(run.matches[0].map(\.controlID) == ["8.2.1", "8.4.2"])
        #expect(run.matches[0].map(\.confidence) == [.high, .medium])
        #expect(run.matches[1].isEmpty)
    }

    @Test func answersBelowTheConfiguredThresholdAreDroppedWhateverTheAPISends() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let loose =
            #"{"frameworks":[{"framework_id":"pci_dss_v4","controls":[{"document_id":"0","control":{"id":"8.4.2"},"#
            + #""similarity":0.4,"confidence":"Low"},{"document_id":"0","control":{"id":"8.2.1"},"similarity":0.81},"#
            + #"{"document_id":"0","control":{"id":"7.2.1"},"similarity":0.75,"confidence":"Medium"}]}]}"#
        fake.script([.malformed(loose), .malformed(loose)])
        let mapper = try Self.mapper(base) { $0.maxAttempts = 1 }
        let high = MappingOptions(frameworks: [.pciDSSv4], threshold: .minConfidence(.high), topK: 3)
        #expect(try mapper.run(["a text"], options: high).matches[0].map(\.controlID) == ["8.2.1"])
        let similar = MappingOptions(frameworks: [.pciDSSv4], threshold: .minSimilarity(0.5), topK: 3)
        #expect(try mapper.run(["b text"], options: similar).matches[0].map(\.controlID) == ["8.2.1", "7.2.1"])
    }

    @Test func aRefusedKeyIsReadAgainOnceAndNeverShown() throws {
        let fake = FakeMappingAPI(keys: ["new-key-2222"])
        let base = try fake.start()
        defer { fake.stop() }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("key-\(UUID().uuidString)")
        try Data("old-key-1111\n".utf8).write(to: file)
        let source = FileAPIKey(path: file.path)
        #expect(try source.apiKey() == "old-key-1111")
        let mapper = try Self.mapper(base, key: source) { $0.maxAttempts = 1 }
        let refused = try mapper.run(["a"], options: Self.options)
        #expect(refused.failure?.reason == "http_401" && refused.calls == 2 && refused.retries == 1)
        #expect(!"\(refused.failure!)".contains("old-key-1111") && !refused.failure!.message.contains("old-key"))
        try Data("new-key-2222".utf8).write(to: file)
        let accepted = try mapper.run(["b"], options: Self.options)
        #expect(accepted.failure == nil && accepted.calls == 2 && accepted.retries == 1)
        #expect(fake.calls.map(\.authorization).suffix(2) == ["old-key-1111", "new-key-2222"])
    }

    @Test func frameworksComeFromTheAPI() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let mapper = try Self.mapper(base)
        #expect(try mapper.serviceFrameworkIDs() == FrameworkID.allCases.map(\.rawValue))
        fake.serveFrameworks(["pci_dss_v4"])
        #expect(try mapper.serviceFrameworkIDs() == ["pci_dss_v4"])
    }
}

/// A fallback engine whose answers differ from the fake's.
struct OtherEngine: ComplianceMapper {
    /// The answer for one text.
    static func matches(_ text: String) -> [ControlMatch] {
        [ControlMatch(frameworkID: .pciDSSv4, controlID: "FALLBACK-\(text.utf8.count)", family: "f", similarity: 0.5)]
    }

    /// One answer per text.
    func map(_ texts: [String], options: MappingOptions) throws -> [[ControlMatch]] {
        texts.map(Self.matches)
    }
}
