import Codecs
import Foundation
import JSONBytes
import Testing

/// Fixtures C1–C9 of firehose-protocol.md §5 (CloudWatch Logs through Firehose): each record is
/// `base64(gzip(envelope))` built here from the documented envelope shape. Every response is also checked against
/// the response contract (P1–P4).
@Suite struct ProtocolCloudWatchTests {
    /// The loopback client and its helpers.
    typealias Client = ProtocolClient

    /// One `logEvents[]` element.
    struct LogEvent {
        var id: String
        var timestamp: Int64
        var message: String
        /// Extra members written after `message` (raw JSON, starting with a comma), e.g. `extractedFields`.
        var extra = ""
    }

    /// A 56-digit event id, as CloudWatch sends them.
    static let longID = "38485927152318724123598712345678901234567890123456789012"
    /// 2024-09-05T13:47:15.523Z in milliseconds.
    static let eventMillis: Int64 = 1_725_544_035_523

    /// A CloudWatch Logs subscription document.
    static func envelope(
        type: String = "DATA_MESSAGE",
        owner: String = "123456789012",
        logGroup: String = "/aws/lambda/payments",
        logStream: String = "2024/09/05/[$LATEST]0123456789abcdef",
        filters: [String] = ["to-firehose"],
        events: [LogEvent],
        extra: String = ""
    ) -> [UInt8] {
        var writer = JSONWriter()
        writer.appendRaw("{\"messageType\":")
        writer.appendString(type)
        writer.appendRaw(",\"owner\":")
        writer.appendString(owner)
        writer.appendRaw(",\"logGroup\":")
        writer.appendString(logGroup)
        writer.appendRaw(",\"logStream\":")
        writer.appendString(logStream)
        writer.appendRaw(",\"subscriptionFilters\":[")
        for (index, filter) in filters.enumerated() {
            if index > 0 { writer.appendRaw(",") }
            writer.appendString(filter)
        }
        writer.appendRaw("],\"logEvents\":[")
        for (index, event) in events.enumerated() {
            writer.appendRaw(index == 0 ? "{\"id\":" : ",{\"id\":")
            writer.appendString(event.id)
            writer.appendRaw(",\"timestamp\":")
            writer.appendInt(event.timestamp)
            writer.appendRaw(",\"message\":")
            writer.appendString(event.message)
            writer.appendRaw(Array((event.extra + "}").utf8))
        }
        writer.appendRaw(Array(("]" + extra + "}").utf8))
        return writer.bytes
    }

    /// The health-check document CloudWatch sends when a subscription is created.
    static let control = envelope(
        type: "CONTROL_MESSAGE", owner: "CloudwatchLogs", logGroup: "", logStream: "", filters: [],
        events: [LogEvent(id: "", timestamp: 1_741_312_971_934,
                          message: "CWL CONTROL MESSAGE: Checking health of destination Firehose.")])

    /// One data document with one JSON message.
    static func dataDocument(_ message: String, id: String = longID) -> [UInt8] {
        envelope(events: [LogEvent(id: id, timestamp: eventMillis, message: message)])
    }

    /// The `cloudwatch_logs` member of an output line.
    static func context(_ line: [UInt8]) -> (tape: JSONTape, node: Int)? {
        guard let tape = try? JSONTape(parsing: line),
            let node = tape.value(forKey: "cloudwatch_logs", in: tape.rootIndex), tape.kind(node) == .object
        else { return nil }
        return (tape, node)
    }

    /// Whether an output line is the original JSON object with members spliced before its closing brace.
    static func line(_ line: [UInt8], preserves object: String) -> Bool {
        line.starts(with: Array(object.utf8).dropLast()) && line.last == UInt8(ascii: "}")
    }

