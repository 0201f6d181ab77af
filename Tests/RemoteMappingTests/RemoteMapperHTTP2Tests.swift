import Foundation
import HTTP2Client
import HTTPClient
import HTTPCore
import Mapping
import TLS
import Testing

@testable import RemoteMapping

/// The remote mapper and the HTTP/2 client against a real HTTP/2 peer (hypercorn) on 127.0.0.1.
@Suite(
    .serialized,
    .enabled(if: H2FakeMappingAPI.shouldRun, "hypercorn is not installed (scripts/deps.sh test installs it)")
)
struct RemoteMapperHTTP2Tests {
    /// A mapper for the fake, with short backoff.
    static func mapper(
        _ fake: H2FakeMappingAPI,
        _ adjust: (inout RemoteMapper.Configuration) -> Void = { _ in }
    ) throws -> RemoteMapper {
        var configuration = RemoteMapper.Configuration(baseURL: try HTTPURL(parsing: fake.baseURL))
        configuration.retryBaseDelay = .milliseconds(20)
        configuration.cacheEntries = 0
        adjust(&configuration)
        return RemoteMapper(
            configuration: configuration,
            apiKey: FixedAPIKey(H2FakeMappingAPI.key),
            connector: try fake.connector()
        )
    }

    /// A bare HTTP/2 client for the fake.
    static func client(_ fake: H2FakeMappingAPI, _ adjust: (inout HTTP2Client.Configuration) -> Void = { _ in })
        throws -> HTTP2Client
    {
        var configuration = HTTP2Client.Configuration()
        adjust(&configuration)
        return HTTP2Client(configuration: configuration, opener: MapAPIClient.opener(try fake.connector()))
    }

    /// A `/v1/map` request for the fake.
    static func mapRequest(_ fake: H2FakeMappingAPI, documents: [String]) throws -> HTTPClientRequest {
        var headers = HTTPHeaders()
        headers.add(name: "authorization", value: H2FakeMappingAPI.key)
        headers.add(name: "Content-Type", value: "application/json")
        return HTTPClientRequest(
            method: .post,
            url: try HTTPURL(parsing: fake.baseURL + "/v1/map"),
            headers: headers,
            body: MapRequestBody.encode(documents, options: RemoteMapperTests.options)
        )
    }

