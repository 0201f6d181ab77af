import Codecs
import Dispatch
import Foundation
import JSONBytes

extension FirehoseBatchDecoder {
    /// A gzip body decoded while its records were handed on: the batch, and what was made of its records.
    public struct OverlappedBatch<Part: Sendable>: Sendable {
        /// The decoded batch, as ``FirehoseBatchDecoder/decode(body:head:)`` returns it.
        public var batch: FirehoseBatch
        /// What `prepare` returned for each run of records, in record order.
        public var parts: [Part]
        /// Seconds spent decompressing and reading the body's envelope (not the records' base64).
        public var decodeSeconds: Double
    }

    /// The smallest decompressed body worth decoding this way: 1 MiB.
    public static let minimumOverlappedBodyBytes = 1 << 20
    /// The largest decompressed body decoded this way: 8 MiB. Larger bodies gain little in proportion and would keep
    /// their whole text alive while their records are prepared (the ordinary decode frees it first).
    public static let maximumOverlappedBodyBytes = 8 << 20
    /// Decompressed bytes per slice of the body handed on.
    static let overlapSliceBytes = 256 << 10
    /// The most records in one run handed to `prepare`.
    static let overlapRunRecords = 256

    /// Decodes a gzip body of ``minimumOverlappedBodyBytes`` to ``maximumOverlappedBodyBytes`` while its records are
    /// base64-decoded and handed to `prepare`, in runs, on `threads` threads: the body is decompressed a slice at a
    /// time and each record goes on as soon as its text has arrived, so preparing the first records overlaps
    /// decompressing the last. The body is then parsed whole, as ``decode(body:head:)`` parses it, and the records
    /// found early must be exactly the ones it finds.
    ///
    /// Returns `nil`, having handed nothing on as final, whenever this way does not apply or anything is unusual:
    /// fewer than two threads, no gzip, a body not in the shape Firehose sends (see ``FirehoseEnvelopeScanner``), a
    /// length trailer that is not the body's size, any error. The caller then calls ``decode(body:head:)``, which
    /// answers exactly as it always does (errors included).
    /// - Parameters:
    ///   - body: The body as received.
    ///   - head: The request's Firehose headers.
    ///   - threads: The threads to use, the calling one included.
    ///   - prepare: Makes a part of a run of decoded records, given the body's `timestamp` (when an integer); called
    ///     from several threads at once.
    /// - Returns: The batch and the parts, or `nil`.
    public func decodeOverlapped<Part: Sendable>(
        body: [UInt8],
        head: FirehoseRequestHead,
        threads: Int,
        prepare: @escaping @Sendable (ArraySlice<[UInt8]>, Int64?) -> Part
    ) -> OverlappedBatch<Part>? {
        guard threads > 1, head.requestID != nil,
            (try? ContentCoding(head.contentEncoding, requestID: head.requestID)) == .gzip
        else { return nil }
        let size = body.withUnsafeBytes { Gzip.declaredSize(of: $0) } ?? 0
        let largest = min(Self.maximumOverlappedBodyBytes, limits.maxDecompressedBodyBytes)
        guard size >= Self.minimumOverlappedBodyBytes, size <= largest else { return nil }
        let started = DispatchTime.now().uptimeNanoseconds
        let overlap = Overlap<Part>(maxRecords: limits.maxRecords, maxRecordBytes: limits.maxRecordBytes)
        let text = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            guard let output = buffer.baseAddress else { return }
            let shared = SharedText(bytes: output)
            body.withUnsafeBytes { compressed in
                let source = SharedBody(bytes: compressed)
                DispatchQueue.concurrentPerform(iterations: min(threads, 8)) { thread in
                    if thread == 0 { overlap.produce(from: source.bytes, into: shared.bytes, size: size) }
                    overlap.consume(text: shared.bytes, prepare: prepare)
                }
            }
            initialized = overlap.isAbandoned ? 0 : size
        }
        guard !overlap.isAbandoned, text.count == size else { return nil }
        let validationStarted = DispatchTime.now().uptimeNanoseconds
        let (records, parts) = overlap.takeRuns()
        guard let batch = validate(text, head: head, overlap: overlap, records: records) else { return nil }
        let decodeNanoseconds = overlap.producedAt - started + DispatchTime.now().uptimeNanoseconds - validationStarted
        return OverlappedBatch(batch: batch, parts: parts, decodeSeconds: Double(decodeNanoseconds) / 1e9)
    }

    /// Parses the whole text as ``decode(body:head:)`` does and checks that it holds the records the scanner found;
    /// returns the batch, with the records the consumers decoded, or `nil`.
    private func validate<Part>(
        _ text: [UInt8],
        head: FirehoseRequestHead,
        overlap: Overlap<Part>,
        records: [[UInt8]]
    ) -> FirehoseBatch? {
        let limits = JSONLimits(maxDepth: limits.maxBodyJSONDepth, maxNodes: limits.maxBodyJSONValues)
        guard let tape = try? JSONTape(parsing: text, limits: limits), tape.kind(tape.rootIndex) == .object,
            let fields = try? TopLevelFields(tape: tape, headerID: head.requestID),
            let requestID = try? checkedRequestID(tape: tape, fields: fields, headerID: head.requestID),
            let recordsNode = fields.records, tape.kind(recordsNode) == .array,
            let timestampNode = fields.timestamp, tape.byteRange(timestampNode) == overlap.timestampRange
        else { return nil }
        let ranges = overlap.recordRanges
        guard tape.count(recordsNode) == ranges.count else { return nil }
        for (index, element) in tape.children(recordsNode).enumerated() {
            guard tape.kind(element) == .object, tape.count(element) == 1,
                let data = tape.value(forKey: "data", in: element), tape.kind(data) == .string,
                tape.byteRange(data) == ranges[index].lowerBound - 1..<ranges[index].upperBound + 1
            else { return nil }
        }
        return FirehoseBatch(
            requestID: requestID,
            timestampMillis: tape.int64(timestampNode),
            records: records
        )
    }
}