    /// C1: one `DATA_MESSAGE` with one event → one enriched event; the millisecond timestamp gives the partition
    /// day and is kept as milliseconds; the envelope fields are attached.
    @Test func c1OneDataMessage() throws {
        let message = #"{"level":"warn","msg":"card data access denied","user":"svc-payments"}"#
        try Client.withService { harness in
            let id = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: id, records: [Gzip.deflate(Self.dataDocument(message))]),
                                status: 200)
            let keys = try harness.objectKeys()
            #expect(keys.count == 1)
            #expect(keys.first?.contains("/accountId=123456789012/eventDay=20240905/\(id)-0.json.gz") == true,
                    "\(keys)")
            let lines = try harness.lines()
            #expect(lines.count == 1)
            guard let line = lines.first, let (tape, node) = Self.context(line) else {
                Issue.record("no cloudwatch_logs member")
                return
            }
            #expect(Self.line(line, preserves: message))
            #expect(tape.value(forKey: "timestamp", in: node).flatMap { tape.int64($0) } == Self.eventMillis)
            #expect(tape.value(forKey: "owner", in: node).flatMap { tape.string($0) } == "123456789012")
            #expect(tape.value(forKey: "logGroup", in: node).flatMap { tape.string($0) } == "/aws/lambda/payments")
            #expect(tape.value(forKey: "logStream", in: node).flatMap { tape.string($0) }
                == "2024/09/05/[$LATEST]0123456789abcdef")
        }
    }

    /// C2: three events with `extractedFields`, a top-level `policyLevel` and an unknown future field → three
    /// events (in order within each partition object); the unknown fields change nothing.
    @Test func c2UnknownFieldsIgnored() throws {
        let extracted = #","extractedFields":{"@aws.account":"999888777666","@aws.region":"us-west-2"}"#
        let events = [
            LogEvent(id: "1", timestamp: Self.eventMillis, message: "plain text line", extra: extracted),
            LogEvent(id: "2", timestamp: Self.eventMillis + 1, message: #"{"k":"v","n":2}"#, extra: extracted),
            LogEvent(id: "3", timestamp: Self.eventMillis + 2, message: "quote \" and\nnewline", extra: extracted),
        ]
        let document = Self.envelope(
            events: events, extra: #","policyLevel":"ACCOUNT_LEVEL_POLICY","futureField":{"x":[1,2,3]}"#)
        try Client.withService { harness in
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [Gzip.deflate(document)]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 3)
            let ids = lines.compactMap { line in
                Self.context(line).flatMap { context in
                    context.tape.value(forKey: "id", in: context.node).flatMap { context.tape.string($0) }
                }
            }
            #expect(ids.sorted() == ["1", "2", "3"])
            let raw = lines.compactMap { Client.string("_raw", in: $0) }
            #expect(raw == ["plain text line", "quote \" and\nnewline"])
            #expect(lines.contains { Self.line($0, preserves: #"{"k":"v","n":2}"#) })
        }
    }

    /// C3: a batch of only `CONTROL_MESSAGE` records → 200, nothing written.
    @Test func c3OnlyControlMessages() throws {
        try Client.withService { harness in
            let records = [Gzip.deflate(Self.control), Gzip.deflate(Self.control)]
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: records), status: 200)
            #expect(harness.allFiles().isEmpty, "\(harness.allFiles())")
        }
    }

    /// C4: control + data + data → 200; only the two data events are written.
    @Test func c4MixedControlAndData() throws {
        try Client.withService { harness in
            let records = [Self.control, Self.dataDocument(#"{"n":1}"#), Self.dataDocument(#"{"n":2}"#)]
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: records.map {
                Gzip.deflate($0)
            }), status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 2)
            #expect(lines.contains { Self.line($0, preserves: #"{"n":1}"#) })
            #expect(lines.contains { Self.line($0, preserves: #"{"n":2}"#) })
            #expect(!lines.contains { String(decoding: $0, as: UTF8.self).contains("CONTROL") })
        }
    }

    /// C5: an already decompressed envelope (plain JSON) is parsed exactly like the gzip one.
    @Test func c5AlreadyDecompressed() throws {
        let document = Self.envelope(events: [
            LogEvent(id: "a", timestamp: Self.eventMillis, message: #"{"action":"DeleteTrail"}"#),
            LogEvent(id: "b", timestamp: Self.eventMillis, message: "text"),
        ])
        try Client.withService { harness in
            let zipped = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: zipped, records: [Gzip.deflate(document)]), status: 200)
            let first = try harness.lines()
            let plain = Client.newRequestID()
            try harness.deliver(Client.firehose(requestID: plain, records: [document]), status: 200)
            let both = try harness.lines()
            #expect(first.count == 2)
            #expect(both.count == 4)
            #expect(Set(both) == Set(first))
        }
    }

    /// C6 (decided): a record gzipped twice is opened once and the inner gzip is kept losslessly as `_raw_base64`;
    /// a multi-member gzip record is decoded whole.
    @Test func c6DoubleAndMultiMemberGzip() throws {
        let document = Self.dataDocument(#"{"n":6}"#)
        let inner = Gzip.deflate(document)
        let middle = document.count / 2
        let multiMember = Gzip.deflate(Array(document[..<middle])) + Gzip.deflate(Array(document[middle...]))
        try Client.withService { harness in
            try harness.deliver(
                Client.firehose(requestID: Client.newRequestID(), records: [Gzip.deflate(inner), multiMember]),
                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 2)
            #expect(lines.contains { Client.string("_raw_base64", in: $0) == Client.base64(inner) })
            #expect(lines.contains { Self.line($0, preserves: #"{"n":6}"#) })
        }
    }

    /// C7: a decompressed document far over 64 KiB on a single line (a 200 KB message) is parsed whole.
    @Test func c7LargeSingleLineDocument() throws {
        let message = #"{"blob":"\#(String(repeating: "abcdefghij", count: 20_000))","n":7}"#
        let document = Self.dataDocument(message)
        #expect(document.count > 200_000)
        try Client.withService { harness in
            try harness.deliver(Client.firehose(requestID: Client.newRequestID(), records: [Gzip.deflate(document)]),
                                status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 1)
            #expect(lines.first.map { Self.line($0, preserves: message) } == true)
        }
    }

    /// C8: a 56-digit event id stays a string, digit for digit.
    @Test func c8LongEventIDKeptAsString() throws {
        #expect(Self.longID.count == 56)
        try Client.withService { harness in
            try harness.deliver(
                Client.firehose(requestID: Client.newRequestID(), records: [Gzip.deflate(Self.dataDocument("x"))]),
                status: 200)
            let lines = try harness.lines()
            guard let line = lines.first, let (tape, node) = Self.context(line),
                let idNode = tape.value(forKey: "id", in: node)
            else {
                Issue.record("no cloudwatch_logs.id")
                return
            }
            #expect(tape.kind(idNode) == .string)
            #expect(tape.string(idNode) == Self.longID)
        }
    }

    /// C9 (decided: quarantine): a record whose gzip is corrupt or truncated → 200 with the record kept losslessly
    /// as `_raw_base64` plus `_decode_error` (never a silent loss); the good record next to it is stored normally.
    @Test func c9CorruptGzipRecordQuarantined() throws {
        let good = Gzip.deflate(Self.dataDocument(#"{"n":9}"#))
        let padding = String(repeating: "z", count: 200)
        var corrupt = Gzip.deflate(Self.dataDocument(#"{"n":"corrupt","pad":"\#(padding)"}"#))
        for index in 12..<20 { corrupt[index] ^= 0x5A }
        let truncated = Array(good.dropLast(6))
        try Client.withService { harness in
            try harness.deliver(
                Client.firehose(requestID: Client.newRequestID(), records: [corrupt, good, truncated]), status: 200)
            let lines = try harness.lines()
            #expect(lines.count == 3)
            let quarantined = lines.compactMap { Client.string("_raw_base64", in: $0) }
            #expect(Set(quarantined) == [Client.base64(corrupt), Client.base64(truncated)])
            #expect(lines.filter { Client.string("_decode_error", in: $0)?.isEmpty == false }.count == 2)
            #expect(lines.contains { Self.line($0, preserves: #"{"n":9}"#) })
        }
    }
}
