import Foundation
import HTTPClient
import HTTPCore
import Pipeline
import Testing

/// `GET /metrics` in `remote` mode: the remote mapper's totals and degradations by code.
@Suite(.serialized) struct RemoteMetricsTests {
    @Test func callsAndTextsMatchTheFakeAPI() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        defer { fake.stop() }
        let running = try RemoteMapperEndToEndTests.start { $0.remoteMapping.apiURL = base }
        defer { running.service.shutdown() }
        #expect(running.sendSamples() == 0)
        let samples = try Self.scrape(running.service.boundPort)
        let documents = fake.calls.flatMap(\.documents).count
        #expect(samples["lakemark_remote_mapping_calls_total"] == Double(fake.calls.count))
        #expect(samples["lakemark_remote_mapping_retries_total"] == 0)
        let http1Calls = Double(fake.calls.count + fake.frameworkRequests)
        #expect(samples[#"lakemark_remote_mapping_http_calls_total{protocol="http/1.1"}"#] == http1Calls)
        #expect(samples[#"lakemark_remote_mapping_http_calls_total{protocol="h2"}"#] == 0)
        #expect(samples[#"lakemark_remote_mapping_texts_total{source="api"}"#] == Double(documents))
        #expect(samples["lakemark_mapping_cache_misses_total"] == Double(documents))
        #expect(samples.keys.allSatisfy { !$0.hasPrefix("lakemark_mapping_degraded_batches_total{") })
    }

    @Test func degradedBatchesAreCountedByCode() throws {
        let fake = FakeMappingAPI()
        let base = try fake.start()
        fake.stop()
        let running = try RemoteMapperEndToEndTests.start {
            $0.remoteMapping.apiURL = base
            $0.remoteMapping.maxAttempts = 2
        }
        defer { running.service.shutdown() }
        #expect(running.sendSamples() == 0)
        let samples = try Self.scrape(running.service.boundPort)
        let statistics = try #require(running.service.remoteMappingStatistics)
        #expect(!statistics.degradedRuns.isEmpty)
        for (code, count) in statistics.degradedRuns {
            #expect(samples[#"lakemark_mapping_degraded_batches_total{code="\#(code)"}"#] == Double(count))
        }
        #expect(samples[#"lakemark_remote_mapping_texts_total{source="unmapped"}"#] == Double(statistics.unmappedTexts))
        #expect(samples["lakemark_remote_mapping_circuit_openings_total"] == Double(statistics.circuitOpenings))
    }

    /// Every sample of `GET /metrics` by its series text.
    private static func scrape(_ port: Int) throws -> [String: Double] {
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/metrics")
        let response = try HTTPClient().send(request)
        #expect(response.status.code == 200)
        var samples: [String: Double] = [:]
        for line in String(decoding: response.body, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = Double(line[line.index(after: space)...])
        }
        return samples
    }
}
