import Codecs
import JSONBytes

/// Looks inside one decoded Firehose record and produces the events to enrich.
///
/// Rules, in order:
/// 1. Zero bytes or only whitespace: ``UnpackedRecord/empty``.
/// 2. Starts with the gzip magic `1f 8b`: inflated once (all members, capped at ``Limits/maxInflatedBytes``) and
///    the result continues through these rules. Corrupt, truncated or oversized gzip keeps the original bytes
///    losslessly as `{"_raw_base64":"…","_decode_error":"…"}`. A second gzip layer is not opened; it ends up
///    wrapped by rule 6.
/// 3. A JSON object (whitespace around it allowed, as EventBridge appends `\n`) that is a CloudWatch Logs
///    envelope (`messageType` plus a `logEvents` array): `CONTROL_MESSAGE` is ``UnpackedRecord/control``;
///    `DATA_MESSAGE` gives one event per `logEvents[]` element (see ``RecordUnpacker`` CloudWatch notes below).
/// 4. Any other JSON object: one event whose bytes are the record's bytes exactly.
/// 5. Newline-delimited JSON where at least one non-blank line is a JSON object: one event per line (each line
///    through rules 3–4, so CloudWatch envelopes inside NDJSON are unpacked too); a line that is not a JSON object
///    becomes its own wrapped event (rule 6), in place.
/// 6. Anything else (text, arrays, scalars, invalid JSON, binary): `{"_raw":"<text>"}` when the bytes are valid
///    UTF-8, otherwise `{"_raw_base64":"…"}`; ``InputEvent/isWrapped`` is set.
///
/// A UTF-8 byte order mark at the start of the record or of a line is not part of the JSON text and is dropped.
///
/// CloudWatch `DATA_MESSAGE`: when a log event's `message` string decodes to a JSON object, the event bytes are
/// the decoded message; otherwise `{"_raw":<the message string>}`. Each event carries a
/// ``CloudWatchLogsContext``. Unknown envelope fields (`policyLevel`, `extractedFields`, …) are ignored.
///
/// Never traps and never drops data: anything that cannot be unpacked within the limits is wrapped whole.
public struct RecordUnpacker: Sendable {
    /// Bounds on the work done for one record.
    public struct Limits: Sendable {
        /// The largest inflated size of a gzip record, in bytes. Default: 64 MiB.
        public var maxInflatedBytes: Int
        /// The most events one record may produce; a record that would produce more is wrapped whole.
        /// Default: 100,000.
        public var maxEventsPerRecord: Int
        /// The deepest JSON nesting parsed in a record or CloudWatch message; deeper text is wrapped.
        /// Default: 512.
        public var maxJSONDepth: Int
        /// The most JSON values parsed in one record or message; more is wrapped. Default: 4,000,000.
        public var maxJSONValues: Int

        /// Creates limits.
        /// - Parameters:
        ///   - maxInflatedBytes: The largest inflated gzip record, in bytes. Default: 64 MiB.
        ///   - maxEventsPerRecord: The most events per record. Default: 100,000.
        ///   - maxJSONDepth: The deepest JSON nesting. Default: 512.
        ///   - maxJSONValues: The most JSON values per parsed text. Default: 4,000,000.
        public init(
            maxInflatedBytes: Int = 64 << 20,
            maxEventsPerRecord: Int = 100_000,
            maxJSONDepth: Int = 512,
            maxJSONValues: Int = 4_000_000
        ) {
            self.maxInflatedBytes = maxInflatedBytes
            self.maxEventsPerRecord = maxEventsPerRecord
            self.maxJSONDepth = maxJSONDepth
            self.maxJSONValues = maxJSONValues
        }
    }

    /// The bounds in force.
    public let limits: Limits

    /// Creates an unpacker.
    /// - Parameter limits: Bounds on the work per record. Default: see ``Limits``.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Unpacks one record.
    /// - Parameter record: The record's base64-decoded bytes.
    /// - Returns: Empty, a control message, or the events to enrich.
    public func unpack(_ record: [UInt8]) -> UnpackedRecord {
        var unlimited = Int.max
        return unpack(record, inflateBudget: &unlimited)
    }

