import Codecs
import Dispatch
import Extraction
import Firehose
import Mapping
import ServiceSupport
import Sink

extension BatchProcessor {
    /// A batch's events in runs, in record order: each run as one thread prepared it (they are never copied into one
    /// array: a copy of an event retains each of its arrays).
    typealias PreparedRuns = [[PreparedEvent]]

    /// One event ready to be written: prepared for splicing, with its partition.
    struct PreparedEvent {
        var event: EventEnricher.Event
        var partition: ObjectKeyBuilder.Partition
    }

    /// A batch's events and texts, prepared while its body was decoded.
    struct PreparedBatch {
        /// The events in runs, in record order.
        var runs: PreparedRuns
        /// The distinct texts the events' text indexes point into.
        var texts: EventEnricher.TextTable
    }

    /// A batch's objects: ready to store, or already handed to the sink's staging as each was compressed.
    enum BuiltObjects {
        /// Objects to store with ``ObjectSink/put(_:)``.
        case ready([SinkObject])
        /// Objects staged, to store with ``ObjectStaging/commit()``.
        case staged(any ObjectStaging, count: Int)

        /// How many objects the batch has.
        var count: Int {
            switch self {
            case .ready(let objects): objects.count
            case .staged(_, let count): count
            }
        }
    }

    /// Builds the batch's objects, one per partition, named deterministically from the request id; prepares,
    /// splices and compresses a large batch on up to `threads` threads, staging each object as soon as it is
    /// compressed when the sink offers it. `prepared` holds the events and texts when they were prepared while the
    /// body was decoded; they are taken out of it (so that they are freed off the request's path).
    func buildObjects(
        _ batch: FirehoseBatch,
        head: FirehoseRequestHead,
        threads: Int,
        prepared: inout PreparedBatch?,
        report: inout BatchReport
    ) throws -> BuiltObjects {
        var texts = EventEnricher.TextTable()
        var runs: PreparedRuns = []
        if prepared != nil {
            swap(&texts, &prepared!.texts)
            swap(&runs, &prepared!.runs)
            prepared = nil
        } else {
            runs = prepareRecords(batch, head: head, threads: threads, texts: &texts, report: &report)
        }
        let eventCount = runs.reduce(0) { $0 + $1.count }
        report.events = eventCount
        report.distinctTexts = texts.texts.count
        var clock = StageClock()

        if let lake = securityLake {
            // Parquet output needs the matches themselves, not only their JSON.
            let matches = try enricher.mapTexts(texts.texts, hints: texts.hints, report: &report)
            let arrays = matches.map { MapAPI.complianceArrayJSON($0) }
            report.timings.map = clock.lap()
            return .ready(try buildSecurityLakeObjects(
                runs.flatMap { $0 },
                texts: texts.texts,
                matches: matches,
                arrays: arrays,
                requestID: batch.requestID,
                lake: lake,
                report: &report
            ))
        }
        let arrays = try enricher.complianceArrays(texts, report: &report)
        report.timings.map = clock.lap()

        // Each event's partition gets a slot once (neighbours mostly share one, so the last is compared before
        // hashing); each slot's buffer is sized once from its events (no regrowth copies of large objects).
        var slotOfPartition: [ObjectKeyBuilder.Partition: Int] = [:]
        var partitions: [ObjectKeyBuilder.Partition] = []
        var sizes: [Int] = []
        var slots: [Int] = []
        slots.reserveCapacity(eventCount)
        var recentSlot = -1
        // Events are read in place (through the buffer), never copied: a copy retains each of its arrays.
        for run in runs {
            run.withUnsafeBufferPointer { prepared in
                for index in prepared.indices {
                    if recentSlot < 0 || partitions[recentSlot] != prepared[index].partition {
                        if let known = slotOfPartition[prepared[index].partition] {
                            recentSlot = known
                        } else {
                            recentSlot = partitions.count
                            slotOfPartition[prepared[index].partition] = recentSlot
                            partitions.append(prepared[index].partition)
                            sizes.append(0)
                        }
                    }
                    sizes[recentSlot] += enricher.splicedSizeBound(prepared[index].event, arrays: arrays)
                    slots.append(recentSlot)
                }
            }
        }
        var buffers = sizes.map { size in
            var buffer: [UInt8] = []
            buffer.reserveCapacity(size)
            return buffer
        }
        splice(runs, slots: slots, sizes: sizes, arrays: arrays, into: &buffers, threads: threads)
        // Thousands of events: freed off the request's path when the batch has cores to itself.
        let freesLater = freesInBackground(threads: threads, report: report)
        BackgroundRelease.release(consume runs, inBackground: freesLater)
        report.timings.splice = clock.lap()

        let order = partitions.indices.sorted { partitions[$0] < partitions[$1] }
        let ndjson = order.map { slot in
            var buffer: [UInt8] = []
            swap(&buffer, &buffers[slot])
            return buffer
        }
        report.outputBytes += ndjson.reduce(0) { $0 + $1.count }
        let zstd = configuration.format == .ndjsonZstd
        let compressor = ObjectCompressor(
            codec: zstd ? .zstd(level: configuration.zstdLevel) : .gzip(level: configuration.gzipLevel),
            parallelism: threads,
            cutsObjects: configuration.batchThreads != 1
        )
        let names = keys.keys(
            for: order.map { partitions[$0] },
            requestID: batch.requestID,
            fileExtension: zstd ? "json.zst" : "json.gz"
        )
        // Each object is staged as soon as it is compressed (while the others still are) when the sink offers it.
        let staging = sink.makeStaging(objectCount: names.count)
        let failure = LockedValue<SinkError?>(nil)
        var bodies: [[UInt8]] = []
        if let staging {
            compressor.compress(ndjson) { index, body in
                guard failure.value == nil else { return }
                do throws(SinkError) {
                    try staging.stage(SinkObject(key: names[index], body: body))
                } catch {
                    failure.withLock { stored in
                        if stored == nil { stored = error }
                    }
                }
            }
        } else {
            bodies = compressor.compress(ndjson)
        }
        // The texts, their arrays and the uncompressed objects: freed off the request's path, likewise.
        BackgroundRelease.release((consume texts, consume arrays, consume ndjson), inBackground: freesLater)
        report.timings.compress = clock.lap()
        guard let staging else {
            return .ready(names.indices.map { SinkObject(key: names[$0], body: bodies[$0]) })
        }
        if let error = failure.value {
            staging.discard()
            throw error
        }
        return .staged(staging, count: names.count)
    }

