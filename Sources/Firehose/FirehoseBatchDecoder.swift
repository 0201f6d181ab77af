import Codecs
import JSONBytes

/// Turns a Firehose HTTP endpoint request body into a ``FirehoseBatch``.
///
/// Steps: `Content-Encoding` (gzip or x-gzip in any case, multi-member, capped; identity or absent = raw; anything
/// else 415), an optional UTF-8 byte order mark is skipped, the body is parsed as strict JSON (trailing bytes,
/// invalid UTF-8 or a truncated text are 400), the request ids are checked, then every record's `data` is
/// base64-decoded (``Base64`` decisions: padding optional, whitespace skipped, URL-safe alphabet rejected).
/// Unknown top-level and record fields are ignored; `timestamp` may have any type. `"records": []` is an empty
/// batch (the caller answers 200). Any problem fails the whole request with a ``FirehoseError``; nothing is
/// silently dropped.
public struct FirehoseBatchDecoder: Sendable {
    /// Size bounds applied while decoding.
    public struct Limits: Sendable {
        /// The largest body after decompression, in bytes. Default: 65 MiB (Firehose's 64 MiB plus 1 MiB).
        public var maxDecompressedBodyBytes: Int
        /// The most records in one request. Default: 10,000 (the Firehose maximum).
        public var maxRecords: Int
        /// The largest record after base64 decoding, in bytes; larger is ``FirehoseError/Code/recordTooLarge``
        /// (an error, never a silent drop). Default: 1,024,000 (the Firehose maximum).
        public var maxRecordBytes: Int
        /// The most JSON values in the body. Default: 200,000 (Firehose sends three per record).
        public var maxBodyJSONValues: Int
        /// The deepest JSON nesting in the body. Default: 64.
        public var maxBodyJSONDepth: Int

        /// Creates limits.
        /// - Parameters:
        ///   - maxDecompressedBodyBytes: The largest body after decompression, in bytes. Default: 65 MiB.
        ///   - maxRecords: The most records. Default: 10,000.
        ///   - maxRecordBytes: The largest decoded record, in bytes. Default: 1,024,000.
        ///   - maxBodyJSONValues: The most JSON values in the body. Default: 200,000.
        ///   - maxBodyJSONDepth: The deepest nesting in the body. Default: 64.
        public init(
            maxDecompressedBodyBytes: Int = 65 << 20,
            maxRecords: Int = 10_000,
            maxRecordBytes: Int = 1_024_000,
            maxBodyJSONValues: Int = 200_000,
            maxBodyJSONDepth: Int = 64
        ) {
            self.maxDecompressedBodyBytes = maxDecompressedBodyBytes
            self.maxRecords = maxRecords
            self.maxRecordBytes = maxRecordBytes
            self.maxBodyJSONValues = maxBodyJSONValues
            self.maxBodyJSONDepth = maxBodyJSONDepth
        }
    }

    /// The bounds in force.
    public let limits: Limits

    /// Creates a decoder.
    /// - Parameter limits: Size bounds. Default: the Firehose maxima (see ``Limits``).
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// Decodes a request body.
    /// - Parameters:
    ///   - body: The body bytes as received (possibly gzip-compressed).
    ///   - head: The request's Firehose headers.
    /// - Returns: The request id, timestamp and decoded records.
    /// - Throws: ``FirehoseError`` with the status to answer and the id to echo.
    public func decode(body: [UInt8], head: FirehoseRequestHead) throws(FirehoseError) -> FirehoseBatch {
        let text = try decodedBodyText(body, head: head)
        let tape: JSONTape
        do {
            tape = try JSONTape(
                parsing: text,
                limits: JSONLimits(maxDepth: limits.maxBodyJSONDepth, maxNodes: limits.maxBodyJSONValues)
            )
        } catch {
            if head.requestID == nil { throw missingHeaderID(bodyID: nil) }
            throw FirehoseError(
                code: .invalidJSON,
                message: "request body is not valid JSON: \(error)",
                requestID: head.requestID
            )
        }
        let root = tape.rootIndex
        guard tape.kind(root) == .object else {
            if head.requestID == nil { throw missingHeaderID(bodyID: nil) }
            throw FirehoseError(
                code: .invalidBody,
                message: "request body is not a JSON object",
                requestID: head.requestID
            )
        }
        let fields = try TopLevelFields(tape: tape, headerID: head.requestID)
        let requestID = try checkedRequestID(tape: tape, fields: fields, headerID: head.requestID)
        let records = try decodeRecords(tape: tape, node: fields.records, requestID: requestID)
        let timestamp = fields.timestamp.flatMap { tape.int64($0) }
        return FirehoseBatch(requestID: requestID, timestampMillis: timestamp, records: records)
    }

