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
        var clock = StageClock()
        var events: [PreparedEvent] = []
        events.reserveCapacity(batch.records.count)
        var texts = EventEnricher.TextTable()
        // The request timestamp is only a fallback, and only when plausible (milliseconds, 2000-2100).
        let defaultTime = Self.plausible(batch.timestampMillis) ?? UTCTime.nowMillis()
        for record in batch.records {
            report.recordBytes += record.count
            switch enricher.unpacker.unpack(record) {
            case .empty:
                report.emptyRecords += 1
            case .control:
                report.controlMessages += 1
            case .events(let inputs):
                for input in inputs {
                    let (event, metadata) = enricher.prepare(input, texts: &texts, report: &report)
                    let partition = keys.partition(
                        source: configuration.sourceName ?? metadata.kind.name,
                        region: metadata.region ?? head.sourceARNParts?.region,
                        accountID: metadata.accountID ?? input.cloudWatch?.owner ?? head.sourceARNParts?.account,
                        timeMillis: metadata.timeMillis ?? Self.plausible(input.cloudWatch?.timestampMillis)
                            ?? defaultTime
                    )
                    events.append(PreparedEvent(event: event, partition: partition))
                }
            }
        }
        report.events = events.count
        report.distinctTexts = texts.texts.count
        report.timings.unpack = clock.lap() - report.timings.extract

        let matches = try enricher.mapTexts(texts.texts, report: &report)
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

        var objects: [SinkObject] = []
        for (index, partition) in sizes.keys.sorted().enumerated() {
            // Each object's NDJSON is released as soon as it is compressed.
            let ndjson = buffers.removeValue(forKey: partition) ?? []
            report.outputBytes += ndjson.count
            if configuration.format == .ndjsonZstd {
                let key = keys.key(for: partition, requestID: batch.requestID, index: index, fileExtension: "json.zst")
                let body = Zstd.compress(ndjson, level: configuration.zstdLevel)
                objects.append(SinkObject(key: key, body: body))
                continue
            }
            let key = keys.key(for: partition, requestID: batch.requestID, index: index)
            objects.append(SinkObject(key: key, body: Gzip.deflate(ndjson, level: configuration.gzipLevel)))
        }
        report.timings.compress = clock.lap()
        return objects
    }

    /// A time in milliseconds when plausible (2000-2100), else `nil`: request timestamps are never trusted blindly.
    static func plausible(_ millis: Int64?) -> Int64? {
        millis.flatMap { EventMetadata.plausibleTimes.contains($0) ? $0 : nil }
    }
}
