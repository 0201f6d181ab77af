import Codecs
import Firehose
import Foundation
import JSONBytes
import NetworkTestSupport

/// Builders and checks shared by the Firehose test suites.
enum TestSupport {
    static let requestID = "1f0e2d3c-4b5a-4697-8887-a9b0c1d2e3f4"

    /// The UTF-8 bytes of a string.
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Standard padded base64 of bytes, as a String.
    static func base64(_ bytes: [UInt8]) -> String { String(decoding: Base64.encode(bytes), as: UTF8.self) }

    /// A request body with the given `data` strings (already base64, inserted verbatim between quotes).
    static func body(
        requestID: String = requestID,
        timestamp: String = "1733300000000",
        dataStrings: [String],
        extra: String = ""
    ) -> [UInt8] {
        let records = dataStrings.map { "{\"data\":\"\($0)\"}" }.joined(separator: ",")
        return bytes("{\"requestId\":\"\(requestID)\",\"timestamp\":\(timestamp),\"records\":[\(records)]\(extra)}")
    }

    /// A request body whose records carry the base64 of each payload.
    static func body(records payloads: [[UInt8]]) -> [UInt8] {
        body(dataStrings: payloads.map(base64))
    }

    /// A head with the default request id and the given encoding.
    static func head(requestID: String? = requestID, contentEncoding: String? = nil) -> FirehoseRequestHead {
        FirehoseRequestHead(requestID: requestID, protocolVersion: "1.0", contentEncoding: contentEncoding)
    }

    /// Decodes a body, returning the error instead of throwing it.
    static func decodeError(
        _ body: [UInt8],
        head: FirehoseRequestHead = head(),
        limits: FirehoseBatchDecoder.Limits = .init()
    ) -> FirehoseError? {
        do {
            _ = try FirehoseBatchDecoder(limits: limits).decode(body: body, head: head)
            return nil
        } catch {
            return error
        }
    }

    /// The events of an unpacked record, or `[]` for empty and control records.
    static func events(_ unpacked: UnpackedRecord) -> [InputEvent] {
        if case .events(let events) = unpacked { return events }
        return []
    }

    /// Whether bytes are exactly one JSON object text according to the strict tape parser.
    static func isJSONObject(_ bytes: [UInt8]) -> Bool {
        guard let tape = try? JSONTape(parsing: bytes) else { return false }
        return tape.kind(tape.rootIndex) == .object
    }

    /// Parses JSON with Foundation for semantic comparisons in tests (never used by the product).
    static func foundationJSON(_ bytes: [UInt8]) -> NSObject? {
        try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? NSObject
    }

    /// A CloudWatch Logs `DATA_MESSAGE` document.
    static func cloudWatchDocument(messages: [String], extra: String = "", eventExtra: String = "") -> [UInt8] {
        let events = messages.enumerated().map { index, message in
            let escaped = String(decoding: jsonString(message), as: UTF8.self)
            let id = "3848" + String(repeating: "0", count: 50) + String(index)
            return "{\"id\":\"\(id)\",\"timestamp\":\(1_725_544_035_523 + index),\"message\":\(escaped)\(eventExtra)}"
        }
        return bytes(
            "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"123456789012\",\"logGroup\":\"/aws/lambda/x\","
                + "\"logStream\":\"2024/12/04/[$LATEST]abc\",\"subscriptionFilters\":[\"to-firehose\"],"
                + "\"logEvents\":[\(events.joined(separator: ","))]\(extra)}"
        )
    }

    /// The CloudWatch Logs control message as CloudWatch sends it.
    static let controlDocument = bytes(
        "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\","
            + "\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":1741312971934,"
            + "\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}"
    )

    /// A JSON string literal for a text.
    static func jsonString(_ text: String) -> [UInt8] {
        var writer = JSONWriter()
        writer.appendString(text)
        return writer.bytes
    }

    /// The shared reference directory, or `nil` when it is not available.
    static func sharedDirectory() -> URL? {
        ReferenceMaterial.sharedDirectory(holding: "data/events")
    }
}
