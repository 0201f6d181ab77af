import Foundation
import NetworkTestSupport
import Testing

/// Records/s and cold start of `lakemark lambda` against the fake (opt-in: `LAKEMARK_BENCH_LAMBDA=1`, with
/// `LAKEMARK_BENCH_CORPUS` an NDJSON file and optionally `LAKEMARK_BENCH_BINARY` a release build; run by
/// `scripts/bench_lambda.sh`). Prints numbers, asserts nothing about time.
@Suite(.serialized) struct LambdaBenchmark {
    private static let environment = ProcessInfo.processInfo.environment

    @Test func recordsPerSecondAndColdStart() throws {
        guard Self.environment["LAKEMARK_BENCH_LAMBDA"] == "1",
            let corpusPath = Self.environment["LAKEMARK_BENCH_CORPUS"]
        else {
            print("SKIP: set LAKEMARK_BENCH_LAMBDA=1 and LAKEMARK_BENCH_CORPUS (scripts/bench_lambda.sh does)")
            return
        }
        let binary = Self.environment["LAKEMARK_BENCH_BINARY"] ?? LambdaHarness.executable?.path ?? "lakemark"
        let batchRecords = Int(Self.environment["LAKEMARK_BENCH_BATCH"] ?? "") ?? 1_000
        let lines = try [UInt8](Data(contentsOf: URL(fileURLWithPath: corpusPath))).split(separator: 0x0A)
            .filter { !$0.isEmpty }.map(Array.init)
        var events: [[UInt8]] = []
        var recordBytes = 0
        for start in stride(from: 0, to: lines.count - batchRecords + 1, by: batchRecords) {
            let batch = lines[start..<(start + batchRecords)]
            recordBytes += batch.reduce(0) { $0 + $1.count }
            events.append(LambdaHarness.event(batch.enumerated().map { ("r\(start + $0.offset)", $0.element) }))
        }
        let records = events.count * batchRecords

        var coldStarts: [Double] = []
        for _ in 0..<5 {
            let fake = FakeRuntimeAPI()
            let endpoint = try fake.start()
            let launched = ContinuousClock.now
            let process = try ChildProcess(binary, ["lambda"], environment: ["AWS_LAMBDA_RUNTIME_API": endpoint])
            while fake.firstNext == nil, process.isRunning { usleep(200) }
            if let first = fake.firstNext { coldStarts.append(Self.milliseconds(first - launched)) }
            process.stop()
            fake.stop()
        }

        let fake = FakeRuntimeAPI()
        let endpoint = try fake.start()
        let process = try ChildProcess(
            binary,
            ["lambda"],
            environment: ["AWS_LAMBDA_RUNTIME_API": endpoint, "LAKEMARK_LOG_LEVEL": "warning"]
        )
        defer {
            process.stop()
            fake.stop()
        }
        var rounds: [Double] = []
        var unenriched = 0
        for round in 0..<4 {
            let start = ContinuousClock.now
            for event in events {
                let id = fake.invoke(event)
                let answer = try #require(fake.answer(to: id, seconds: 300))
                #expect(answer.kind == "response")
                if round == 0 {
                    let inputs = try LambdaHarness.records(ofEvent: event)
                    let outputs = try LambdaHarness.records(ofResponse: answer.body)
                    unenriched += zip(inputs, outputs).filter { $0.data == $1.data }.count
                }
            }
            rounds.append((ContinuousClock.now - start).seconds)
        }
        let cold = rounds[0]
        let warm = rounds.dropFirst().min() ?? cold
        let coldSorted = coldStarts.sorted()
        print(
            "bench lambda: \(records) records (\(recordBytes) bytes) in \(events.count) invocations of "
                + "\(batchRecords); first pass \(Int(Double(records) / cold)) records/s "
                + "\(Self.oneDecimal(Double(recordBytes) / cold / 1e6)) MB/s; best warm pass "
                + "\(Int(Double(records) / warm)) records/s \(Self.oneDecimal(Double(recordBytes) / warm / 1e6)) MB/s; "
                + "unenriched \(unenriched)"
        )
        let median = Self.oneDecimal(coldSorted[coldSorted.count / 2])
        let fastest = Self.oneDecimal(coldSorted.first ?? 0)
        let slowest = Self.oneDecimal(coldSorted.last ?? 0)
        print(
            "bench lambda: cold start (spawn to first next) median \(median) ms, min \(fastest) ms, "
                + "max \(slowest) ms over \(coldSorted.count) launches"
        )
    }

    private static func milliseconds(_ duration: Duration) -> Double { duration.seconds * 1_000 }

    private static func oneDecimal(_ value: Double) -> String { String(format: "%.1f", value) }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