    /// Whether a batch's events and buffers are freed on a background thread once used: only when it has idle cores
    /// to itself and fewer than ``trimAfterRecordBytes`` of records. Under load the frees would only be postponed
    /// while other batches allocate (peak memory up by a batch), and a large batch's are given back to the system.
    func freesInBackground(threads: Int, report: BatchReport) -> Bool {
        threads > 1 && report.recordBytes < Self.trimAfterRecordBytes
    }

    /// Output bytes, at least, before a batch's partitions are spliced on several threads: 1 MiB.
    static let spliceBytesPerThread = 1 << 20

    /// Splices each event into its partition's buffer. With several threads, each thread owns whole partitions
    /// (the largest first, each to the least loaded thread), so every buffer still gets its events in order.
    private func splice(
        _ runs: PreparedRuns,
        slots: [Int],
        sizes: [Int],
        arrays: [[UInt8]],
        into buffers: inout [[UInt8]],
        threads: Int
    ) {
        let threads = min(threads, sizes.count, sizes.reduce(0, +) / Self.spliceBytesPerThread)
        guard threads > 1 else {
            var position = 0
            for run in runs {
                run.withUnsafeBufferPointer { prepared in
                    for index in prepared.indices {
                        enricher.splice(prepared[index].event, arrays: arrays, into: &buffers[slots[position]])
                        position += 1
                    }
                }
            }
            return
        }
        var owners = [Int](repeating: 0, count: sizes.count)
        var load = [Int](repeating: 0, count: threads)
        for slot in sizes.indices.sorted(by: { sizes[$0] > sizes[$1] }) {
            let thread = load.indices.min { load[$0] < load[$1] } ?? 0
            owners[slot] = thread
            load[thread] += sizes[slot]
        }
        let owner = owners
        buffers.withUnsafeMutableBufferPointer { buffers in
            let shared = SharedBuffers(buffers: buffers)
            DispatchQueue.concurrentPerform(iterations: threads) { thread in
                var position = 0
                for run in runs {
                    run.withUnsafeBufferPointer { prepared in
                        for index in prepared.indices {
                            let slot = slots[position]
                            position += 1
                            guard owner[slot] == thread else { continue }
                            enricher.splice(prepared[index].event, arrays: arrays, into: &shared.buffers[slot])
                        }
                    }
                }
            }
        }
    }

    /// The buffers handed to the splice threads, each of which writes only the buffers of the partitions it owns.
    private struct SharedBuffers: @unchecked Sendable {
        let buffers: UnsafeMutableBufferPointer<[UInt8]>
    }

    /// A time in milliseconds when plausible (2000-2100), else `nil`: request timestamps are never trusted blindly.
    static func plausible(_ millis: Int64?) -> Int64? {
        millis.flatMap { EventMetadata.plausibleTimes.contains($0) ? $0 : nil }
    }
}
