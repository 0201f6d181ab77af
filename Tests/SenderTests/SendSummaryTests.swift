import Foundation
import Testing

@testable import Sender

/// The latency figures of a send run's summary.
@Suite struct SendSummaryTests {
    @Test func quantilesUseTheNearestRank() {
        var summary = SendSummary()
        summary.latencies = (1...100).map { Double($0) / 1_000 }.reversed()
        #expect(summary.latency(quantile: 0.5) == 0.050)
        #expect(summary.latency(quantile: 0.99) == 0.099)
        #expect(summary.latency(quantile: 1) == 0.100)
        #expect(summary.latency(quantile: 0) == 0.001)
    }

    @Test func aSingleRequestIsEveryQuantile() {
        var summary = SendSummary()
        summary.latencies = [0.25]
        #expect(summary.latency(quantile: 0.5) == 0.25)
        #expect(summary.latency(quantile: 0.99) == 0.25)
    }

    @Test func theReportPrintsLatenciesOnlyWhenSomethingWasDelivered() throws {
        var summary = SendSummary()
        let url = try #require(URL(string: "http://127.0.0.1:9/"))
        #expect(!summary.report(url: url).contains("latency"))
        #expect(summary.latency(quantile: 0.5) == nil)
        summary.latencies = [0.010, 0.020, 0.030]
        #expect(summary.report(url: url).contains("latency ms: p50 20.0, p99 30.0, max 30.0"))
    }
}
