// Measures the Parquet writer on an OCSF-like schema (45 leaf columns, lists of structs), driven by
// scripts/parquet_bench.sh, which also has pyarrow write the same rows.
//
// usage: ParquetBench --rows N --out DIR [--repeat K] [--level L]
// Writes DIR/rows.ndjson, DIR/lakemark.parquet (zstd level L, default 3) and prints one JSON line:
// {"rows":N,"columns":C,"ndjson_bytes":B,"gzip1_bytes":B,"gzip6_bytes":B,"gzip1_seconds":S,
//  "parquet_bytes":B,"parquet_seconds":S,"parquet_cpu_seconds":S}
// parquet_seconds is the best of K runs (default 3) of rows in memory → file bytes (append + finish), wall clock;
// parquet_cpu_seconds the best process CPU time of those runs.
import Codecs
import Foundation
import Parquet

var options: [String: String] = ["--repeat": "3", "--level": "3"]
var arguments = CommandLine.arguments.dropFirst()
while let name = arguments.popFirst() {
    guard let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("ParquetBench: \(name) needs a value\n".utf8))
        exit(2)
    }
    options[name] = value
}
guard let rowCount = options["--rows"].flatMap({ Int($0) }), let out = options["--out"],
    let repeats = options["--repeat"].flatMap({ Int($0) }), let level = options["--level"].flatMap({ Int($0) })
else {
    FileHandle.standardError.write(Data("usage: ParquetBench --rows N --out DIR [--repeat K] [--level L]\n".utf8))
    exit(2)
}

/// Seconds since an arbitrary point, monotonic.
func now() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}

/// CPU seconds used by the process (robust against other load on a shared machine).
func cpuNow() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

do {
    let schema = try ParquetSchema(fields: BenchSchema.fields)
    var generator = BenchRows(seed: 2024)
    let rows = (0..<rowCount).map { generator.row($0) }
    var ndjson: [UInt8] = []
    for row in rows { NDJSONEncoder.append(row, fields: BenchSchema.fields, to: &ndjson) }
    try Data(ndjson).write(to: URL(fileURLWithPath: out).appendingPathComponent("rows.ndjson"))

    var writerOptions = ParquetWriterOptions()
    writerOptions.compression = .zstd(level: level)
    var best = Double.infinity
    var bestCPU = Double.infinity
    var file: [UInt8] = []
    for _ in 0..<max(1, repeats) {
        let start = now()
        let cpuStart = cpuNow()
        let writer = ParquetFileWriter(schema: schema, options: writerOptions)
        for row in rows { try writer.append(row: row) }
        file = try writer.finish()
        best = min(best, now() - start)
        bestCPU = min(bestCPU, cpuNow() - cpuStart)
    }
    try Data(file).write(to: URL(fileURLWithPath: out).appendingPathComponent("lakemark.parquet"))

    let gzipStart = now()
    let gzip1 = Gzip.deflate(ndjson, level: 1)
    let gzipSeconds = now() - gzipStart
    let gzip6 = Gzip.deflate(ndjson, level: 6)
    print(
        #"{"rows":\#(rowCount),"columns":\#(schema.columnCount),"ndjson_bytes":\#(ndjson.count),"#
            + #""gzip1_bytes":\#(gzip1.count),"gzip6_bytes":\#(gzip6.count),"gzip1_seconds":\#(gzipSeconds),"#
            + #""parquet_bytes":\#(file.count),"parquet_seconds":\#(best),"parquet_cpu_seconds":\#(bestCPU)}"#)
} catch {
    FileHandle.standardError.write(Data("ParquetBench: \(error)\n".utf8))
    exit(1)
}
