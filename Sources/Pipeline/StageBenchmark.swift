import Codecs
import Firehose
import Foundation
import JSONBytes
import Mapping
import ServiceSupport
import Sink

/// `lakemark bench-stages FILE [--batch-mib N] [--max-mib N] [--seed-mbs X] [--write-dir DIR]`: runs the batch
/// pipeline in process, on one thread, over an NDJSON corpus and prints where the time goes, per stage, in MB/s of
/// record bytes on one core.
///
/// Passes over the same Firehose request bodies: the request gzip inflated alone; the body's JSON envelope parsed
/// alone and its base64 decoded alone; then the whole ``BatchProcessor`` three times: gzip objects with a cold
/// mapping cache, gzip objects with a warm cache, zstd objects with a warm cache. Objects are discarded, or written
/// to `--write-dir` by a ``LocalDirectorySink`` in the second pass. The per-record work is everything but
/// compression (in and out) and I/O: envelope, base64, unpack and event parse, extraction, warm mapping, splice.
public enum StageBenchmark {
    /// What the command line asked for.
    struct Arguments {
        /// The NDJSON corpus.
        var path: String
        /// Record bytes per request body. Default: 5 MiB.
        var batchBytes = 5 * 1_048_576
        /// Corpus bytes read at most (whole lines). Default: the whole file.
        var maxBytes: Int?
        /// The seed Lambda logic's MB/s on the same corpus, for the ratio column. Default: none.
        var seedMegabytesPerSecond: Double?
        /// Where the second pass writes its objects. Default: nowhere (discarded).
        var writeDirectory: String?

        /// Reads the arguments after `bench-stages`; `nil` when they are not usable.
        init?(_ arguments: [String]) {
            var path: String?
            var index = 0
            while index < arguments.count {
                let argument = arguments[index]
                let value = index + 1 < arguments.count ? arguments[index + 1] : nil
                switch argument {
                case "--batch-mib":
                    guard let mib = value.flatMap(Double.init), mib > 0 else { return nil }
                    batchBytes = Int(mib * 1_048_576)
                case "--max-mib":
                    guard let mib = value.flatMap(Double.init), mib > 0 else { return nil }
                    maxBytes = Int(mib * 1_048_576)
                case "--seed-mbs":
                    guard let rate = value.flatMap(Double.init), rate > 0 else { return nil }
                    seedMegabytesPerSecond = rate
                case "--write-dir":
                    guard let value else { return nil }
                    writeDirectory = value
                default:
                    guard !argument.hasPrefix("--"), path == nil else { return nil }
                    path = argument
                    index += 1
                    continue
                }
                index += 2
            }
            guard let path else { return nil }
            self.path = path
        }
    }

    /// The usage line printed for bad arguments.
    static let usage =
        "usage: lakemark bench-stages FILE.ndjson [--batch-mib N] [--max-mib N] [--seed-mbs X] [--write-dir DIR]\n"

    /// Runs the benchmark.
    /// - Parameter arguments: the arguments after `bench-stages`.
    /// - Returns: the exit code.
    public static func run(arguments: [String]) -> Int32 {
        guard let arguments = Arguments(arguments), let data = FileManager.default.contents(atPath: arguments.path)
        else {
            StandardStream.error.write(usage)
            return 2
        }
        do {
            return try run(arguments, corpus: [UInt8](data))
        } catch {
            StandardStream.error.write("lakemark bench-stages: \(error)\n")
            return 1
        }
    }

