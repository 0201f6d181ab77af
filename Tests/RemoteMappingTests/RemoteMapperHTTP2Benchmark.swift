import Foundation
import Mapping
import Testing

@testable import RemoteMapping

/// Compares HTTP/2 (one connection) with HTTP/1.1 keep-alive (1 and 8 connections) against the hypercorn fake over
/// TLS (opt-in: `LAKEMARK_BENCH_REMOTE=1`); prints numbers, asserts nothing about time.
///
/// The fake is Python: computing full answers costs it about as much CPU per call as the added delay, so the
/// `cheap` cases (answers without controls) show the transports with the server's CPU mostly out of the way.
@Suite(
    .serialized,
    .enabled(if: H2FakeMappingAPI.shouldRun, "hypercorn is not installed (scripts/deps.sh test installs it)")
)
struct RemoteMapperHTTP2Benchmark {
    @Test(arguments: [(0, true), (20, true), (20, false)])
    func http2AgainstHTTP1KeepAlive(serverMilliseconds: Int, cheap: Bool) throws {
        guard ProcessInfo.processInfo.environment["LAKEMARK_BENCH_REMOTE"] == "1" else {
            print("SKIP: set LAKEMARK_BENCH_REMOTE=1 to compare HTTP/2 with HTTP/1.1 keep-alive against the fake")
            return
        }
        let cases: [(name: String, mode: RemoteMapper.HTTP2Mode, parallel: Int)] = [
            ("HTTP/2, 1 connection, 8 streams", .auto, 8),
            ("HTTP/2, 1 connection, 1 stream", .auto, 1),
            ("HTTP/1.1 keep-alive, 1 connection", .off, 1),
            ("HTTP/1.1 keep-alive, 8 connections", .off, 8),
        ]
        for (name, mode, parallel) in cases {
            let fake = try H2FakeMappingAPI()
            defer { fake.stop() }
            try fake.script([], otherwise: cheap ? .empty(serverMilliseconds) : .delay(serverMilliseconds))
            let mapper = try RemoteMapperHTTP2Tests.mapper(fake) {
                $0.documentsPerCall = 100
                $0.parallelCalls = parallel
                $0.http2 = mode
                $0.budget = .seconds(120)
            }
            var timings: [Double] = []
            for round in 0..<3 {
                let texts = (0..<5_000).map {
                    "Round \(round) event \($0): IAM user created an access key for the root account without MFA, "
                        + "and a security group opened port 22 to 0.0.0.0/0 in account 123456789012."
                }
                let start = ContinuousClock.now
                let run = try mapper.run(texts, options: RemoteMapperTests.options)
                timings.append((ContinuousClock.now - start).seconds)
                #expect(run.failure == nil && run.calls == 50 && run.remoteTexts == 5_000)
            }
            let median = timings.sorted()[timings.count / 2]
            let stats = try fake.stats()
            print(
                "bench remote h2: server +\(serverMilliseconds) ms/call\(cheap ? " (cheap answers)" : ""), \(name): "
                    + "5000 texts in 50 calls, "
                    + "median \(Int(median * 1_000)) ms per batch (\(Int(50 / median)) calls/s), "
                    + "h2 connections \(stats.http2Connections), TCP connections \(stats.connections) (control "
                    + "calls included), most calls in flight \(stats.mostInFlight)"
            )
        }
    }
}