/// The decompressed text, written by the producer and read by the consumers below what it has published.
private struct SharedText: @unchecked Sendable {
    let bytes: UnsafeMutablePointer<UInt8>
}

/// The compressed body, read by the producer.
private struct SharedBody: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer
}

/// The state one overlapped decode shares between its producer (decompressing and scanning) and its consumers
/// (decoding and preparing runs of records). Every field is read and written under `condition`.
private final class Overlap<Part: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private let maxRecords: Int
    private let maxRecordBytes: Int
    /// Records the scanner has found whose text has fully arrived.
    private var published: [Range<Int>] = []
    /// Where the body's `timestamp` value is, once the scanner has passed it.
    private var timestamp: Range<Int>?
    /// Records handed to a consumer.
    private var claimed = 0
    /// The body's `timestamp` as an integer, once the scanner has passed it.
    private var timestampMillis: Int64?
    private var producerDone = false
    private var abandoned = false
    /// When the producer finished (`DispatchTime` nanoseconds).
    private var producerFinished: UInt64 = 0
    /// Each run's first record, decoded records and part.
    private var runs: [(first: Int, records: [[UInt8]], part: Part)] = []

    init(maxRecords: Int, maxRecordBytes: Int) {
        self.maxRecords = maxRecords
        self.maxRecordBytes = maxRecordBytes
    }

    var isAbandoned: Bool { condition.withLock { abandoned } }
    var recordRanges: [Range<Int>] { condition.withLock { published } }
    var timestampRange: Range<Int>? { condition.withLock { timestamp } }
    var producedAt: UInt64 { condition.withLock { producerFinished } }

    /// Takes the runs out, in record order: their decoded records and their parts. The overlap keeps no reference to
    /// them, so their owner can change the parts in place.
    func takeRuns() -> (records: [[UInt8]], parts: [Part]) {
        condition.withLock {
            var taken: [(first: Int, records: [[UInt8]], part: Part)] = []
            swap(&taken, &runs)
            taken.sort { $0.first < $1.first }
            return (taken.flatMap(\.records), taken.map(\.part))
        }
    }

    private func abandon() {
        condition.withLock {
            abandoned = true
            condition.broadcast()
        }
    }

    /// Decompresses the body a slice at a time, publishing the records each slice completes; abandons the decode
    /// unless the whole body (exactly `size` bytes) holds them all.
    func produce(from body: UnsafeRawBufferPointer, into text: UnsafeMutablePointer<UInt8>, size: Int) {
        defer {
            condition.withLock {
                producerDone = true
                producerFinished = DispatchTime.now().uptimeNanoseconds
                condition.broadcast()
            }
        }
        guard var inflater = try? GzipInflater(body) else {
            abandon()
            return
        }
        var written = 0
        var scanner = FirehoseEnvelopeScanner(maxRecords: maxRecords)
        var ended = false
        var millis: Int64?
        var timestampRead = false
        while !inflater.isFinished {
            let before = written
            do {
                let capacity = min(size, written + FirehoseBatchDecoder.overlapSliceBytes)
                try inflater.run(into: text, capacity: capacity, written: &written)
            } catch {
                abandon()
                return
            }
            // A stream longer than its trailer said fills the buffer without finishing.
            if written == before || (written == size && !inflater.isFinished) {
                abandon()
                return
            }
            if ended { continue }
            let found = scanner.records.count
            switch scanner.scan(text, count: written) {
            case .unsupported:
                abandon()
                return
            case .recordsEnded:
                ended = true
            case .needsMore:
                break
            }
            // Read once: the scanner passes the timestamp before any record.
            if !timestampRead, let range = scanner.timestamp {
                timestampRead = true
                let value = Array(UnsafeBufferPointer(start: text + range.lowerBound, count: range.count))
                millis = (try? JSONTape(parsing: value)).flatMap { $0.int64($0.rootIndex) }
            }
            let stop = condition.withLock {
                if abandoned { return true }
                timestamp = scanner.timestamp
                timestampMillis = millis
                published.append(contentsOf: scanner.records[found...])
                condition.broadcast()
                return false
            }
            if stop { return }
        }
        if !ended || written != size { abandon() }
    }

    /// Claims runs of published records, decodes their base64 and prepares them, until every record is claimed or
    /// the decode is abandoned.
    func consume(text: UnsafeMutablePointer<UInt8>, prepare: (ArraySlice<[UInt8]>, Int64?) -> Part) {
        while true {
            condition.lock()
            while !abandoned && !producerDone && published.count - claimed < FirehoseBatchDecoder.overlapRunRecords {
                condition.wait()
            }
            let available = published.count - claimed
            if abandoned || available == 0 {
                condition.unlock()
                return
            }
            let first = claimed
            let ranges = published[first..<first + min(available, FirehoseBatchDecoder.overlapRunRecords)]
            claimed += ranges.count
            let timestamp = timestampMillis
            condition.unlock()

            var records: [[UInt8]] = []
            records.reserveCapacity(ranges.count)
            for range in ranges {
                let encoded = UnsafeRawBufferPointer(start: text + range.lowerBound, count: range.count)
                guard let decoded = try? Base64.decode(encoded), decoded.count <= maxRecordBytes else {
                    abandon()
                    return
                }
                records.append(decoded)
            }
            let part = prepare(records[...], timestamp)
            condition.withLock { runs.append((first, records, part)) }
        }
    }
}
