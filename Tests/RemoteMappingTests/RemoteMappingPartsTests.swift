import Foundation
import JSONBytes
import Mapping
import Testing

@testable import RemoteMapping

/// The pieces behind ``RemoteMapper``: body encoding, chunking, cache, breaker, backoff.
@Suite struct RemoteMappingPartsTests {
    @Test func theBodyFollowsTheContract() throws {
        let options = MappingOptions(frameworks: [.iso27001, .soc2], threshold: .minSimilarity(0.35), topK: 2)
        let body = MapRequestBody.encode(["a \"quoted\"\ntext", "second"], options: options)
        let text = String(decoding: body, as: UTF8.self)
        #expect(
            text == #"{"frameworks":["iso_27001","soc2"],"min_similarity":0.35,"topk":2,"documents":[{"id":"0","#
                + #""document":"a \"quoted\"\ntext"},{"id":"1","document":"second"}]}"#
        )
        let confidence = MappingOptions(frameworks: [.pciDSSv4], threshold: .minConfidence(.veryLow), topK: 1)
        let tape = try JSONTape(parsing: MapRequestBody.encode(["x"], options: confidence))
        #expect(tape.value(forKey: "min_confidence", in: 0).flatMap { tape.string($0) } == "Very Low")
        #expect(tape.value(forKey: "min_similarity", in: 0) == nil)
        #expect(MapRequestBody.cost(of: "a\"b\n") == MapRequestBody.perDocumentBytes + 1 + 2 + 1 + 6)
    }

    @Test func longTextsAreCutAtAScalarBoundary() {
        #expect(MapRequestBody.truncated("short", toUTF8: 10) == "short")
        #expect(MapRequestBody.truncated("abcdé", toUTF8: 5) == "abcd")
        #expect(MapRequestBody.truncated("ab€", toUTF8: 4) == "ab")
        #expect(MapRequestBody.truncated(String(repeating: "x", count: 20_000), toUTF8: 16_384).utf8.count == 16_384)
    }

    @Test func chunksRespectBothLimitsAndKeepOrder() {
        let envelope = MapRequestBody.envelopeBytes
        #expect(
            ChunkPlan.ranges(costs: Array(repeating: 10, count: 7), maxDocuments: 3, maxBytes: 1 << 20)
                == [0..<3, 3..<6, 6..<7]
        )
        #expect(
            ChunkPlan.ranges(costs: [100, 100, 100], maxDocuments: 10, maxBytes: envelope + 200) == [0..<2, 2..<3]
        )
        #expect(
            ChunkPlan.ranges(costs: [50, 10_000, 50], maxDocuments: 10, maxBytes: envelope + 200)
                == [0..<1, 1..<2, 2..<3]
        )
        #expect(ChunkPlan.ranges(costs: [], maxDocuments: 10, maxBytes: 1_000).isEmpty)
    }

    @Test func theCacheEvictsTheLeastRecentlyUsedAndExpiredEntries() {
        let cache = AnswerCache(capacity: 2, timeToLive: .seconds(10))
        let options = MappingOptions()
        let match = [ControlMatch(frameworkID: .soc2, controlID: "CC6.1", family: "f", similarity: 0.5)]
        let start = ContinuousClock.now
        func key(_ text: String) -> AnswerCache.Key { AnswerCache.Key(text: text, options: options) }
        cache.store(match, for: key("a"), now: start)
        cache.store([], for: key("b"), now: start)
        #expect(cache.matches(for: key("a"), now: start) == match)
        cache.store(match, for: key("c"), now: start)
        #expect(cache.matches(for: key("b"), now: start) == nil, "b was the least recently used")
        #expect(cache.matches(for: key("a"), now: start) == match)
        #expect(cache.matches(for: key("c"), now: start + .seconds(11)) == nil, "expired")
        #expect(cache.count == 1)
        cache.store([], for: key("d"), now: start)
        cache.store([], for: key("e"), now: start)
        #expect(cache.matches(for: key("d"), now: start) == [] && cache.matches(for: key("e"), now: start) == [])
        #expect(AnswerCache(capacity: 5, timeToLive: .zero).capacity == 0)
    }

    @Test func theBreakerOpensProbesAndCloses() {
        let breaker = CircuitBreaker(failureThreshold: 2, cooldown: .seconds(5))
        let start = ContinuousClock.now
        breaker.recordFailure(now: start)
        #expect(breaker.admit(now: start) == .allowed)
        breaker.recordSuccess()
        breaker.recordFailure(now: start)
        #expect(!breaker.isOpen)
        breaker.recordFailure(now: start)
        #expect(breaker.isOpen && breaker.openCount == 1)
        #expect(breaker.admit(now: start + .seconds(4)) == .refused)
        #expect(breaker.admit(now: start + .seconds(5)) == .probe)
        #expect(breaker.admit(now: start + .seconds(5)) == .refused, "one probe at a time")
        breaker.recordFailure(now: start + .seconds(6))
        #expect(breaker.admit(now: start + .seconds(10)) == .refused && breaker.openCount == 2)
        #expect(breaker.admit(now: start + .seconds(11)) == .probe)
        breaker.releaseProbe(now: start + .seconds(11))
        #expect(breaker.admit(now: start + .seconds(11)) == .probe, "a released probe lets the next one go")
        breaker.recordSuccess()
        #expect(!breaker.isOpen && breaker.admit(now: start + .seconds(11)) == .allowed)
    }

    @Test func backoffDoublesWithJitterUpToTheMaximum() {
        let delay = RetryDelay(base: .milliseconds(200), maximum: .seconds(1))
        #expect(delay.pause(beforeRetry: 1, random: 0) == .milliseconds(100))
        #expect(delay.pause(beforeRetry: 1, random: 1) == .milliseconds(200))
        #expect(abs(delay.pause(beforeRetry: 2, random: 0.5).seconds - 0.3) < 1e-9)
        #expect(delay.pause(beforeRetry: 9, random: 1) == .seconds(1))
    }

    @Test func errorsNameAStableAlarmCode() {
        #expect(RemoteMappingError(.httpStatus, "x", httpStatus: 503).alarmCode == "mapping.degraded.http_503")
        #expect(RemoteMappingError(.circuitOpen, "x").alarmCode == "mapping.degraded.circuit_open")
        #expect(RemoteMappingError(.httpStatus, "x", httpStatus: 429).isRetryable)
        #expect(!RemoteMappingError(.httpStatus, "x", httpStatus: 429).indicatesOutage)
        #expect(!RemoteMappingError(.httpStatus, "x", httpStatus: 404).isRetryable)
        #expect(RemoteMappingError(.httpStatus, "x", httpStatus: 403).isKeyRefused)
        #expect("\(APIKeyLocation.value("secret-value"))" == "value (redacted)")
    }
}