    /// The body as JSON text: decompressed per `Content-Encoding`, size-checked, byte order mark skipped.
    private func decodedBodyText(_ body: [UInt8], head: FirehoseRequestHead) throws(FirehoseError) -> [UInt8] {
        let requestID = head.requestID
        var text = body
        switch try ContentCoding(head.contentEncoding, requestID: requestID) {
        case .identity:
            break
        case .gzip:
            do {
                text = try Gzip.inflate(body, limit: limits.maxDecompressedBodyBytes)
            } catch {
                throw gzipFailure(error, requestID: requestID)
            }
        }
        guard text.count <= limits.maxDecompressedBodyBytes else {
            throw FirehoseError(
                code: .bodyTooLarge,
                message: "request body is larger than \(limits.maxDecompressedBodyBytes) bytes",
                requestID: requestID
            )
        }
        if text.count >= 3 && text[0] == 0xEF && text[1] == 0xBB && text[2] == 0xBF {
            text.removeFirst(3)
        }
        return text
    }

    /// Maps an inflate failure of the whole body to a request error.
    private func gzipFailure(_ error: GzipError, requestID: String?) -> FirehoseError {
        switch error.code {
        case .tooLarge:
            FirehoseError(
                code: .bodyTooLarge,
                message: "decompressed request body exceeds \(limits.maxDecompressedBodyBytes) bytes",
                requestID: requestID
            )
        case .notGzip:
            FirehoseError(
                code: .invalidGzipBody,
                message: "Content-Encoding is gzip but the body is not gzip data",
                requestID: requestID
            )
        default:
            FirehoseError(code: .invalidGzipBody, message: "request body: \(error)", requestID: requestID)
        }
    }

    /// The longest body request id echoed when the header has none (Firehose's ids are 36-character UUIDs).
    static let maxEchoedBodyRequestIDBytes = 1_024

    /// The error for a request without a header id, echoing the body id when one is known and not over
    /// ``maxEchoedBodyRequestIDBytes`` (a huge id must not make a huge answer).
    private func missingHeaderID(bodyID: String?) -> FirehoseError {
        let message = "the \(FirehoseRequestHead.HeaderName.requestID) header is missing"
        guard let bodyID, bodyID.utf8.count > Self.maxEchoedBodyRequestIDBytes else {
            return FirehoseError(code: .missingRequestID, message: message, requestID: bodyID)
        }
        return FirehoseError(
            code: .missingRequestID,
            message: message + " (the body's requestId, \(bodyID.utf8.count) bytes, is too long to echo)",
            requestID: nil
        )
    }

    /// Checks the header and body request ids and returns the id of the request.
    func checkedRequestID(tape: JSONTape, fields: TopLevelFields, headerID: String?) throws(FirehoseError)
        -> String
    {
        let bodyID = fields.requestID.flatMap { tape.string($0) }.flatMap { $0.isEmpty ? nil : $0 }
        guard let headerID else { throw missingHeaderID(bodyID: bodyID) }
        guard let bodyID else {
            throw FirehoseError(
                code: .missingBodyRequestID,
                message: "the body has no non-empty \"requestId\" string",
                requestID: headerID
            )
        }
        guard bodyID == headerID else {
            throw FirehoseError(
                code: .requestIDMismatch,
                message: "the body requestId \"\(bodyID.prefix(200))\" differs from the header request id",
                requestID: headerID
            )
        }
        return headerID
    }
}