    @Test func parallelChunksAreStreamsOfOneConnection() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        try fake.script([], otherwise: .delay(60))
        let mapper = try Self.mapper(fake) {
            $0.documentsPerCall = 2
            $0.parallelCalls = 8
        }
        let texts = RemoteMapperTests.texts(40)
        let run = try mapper.run(texts + texts.reversed(), options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 20 && run.remoteTexts == 40)
        let expected = (texts + texts.reversed()).map { FakeEngine.matches($0, options: RemoteMapperTests.options) }
        #expect(run.matches == expected)
        let stats = try fake.stats()
        #expect(stats.calls.count == 20)
        #expect(stats.calls.allSatisfy { $0["http_version"] as? String == "2" })
        #expect(stats.calls.allSatisfy { $0["authorization"] as? String == H2FakeMappingAPI.key })
        #expect(stats.http2Connections == 1, "one TCP connection carries every stream")
        #expect(stats.mostInFlight > 1, "streams overlap on the server")
        #expect(mapper.statistics.http2Calls == 20 && mapper.statistics.http1Calls == 0)
    }

    @Test func frameworksListComesOverHTTP2() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        let mapper = try Self.mapper(fake)
        let ids = try mapper.serviceFrameworkIDs()
        #expect(ids == FrameworkID.allCases.map(\.rawValue))
        #expect(mapper.statistics.http2Calls == 1)
    }

    @Test func requestBodiesLargerThanTheWindowsArrive() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        let mapper = try Self.mapper(fake) {
            $0.documentsPerCall = 1_000
            $0.bytesPerCall = 4 << 20
            $0.parallelCalls = 2
        }
        let filler = String(repeating: "port 22 open to the world; ", count: 560)
        let texts = (0..<160).map { "Event \($0): \(filler)" }
        let run = try mapper.run(texts, options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 1)
        #expect(run.matches == texts.map { FakeEngine.matches($0, options: RemoteMapperTests.options) })
        let sizes = try fake.stats().calls.compactMap { $0["body_bytes"] as? Int }
        #expect(sizes.count == 1 && sizes.allSatisfy { $0 > 2 << 20 }, "\(sizes)")
    }

    @Test func aResetStreamIsAClearRetryableError() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        try fake.script([.reset(errorCode: 2)])
        let client = try Self.client(fake)
        let error = #expect(throws: HTTP2ClientError.self) {
            try client.send(try Self.mapRequest(fake, documents: ["one"]))
        }
        #expect(error?.code == .streamReset)
        #expect(error?.detail.contains("INTERNAL_ERROR") == true, "\(String(describing: error))")
        #expect(error.map { !"\($0)".contains(H2FakeMappingAPI.key) } == true)
        let mapped = MapAPIClient.transportError(try #require(error).httpClientError)
        #expect(mapped.code == .connectionLost && mapped.isRetryable && !mapped.message.contains(H2FakeMappingAPI.key))
        let next = try client.send(try Self.mapRequest(fake, documents: ["two"]))
        #expect(next.status.code == 200, "the connection survives a reset stream")
        #expect(client.connectionsOpened == 1)

        try fake.script([.reset(errorCode: 2)])
        let mapper = try Self.mapper(fake)
        let run = try mapper.run(["three"], options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 2 && run.retries == 1)
        #expect(run.matches == [FakeEngine.matches("three", options: RemoteMapperTests.options)])
    }

    @Test func goAwayMidBatchIsFollowedByANewConnection() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        try fake.script([.delay(30), .delay(30), .goAway], otherwise: .delay(30))
        let mapper = try Self.mapper(fake) {
            $0.documentsPerCall = 2
            $0.parallelCalls = 4
        }
        let texts = RemoteMapperTests.texts(32)
        let run = try mapper.run(texts, options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.remoteTexts == 32)
        #expect(run.matches == texts.map { FakeEngine.matches($0, options: RemoteMapperTests.options) })
        let stats = try fake.stats()
        #expect(stats.http2Connections >= 2, "a new connection after GOAWAY")
        #expect(stats.calls.contains { $0["kind"] as? String == "goaway" })
        #expect(stats.calls.allSatisfy { $0["http_version"] as? String == "2" })
    }

    @Test func maxConcurrentStreamsMakesCallsWaitNotFail() throws {
        let fake = try H2FakeMappingAPI(maxConcurrentStreams: 2)
        defer { fake.stop() }
        try fake.script([], otherwise: .delay(40))
        let mapper = try Self.mapper(fake) {
            $0.documentsPerCall = 1
            $0.parallelCalls = 8
        }
        let texts = RemoteMapperTests.texts(12)
        let run = try mapper.run(texts, options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 12 && run.retries == 0)
        let stats = try fake.stats()
        #expect(stats.mostInFlight <= 2 && stats.mostInFlight >= 1, "\(stats.mostInFlight)")
        #expect(stats.http2Connections == 1)
    }

    @Test func rateLimitsAndServerErrorsAreRetriedOverHTTP2() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        try fake.script([.status(429, retryAfter: "0"), .status(503, retryAfter: nil)])
        let mapper = try Self.mapper(fake)
        let run = try mapper.run(["a text"], options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 3 && run.retries == 2)
        try fake.script([.malformed], otherwise: .malformed)
        let broken = try mapper.run(["another text"], options: RemoteMapperTests.options)
        #expect(broken.failure?.code == .invalidResponse && broken.unmappedTexts == 1)
    }

    @Test func aStalledStreamTimesOutAndTheCallGoesAgainOnANewConnection() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        try fake.script([.delay(1_500)])
        let mapper = try Self.mapper(fake) { $0.readTimeout = .milliseconds(400) }
        let run = try mapper.run(["slow text"], options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 2 && run.retries == 1)
        #expect(run.matches == [FakeEngine.matches("slow text", options: RemoteMapperTests.options)])
        #expect(try fake.stats().http2Connections == 2, "the connection of the stalled stream takes no new streams")
    }

    @Test func responsesOverTheLimitAreCancelled() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        let client = try Self.client(fake) { $0.maxResponseBodyBytes = 64 }
        let error = #expect(throws: HTTP2ClientError.self) {
            try client.send(try Self.mapRequest(fake, documents: RemoteMapperTests.texts(3)))
        }
        #expect(error?.code == .responseTooLarge)
    }

    @Test func aServerThatIsDownTakesTheDegradationPath() throws {
        let fake = try H2FakeMappingAPI()
        fake.stop()
        let mapper = try Self.mapper(fake) { $0.maxAttempts = 2 }
        let texts = RemoteMapperTests.texts(5)
        let run = try mapper.run(texts, options: RemoteMapperTests.options)
        #expect(run.isDegraded && run.failure?.code == .connectFailed && run.unmappedTexts == 5)
        #expect(run.matches.allSatisfy { $0.isEmpty })
        #expect(mapper.statistics.degradedRuns["mapping.degraded.connect_failed"] == 1)
    }

    @Test func offForcesHTTP1() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        let mapper = try Self.mapper(fake) {
            $0.documentsPerCall = 2
            $0.parallelCalls = 4
            $0.http2 = .off
        }
        let texts = RemoteMapperTests.texts(8)
        let run = try mapper.run(texts, options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 4)
        #expect(run.matches == texts.map { FakeEngine.matches($0, options: RemoteMapperTests.options) })
        let stats = try fake.stats()
        #expect(stats.calls.count == 4 && stats.calls.allSatisfy { $0["http_version"] as? String == "1.1" })
        #expect(stats.http2Connections == 0)
        #expect(mapper.statistics.http1Calls == 4 && mapper.statistics.http2Calls == 0)
    }

    @Test func aServerWithoutH2IsCalledOverHTTP1() throws {
        let fake = try H2FakeMappingAPI(offersHTTP2: false)
        defer { fake.stop() }
        let opener = MapAPIClient.opener(try fake.connector())
        let error = #expect(throws: HTTP2ClientError.self) {
            _ = try opener("localhost", fake.port, .seconds(5))
        }
        #expect(error?.code == .notNegotiated)
        let mapper = try Self.mapper(fake) { $0.documentsPerCall = 2 }
        let texts = RemoteMapperTests.texts(6)
        let run = try mapper.run(texts, options: RemoteMapperTests.options)
        #expect(run.failure == nil && run.calls == 3)
        #expect(run.matches == texts.map { FakeEngine.matches($0, options: RemoteMapperTests.options) })
        #expect(try fake.stats().calls.allSatisfy { $0["http_version"] as? String == "1.1" })
        #expect(mapper.statistics.http1Calls == 3 && mapper.statistics.http2Calls == 0)
    }
}
