import Foundation
import Mapping
import Testing

@testable import RemoteMapping

/// Measures what parallel HTTP/1.1 keep-alive calls achieve against the fake (opt-in: `LAKEMARK_BENCH_REMOTE=1`);
/// prints numbers, asserts nothing about time.
@Suite(.serialized) struct RemoteMapperBenchmark {
    @Test(arguments: [0, 20, 80])
    func parallelKeepAliveCalls(serverMilliseconds: Int) throws {
        guard ProcessInfo.processInfo.environment["LAKEMARK_BENCH_REMOTE"] == "1" else {
            print("SKIP: set LAKEMARK_BENCH_REMOTE=1 to measure parallel keep-alive calls against the fake")
            return
        }
        for parallel in [1, 2, 4, 8] {
            let fake = FakeMappingAPI()
            let base = try fake.start()
            defer { fake.stop() }
            if serverMilliseconds > 0 { fake.script([], otherwise: .slow(.milliseconds(serverMilliseconds))) }
            let mapper = try RemoteMapperTests.mapper(base) {
                $0.documentsPerCall = 100
                $0.parallelCalls = parallel
                $0.cacheEntries = 0
            }
            var timings: [Double] = []
            for round in 0..<5 {
                let texts = (0..<2_000).map {
                    "Round \(round) event \($0): IAM user created an access key for the root account without MFA, "
                        + "and a security group opened port 22 to 0.0.0.0/0 in account 123456789012."
                }
                let start = ContinuousClock.now
                let run = try mapper.run(texts, options: RemoteMapperTests.options)
                timings.append((ContinuousClock.now - start).seconds)
                #expect(run.failure == nil && run.calls == 20)
            }
            let median = timings.sorted()[timings.count / 2]
            print(
                "bench remote: server \(serverMilliseconds) ms/call, parallel \(parallel): 2000 texts in 20 calls, "
                    + "median \(Int(median * 1_000)) ms per batch, \(Int(20 / median)) calls/s, "
                    + "\(fake.connectionCount) connections for \(fake.calls.count) calls"
            )
        }
    }
}
