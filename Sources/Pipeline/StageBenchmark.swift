import Codecs
import Firehose
import Foundation
import JSONBytes
import Mapping
import ServiceSupport
import Sink

/// `lakemark bench-stages FILE [--batch-mib N] [--gzip]`: runs the batch pipeline in process over an NDJSON corpus
/// (the objects go to a sink that discards them) and prints where the time goes, per stage. Two passes: the
/// first maps every distinct text (cold cache), the second finds them cached.
public enum StageBenchmark {
    /// Runs the benchmark.
    /// - Parameter arguments: the arguments after `bench-stages`.
    /// - Returns: the exit code.
    public static func run(arguments: [String]) -> Int32 {
        guard let path = arguments.first(where: { !$0.hasPrefix("--") }),
            let data = FileManager.default.contents(atPath: path)
        else {
            StandardStream.error.write("usage: lakemark bench-stages FILE.ndjson [--batch-mib N]\n")
            return 2
        }
        var batchBytes = 5 * 1_048_576
        if let flag = arguments.firstIndex(of: "--batch-mib"), flag + 1 < arguments.count,
            let mib = Double(arguments[flag + 1])
        {
            batchBytes = Int(mib * 1_048_576)
        }
        do {
            let configuration = try ConfigurationLoader.load(
                path: nil,
                environment: ProcessInfo.processInfo.environment
            )
            let loadClock = StageClock()
            let mapper = try EngineFactory.makeMapper(configuration)
            let loadSeconds = loadClock.elapsed()
            let processor = BatchProcessor(
                configuration: configuration,
                mapper: mapper,
                mappingOptions: try EngineFactory.makeOptions(configuration),
                sink: DiscardingSink()
            )
            let bodies = makeBodies(lines: [UInt8](data).split(separator: 0x0A), batchBytes: batchBytes)
            print(
                "corpus \(path): \(bodies.recordBytes) record bytes, \(bodies.records) records, "
                    + "\(bodies.bodies.count) batches; engine load \(format(loadSeconds * 1_000)) ms"
            )
            for pass in ["cold cache", "warm cache"] {
                var total = BatchReport()
                let clock = StageClock()
                for (index, body) in bodies.bodies.enumerated() {
                    let head = FirehoseRequestHead(header: { name in
                        name.lowercased() == "x-amz-firehose-request-id" ? "bench-\(index)" : nil
                    })
                    let outcome = processor.process(head: head, body: body)
                    guard outcome.status == 200 else {
                        print("batch \(index) failed: \(String(decoding: outcome.body, as: UTF8.self))")
                        return 1
                    }
                    total.add(outcome.report)
                }
                printTable(pass: pass, total: total, wall: clock.elapsed())
            }
            return 0
        } catch {
            StandardStream.error.write("lakemark bench-stages: \(error)\n")
            return 1
        }
    }

    /// Builds Firehose request bodies of about `batchBytes` record bytes (≤ 10,000 records each).
    static func makeBodies(
        lines: [ArraySlice<UInt8>],
        batchBytes: Int
    ) -> (bodies: [[UInt8]], records: Int, recordBytes: Int) {
        var bodies: [[UInt8]] = []
        var writer = JSONWriter(capacity: batchBytes * 4 / 3 + 1_024)
        var inBatch = 0
        var batchRecordBytes = 0
        var records = 0
        var recordBytes = 0
        func open() {
            writer = JSONWriter(capacity: batchBytes * 4 / 3 + 1_024)
            writer.appendRaw(#"{"requestId":"bench-"#)
            writer.appendInt(Int64(bodies.count))
            writer.appendRaw(#"","timestamp":1733300000000,"records":["#)
            inBatch = 0
            batchRecordBytes = 0
        }
        func close() {
            writer.appendRaw("]}")
            bodies.append(writer.bytes)
        }
        open()
        for line in lines where !line.isEmpty {
            if inBatch == 10_000 || batchRecordBytes + line.count > batchBytes, inBatch > 0 {
                close()
                open()
            }
            if inBatch > 0 { writer.appendRaw(",") }
            writer.appendRaw(#"{"data":""#)
            writer.appendRaw(line.withUnsafeBytes { Base64.encode($0) })
            writer.appendRaw(#""}"#)
            inBatch += 1
            batchRecordBytes += line.count
            records += 1
            recordBytes += line.count
        }
        if inBatch > 0 { close() }
        return (bodies, records, recordBytes)
    }

    private static func printTable(pass: String, total: BatchReport, wall: Double) {
        let megabytes = Double(total.recordBytes) / 1e6
        print(
            "\n\(pass): \(total.events) events, \(total.distinctTexts) distinct texts per batch summed, "
                + "wall \(format(wall)) s = \(format(megabytes / wall)) MB/s, "
                + "\(format(Double(total.events) / wall)) events/s"
        )
        print("| stage | seconds | MB/s of record bytes |")
        print("|---|---:|---:|")
        let timings = total.timings
        let rows: [(String, Double)] = [
            ("decode (JSON body + base64)", timings.decode), ("unpack + parse events", timings.unpack),
            ("extract text", timings.extract), ("map", timings.map), ("splice + partition", timings.splice),
            ("gzip objects", timings.compress), ("write (discarded)", timings.write),
        ]
        for (name, seconds) in rows {
            print("| \(name) | \(format(seconds)) | \(seconds > 0 ? format(megabytes / seconds) : "-") |")
        }
    }

    private static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return String(rounded)
    }
}

extension BatchReport {
    /// Adds another batch's counts and timings.
    mutating func add(_ other: BatchReport) {
        wireBytes += other.wireBytes
        recordBytes += other.recordBytes
        records += other.records
        events += other.events
        distinctTexts += other.distinctTexts
        outputBytes += other.outputBytes
        timings.decode += other.timings.decode
        timings.unpack += other.timings.unpack
        timings.extract += other.timings.extract
        timings.map += other.timings.map
        timings.splice += other.timings.splice
        timings.compress += other.timings.compress
        timings.write += other.timings.write
    }
}

/// A sink that accepts and forgets objects, for benchmarks.
struct DiscardingSink: ObjectSink {
    /// Names the sink.
    var description: String { "discarding sink" }
    /// Forgets the objects.
    func put(_ objects: [SinkObject]) throws(SinkError) {}
    /// Always writable.
    func checkWritable() throws(SinkError) {}
}
