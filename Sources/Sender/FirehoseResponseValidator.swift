import JSONBytes

/// The verdict on one Firehose response.
public enum FirehoseResponseOutcome: Sendable, Hashable {
    /// The response meets every rule: the batch counts as delivered. Carries the response `timestamp`.
    case delivered(timestampMillis: Int64)
    /// The response breaks a rule; Firehose would retry (or, for 413, give up). Carries the reason.
    case failed(status: Int, reason: String)

    /// `true` for ``delivered(timestampMillis:)``.
    public var isDelivered: Bool {
        if case .delivered = self { return true }
        return false
    }
}

/// Judges responses the way Amazon Data Firehose does.
///
/// A response counts as delivered only when all of these hold: status 200; a `Content-Type` whose media type
/// is `application/json`; no `Content-Encoding`; a body that is one JSON object whose `requestId` is the string
/// sent, whose `timestamp` is a number, and which has no members other than `requestId`, `timestamp` and
/// `errorMessage`. Anything else is a failure with a reason (including the response `errorMessage` when there
/// is one).
public enum FirehoseResponseValidator {
    /// The most body bytes quoted in a failure reason.
    static let quotedBodyLimit = 200

    /// Judges one response.
    ///
    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - headers: The response headers.
    ///   - body: The response body as received (not decompressed).
    ///   - requestID: The request id that was sent.
    /// - Returns: The verdict.
    public static func validate(
        status: Int,
        headers: [(String, String)],
        body: [UInt8],
        requestID: String
    ) -> FirehoseResponseOutcome {
        func fail(_ reason: String) -> FirehoseResponseOutcome {
            .failed(status: status, reason: reason)
        }
        let contentEncoding = header("Content-Encoding", in: headers)
        let tape = contentEncoding == nil ? try? JSONTape(parsing: body) : nil
        let root = tape?.rootIndex ?? 0
        let errorMessage = tape.flatMap { tape in
            tape.kind(root) == .object ? tape.value(forKey: "errorMessage", in: root).flatMap { tape.string($0) } : nil
        }
        guard status == 200 else {
            var reason = "HTTP \(status)"
            if let errorMessage {
                reason += ": " + errorMessage
            } else if !body.isEmpty {
                reason += ": " + quote(body)
            }
            return fail(reason)
        }
        guard let contentType = header("Content-Type", in: headers) else {
            return fail("HTTP 200 without Content-Type")
        }
        let mediaType = contentType.split(separator: ";").first.map { $0.trimmingSpaces.lowercased() } ?? ""
        guard mediaType == "application/json" else {
            return fail("HTTP 200 with Content-Type \(contentType), not application/json")
        }
        if let contentEncoding {
            return fail("HTTP 200 with Content-Encoding \(contentEncoding); the response must not be compressed")
        }
        guard let tape, tape.kind(root) == .object else {
            return fail("HTTP 200 with a body that is not a JSON object: " + quote(body))
        }
        guard let idNode = tape.value(forKey: "requestId", in: root) else {
            return fail("HTTP 200 without requestId")
        }
        guard let echoed = tape.string(idNode), echoed == requestID else {
            return fail("HTTP 200 with requestId \(String(decoding: tape.rawBytes(idNode).prefix(80), as: UTF8.self)), "
                + "expected \"\(requestID)\"")
        }
        guard let timestampNode = tape.value(forKey: "timestamp", in: root), tape.kind(timestampNode) == .number else {
            return fail("HTTP 200 without a numeric timestamp")
        }
        for member in tape.members(root) {
            let name = tape.string(member.key) ?? ""
            guard name == "requestId" || name == "timestamp" || name == "errorMessage" else {
                return fail("HTTP 200 with unexpected member \"\(name)\"")
            }
        }
        let timestamp = tape.int64(timestampNode) ?? Int64(tape.double(timestampNode) ?? 0)
        return .delivered(timestampMillis: timestamp)
    }

    /// The first value of a header, matched case-insensitively.
    static func header(_ name: String, in headers: [(String, String)]) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.0.lowercased() == wanted }?.1
    }

    /// The start of a body as printable one-line text.
    static func quote(_ body: [UInt8]) -> String {
        let shown = body.prefix(quotedBodyLimit).map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: " ") : $0 }
        var text = String(decoding: shown, as: UTF8.self)
        if body.count > quotedBodyLimit {
            text += "…"
        }
        return text
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