    /// Unpacks one record of a batch whose gzip records may inflate to `inflateBudget` bytes in all: a record whose
    /// gzip would take more than what is left is kept whole, like an oversized one (so a batch of gzip bombs, each
    /// under ``Limits/maxInflatedBytes``, cannot exhaust memory), and a record that fails to inflate is charged what
    /// it produced before failing (so records that fail late cannot cost unbounded CPU either).
    /// - Parameters:
    ///   - record: The record's base64-decoded bytes.
    ///   - inflateBudget: Inflated bytes the batch may still produce; reduced by this record's.
    /// - Returns: Empty, a control message, or the events to enrich.
    public func unpack(_ record: [UInt8], inflateBudget: inout Int) -> UnpackedRecord {
        guard !Self.isBlank(record[...]) else { return .empty }
        guard Gzip.isGzip(record) else { return unpackText(record, note: nil) }
        let inflated: [UInt8]
        let limit = min(limits.maxInflatedBytes, max(inflateBudget, 0))
        do {
            inflated = try Gzip.inflate(record, limit: limit)
        } catch {
            // What a failed inflate produced was work too: a batch of records that fail late must not cost
            // unbounded CPU, so it counts against the budget like a success.
            inflateBudget -= error.outputCount
            let reason =
                error.code == .tooLarge && limit < limits.maxInflatedBytes
                ? "record gzip: the batch's gzip records inflate past max_inflated_batch_bytes; kept whole"
                : "record gzip: \(error)"
            return .events([Self.wrapBase64(record, decodeError: reason)])
        }
        inflateBudget -= inflated.count
        guard !Self.isBlank(inflated[...]) else { return .empty }
        let note = Gzip.isGzip(inflated) ? "record is gzip inside gzip; only one layer is decompressed" : nil
        return unpackText(inflated, note: note)
    }

    /// Rules 3–6 on text that is not gzip (or was inflated once).
    private func unpackText(_ bytes: [UInt8], note: String?) -> UnpackedRecord {
        let bytes = Self.hasByteOrderMark(bytes[...]) ? Array(bytes.dropFirst(3)) : bytes
        if Self.startsWithBrace(bytes[...]) {
            if let tape = parseObject(bytes) {
                return unpackObject(tape)
            }
            if let unpacked = unpackLines(bytes) {
                return unpacked
            }
        }
        return .events([Self.wrap(bytes, note: note ?? "record is not a JSON object or NDJSON of objects")])
    }

    /// Splits NDJSON; `nil` unless some non-blank line is a JSON object and the event cap holds. Lines that are
    /// not JSON objects are wrapped one by one.
    private func unpackLines(_ bytes: [UInt8]) -> UnpackedRecord? {
        var events: [InputEvent] = []
        var sawControl = false
        var objectLines = 0
        var lineNumber = 0
        var lineStart = 0
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: 0x0A) ?? bytes.count
            var line = bytes[lineStart..<lineEnd]
            lineStart = lineEnd + 1
            lineNumber += 1
            if Self.hasByteOrderMark(line) { line = line.dropFirst(3) }
            if Self.isBlank(line) { continue }
            guard Self.startsWithBrace(line), let tape = parseObject(Array(line)) else {
                events.append(Self.wrap(Array(line), note: "line \(lineNumber) of the record is not a JSON object"))
                guard events.count <= limits.maxEventsPerRecord else { return nil }
                continue
            }
            objectLines += 1
            switch unpackObject(tape) {
            case .empty: continue
            case .control: sawControl = true
            case .events(let more): events += more
            }
            guard events.count <= limits.maxEventsPerRecord else { return nil }
        }
        guard objectLines > 0 else { return nil }
        return events.isEmpty && sawControl ? .control : .events(events)
    }

    /// Rules 3–4 on a parsed JSON object.
    func unpackObject(_ tape: JSONTape) -> UnpackedRecord {
        let root = tape.rootIndex
        if let typeNode = tape.value(forKey: "messageType", in: root), let type = tape.string(typeNode) {
            if type == "CONTROL_MESSAGE" { return .control }
            if type == "DATA_MESSAGE", let logEvents = tape.value(forKey: "logEvents", in: root),
                tape.kind(logEvents) == .array
            {
                return unpackCloudWatch(tape, logEvents: logEvents)
            }
        }
        return .events([InputEvent(bytes: tape.source, tape: tape)])
    }

    /// Parses bytes as JSON within the limits; `nil` unless they are a JSON object.
    func parseObject(_ bytes: [UInt8]) -> JSONTape? {
        let limits = JSONLimits(maxDepth: limits.maxJSONDepth, maxNodes: limits.maxJSONValues)
        guard let tape = try? JSONTape(parsing: bytes, limits: limits), tape.kind(tape.rootIndex) == .object else {
            return nil
        }
        return tape
    }
}
