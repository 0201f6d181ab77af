import Codecs
import Extraction
import Firehose
import Mapping
import ServiceSupport
import Sink

extension BatchProcessor {
    /// One event ready to be written: prepared for splicing, with its partition.
    struct PreparedEvent {
        var event: EventEnricher.Event
        var partition: ObjectKeyBuilder.Partition
    }

    /// Builds the batch's objects, one per partition, named deterministically from the request id.
    func buildObjects(
        _ batch: FirehoseBatch,
        head: FirehoseRequestHead,
        report: inout BatchReport
    ) throws -> [SinkObject] {
        var texts = EventEnricher.TextTable()
        var events = prepareRecords(batch, head: head, texts: &texts, report: &report)
        report.events = events.count
        report.distinctTexts = texts.texts.count
        var clock = StageClock()

        let matches = try enricher.mapTexts(texts.texts, hints: texts.hints, report: &report)
        let arrays = matches.map { MapAPI.complianceArrayJSON($0) }
        report.timings.map = clock.lap()
        if let lake = securityLake {
            return try buildSecurityLakeObjects(
                events,
                texts: texts.texts,
                matches: matches,
                arrays: arrays,
                requestID: batch.requestID,
                lake: lake,
                report: &report
            )
        }

        // Each partition's buffer is sized once from its events (no regrowth copies of large objects).
        var sizes: [ObjectKeyBuilder.Partition: Int] = [:]
        for prepared in events {
            sizes[prepared.partition, default: 0] += enricher.splicedSizeBound(prepared.event, arrays: arrays)
        }
        var buffers: [ObjectKeyBuilder.Partition: [UInt8]] = [:]
        buffers.reserveCapacity(sizes.count)
        for (partition, size) in sizes {
            var buffer: [UInt8] = []
            buffer.reserveCapacity(size)
            buffers[partition] = buffer
        }
        for prepared in events {
            enricher.splice(prepared.event, arrays: arrays, into: &buffers[prepared.partition, default: []])
        }
        events = []
        report.timings.splice = clock.lap()

        let partitions = sizes.keys.sorted()
        let ndjson = partitions.map { buffers.removeValue(forKey: $0) ?? [] }
        report.outputBytes += ndjson.reduce(0) { $0 + $1.count }
        let zstd = configuration.format == .ndjsonZstd
        let compressor = ObjectCompressor(
            codec: zstd ? .zstd(level: configuration.zstdLevel) : .gzip(level: configuration.gzipLevel),
            parallelism: batchThreads
        )
        let bodies = compressor.compress(ndjson)
        let objects = partitions.enumerated().map { index, partition in
            SinkObject(
                key: keys.key(
                    for: partition,
                    requestID: batch.requestID,
                    index: index,
                    fileExtension: zstd ? "json.zst" : "json.gz"
                ),
                body: bodies[index]
            )
        }
        report.timings.compress = clock.lap()
        return objects
    }

    /// A time in milliseconds when plausible (2000-2100), else `nil`: request timestamps are never trusted blindly.
    static func plausible(_ millis: Int64?) -> Int64? {
        millis.flatMap { EventMetadata.plausibleTimes.contains($0) ? $0 : nil }
    }
}
