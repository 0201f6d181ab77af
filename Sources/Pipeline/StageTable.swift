import Foundation

/// The figures of one `lakemark bench-stages` run and their Markdown table: seconds and MB/s of record bytes per
/// stage, on one core.
struct StageTable {
    /// Record bytes in the corpus.
    var recordBytes: Int
    /// Records in the corpus.
    var records: Int
    /// The seed Lambda logic's MB/s on the same corpus; adds a ratio column when known.
    var seedMegabytesPerSecond: Double?
    /// Seconds to inflate the gzip request bodies.
    var inflate = 0.0
    /// Seconds to parse the bodies' JSON envelopes.
    var envelope = 0.0
    /// Seconds to base64-decode the records.
    var base64 = 0.0
    /// The processor's pass with gzip objects and a cold mapping cache.
    var cold = BatchReport()
    /// The processor's pass with gzip objects and a warm mapping cache.
    var warm = BatchReport()
    /// The processor's pass with zstd objects and a warm mapping cache.
    var warmZstd = BatchReport()
    /// Whether the warm gzip pass wrote its objects (else they were discarded).
    var writesToDisk = false
    /// The gzip level of the objects.
    var gzipLevel = 1
    /// The zstd level of the objects.
    var zstdLevel = 1

    /// Seconds of the per-record work: everything but compression (in and out) and I/O, warm cache.
    var perRecordSeconds: Double {
        let timings = warm.timings
        return timings.decode + timings.unpack + timings.extract + timings.map + timings.splice
    }

    /// The table, then one `key=value` line for scripts.
    func markdown() -> String {
        let seedHeader = seedMegabytesPerSecond == nil ? "" : " vs seed |"
        let seedRule = seedMegabytesPerSecond == nil ? "" : "---:|"
        var lines = [
            "| stage (one thread, in process) | seconds | MB/s of record bytes |\(seedHeader)",
            "|---|---:|---:|\(seedRule)",
        ]
        func row(_ name: String, _ seconds: Double) {
            let rate = seconds > 0 ? Double(recordBytes) / 1e6 / seconds : 0
            var line = "| \(name) | \(StageBenchmark.format(seconds)) | \(String(format: "%.1f", rate)) |"
            if let seed = seedMegabytesPerSecond { line += " \(String(format: "%.2f", rate / seed))x |" }
            lines.append(line)
        }
        row("inflate (request gzip -1 bodies)", inflate)
        row("envelope (body JSON parse, records located)", envelope)
        row("base64 decode", base64)
        row("unpack + event JSON parse + metadata", warm.timings.unpack)
        row("extraction", warm.timings.extract)
        row("mapping, cold cache", cold.timings.map)
        row("mapping, warm cache", warm.timings.map)
        row("splice + partition", warm.timings.splice)
        row("compression out, gzip level \(gzipLevel)", warm.timings.compress)
        row("compression out, zstd level \(zstdLevel)", warmZstd.timings.compress)
        if writesToDisk { row("write (local directory sink)", warm.timings.write) }
        row("**per-record work** (envelope, base64, unpack, extraction, warm mapping, splice)", perRecordSeconds)
        row("pipeline with gzip objects, warm (per-record work + gzip)", perRecordSeconds + warm.timings.compress)
        row(
            "pipeline with zstd objects, warm (per-record work + zstd)",
            warmZstd.timings.decode + warmZstd.timings.unpack + warmZstd.timings.extract + warmZstd.timings.map
                + warmZstd.timings.splice + warmZstd.timings.compress
        )
        let perRecordRate = perRecordSeconds > 0 ? Double(recordBytes) / 1e6 / perRecordSeconds : 0
        let recordsPerSecond = perRecordSeconds > 0 ? Double(records) / perRecordSeconds : 0
        lines.append("")
        lines.append(
            "output NDJSON \(warm.outputBytes) bytes (\(String(format: "%.3f", outputRatio))x the record bytes); "
                + "\(warm.events) events; \(cold.distinctTexts) distinct texts per batch summed"
        )
        lines.append(
            "per_record_mbs=\(String(format: "%.1f", perRecordRate)) "
                + "per_record_rps=\(String(format: "%.0f", recordsPerSecond))"
        )
        return lines.joined(separator: "\n")
    }

    /// NDJSON output bytes per record byte.
    private var outputRatio: Double { recordBytes > 0 ? Double(warm.outputBytes) / Double(recordBytes) : 0 }
}