    private static func run(_ arguments: Arguments, corpus: [UInt8]) throws -> Int32 {
        var configuration = try ConfigurationLoader.load(path: nil, environment: ProcessInfo.processInfo.environment)
        configuration.format = .ndjsonGzip
        // One thread per batch: the stage figures are per core.
        configuration.batchThreads = 1
        let loadClock = StageClock()
        let mapper = try EngineFactory.makeMapper(configuration)
        let loadSeconds = loadClock.elapsed()
        let options = try EngineFactory.makeOptions(configuration)
        let discard = BatchProcessor(configuration: configuration, mapper: mapper, mappingOptions: options,
            sink: DiscardingSink())
        let writing = arguments.writeDirectory.map {
            BatchProcessor(configuration: configuration, mapper: mapper, mappingOptions: options,
                sink: LocalDirectorySink(root: $0))
        }
        var zstdConfiguration = configuration
        zstdConfiguration.format = .ndjsonZstd
        let zstd = BatchProcessor(configuration: zstdConfiguration, mapper: mapper, mappingOptions: options,
            sink: DiscardingSink())

        let lines = nonEmptyLines(corpus.prefix(lineBoundary(in: corpus, before: arguments.maxBytes)))
        let bodies = makeBodies(lines: lines, batchBytes: arguments.batchBytes)
        let wire = bodies.bodies.map { Gzip.deflate($0, level: 1) }
        print(
            "corpus \(arguments.path): \(bodies.recordBytes) record bytes, \(bodies.records) records, "
                + "\(bodies.bodies.count) request bodies of about \(arguments.batchBytes / 1_048_576) MiB; "
                + "engine load \(format(loadSeconds * 1_000)) ms"
        )
        var table = StageTable(
            recordBytes: bodies.recordBytes,
            records: bodies.records,
            seedMegabytesPerSecond: arguments.seedMegabytesPerSecond
        )
        table.inflate = try timeInflate(wire, limit: configuration.maxDecompressedBytes)
        (table.envelope, table.base64) = try timeEnvelope(bodies.bodies)
        guard let cold = process(bodies.bodies, with: discard),
            let warm = process(bodies.bodies, with: writing ?? discard),
            let warmZstd = process(bodies.bodies, with: zstd)
        else { return 1 }
        table.cold = cold
        table.warm = warm
        table.warmZstd = warmZstd
        table.writesToDisk = writing != nil
        table.gzipLevel = configuration.gzipLevel
        table.zstdLevel = configuration.zstdLevel
        print(table.markdown())
        return 0
    }

    /// The length of the longest prefix of `corpus` made of whole lines and at most `maxBytes` long.
    static func lineBoundary(in corpus: [UInt8], before maxBytes: Int?) -> Int {
        guard let maxBytes, maxBytes < corpus.count else { return corpus.count }
        return corpus[..<maxBytes].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
    }

    /// The non-empty lines of `bytes`, split at LF with `memchr` (`split(separator:)` calls a closure per byte: a
    /// quarter of a billion instructions for the 8 MiB corpus of `scripts/profile.sh`, before any stage ran).
    static func nonEmptyLines(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var lines: [ArraySlice<UInt8>] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            while start < buffer.count {
                let found = memchr(base + start, 0x0A, buffer.count - start)
                let end = found.map { UnsafeRawPointer($0) - UnsafeRawPointer(base) } ?? buffer.count
                if end > start { lines.append(bytes[bytes.startIndex + start..<bytes.startIndex + end]) }
                start = end + 1
            }
        }
        return lines
    }

    /// Seconds to inflate every request body.
    private static func timeInflate(_ wire: [[UInt8]], limit: Int) throws -> Double {
        let clock = StageClock()
        var inflated = 0
        for body in wire { inflated += try Gzip.inflate(body, limit: limit).count }
        precondition(inflated > 0 || wire.isEmpty)
        return clock.elapsed()
    }

    /// Seconds to parse every body's JSON envelope (and find each record's `data`), then seconds to base64-decode
    /// every record.
    private static func timeEnvelope(_ bodies: [[UInt8]]) throws -> (envelope: Double, base64: Double) {
        var envelope = 0.0
        var base64 = 0.0
        var decodedBytes = 0
        for body in bodies {
            let clock = StageClock()
            let tape = try JSONTape(parsing: body, limits: JSONLimits(maxDepth: 64, maxNodes: 200_000))
            var ranges: [Range<Int>] = []
            if let records = tape.value(forKey: "records", in: tape.rootIndex) {
                for record in tape.children(records) {
                    if let data = tape.value(forKey: "data", in: record) { ranges.append(tape.byteRange(data)) }
                }
            }
            envelope += clock.elapsed()
            let base64Clock = StageClock()
            try body.withUnsafeBytes { raw in
                for range in ranges {
                    let text = UnsafeRawBufferPointer(rebasing: raw[range.lowerBound + 1..<range.upperBound - 1])
                    decodedBytes += try Base64.decode(text).count
                }
            }
            base64 += base64Clock.elapsed()
        }
        precondition(decodedBytes > 0 || bodies.isEmpty)
        return (envelope, base64)
    }

    /// Runs every body through a processor; the summed report, or `nil` (after printing why) when one fails.
    private static func process(_ bodies: [[UInt8]], with processor: BatchProcessor) -> BatchReport? {
        var total = BatchReport()
        for (index, body) in bodies.enumerated() {
            let head = FirehoseRequestHead(header: { name in
                name.lowercased() == "x-amz-firehose-request-id" ? "bench-\(index)" : nil
            })
            let outcome = processor.process(head: head, body: body)
            guard outcome.status == 200 else {
                print("batch \(index) failed: \(String(decoding: outcome.body, as: UTF8.self))")
                return nil
            }
            total.add(outcome.report)
        }
        return total
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

    /// A number with two decimals at most.
    static func format(_ value: Double) -> String {
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
