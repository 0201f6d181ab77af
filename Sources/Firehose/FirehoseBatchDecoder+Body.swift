import Codecs
import JSONBytes

extension FirehoseBatchDecoder {
    /// How the body is encoded, from `Content-Encoding`.
    enum ContentCoding {
        /// Absent, empty or `identity`: the body is the JSON text.
        case identity
        /// `gzip` or `x-gzip` (any case).
        case gzip

        /// Reads a `Content-Encoding` value: a comma-separated list where `identity` entries are ignored and at
        /// most one gzip entry may remain.
        /// - Throws: ``FirehoseError/Code/unsupportedContentEncoding`` for anything else.
        init(_ header: String?, requestID: String?) throws(FirehoseError) {
            let codings = (header ?? "").split(separator: ",")
                .map { $0.trimmingASCIIWhitespace().lowercased() }
                .filter { !$0.isEmpty && $0 != "identity" }
            switch codings {
            case []: self = .identity
            case ["gzip"], ["x-gzip"]: self = .gzip
            default:
                throw FirehoseError(
                    code: .unsupportedContentEncoding,
                    message: "unsupported Content-Encoding \"\(String((header ?? "").prefix(100)))\"; "
                        + "only gzip and identity are accepted",
                    requestID: requestID
                )
            }
        }
    }

    /// The top-level members Firehose defines, located once; duplicates of them are refused.
    struct TopLevelFields {
        /// The `requestId` value node.
        var requestID: Int?
        /// The `timestamp` value node.
        var timestamp: Int?
        /// The `records` value node.
        var records: Int?

        /// Finds the members in a root object.
        /// - Throws: ``FirehoseError/Code/invalidBody`` when one of them appears twice.
        init(tape: JSONTape, headerID: String?) throws(FirehoseError) {
            for member in tape.members(tape.rootIndex) {
                let slot: WritableKeyPath<TopLevelFields, Int?>
                let name: String
                if tape.key(member.key, is: "requestId") {
                    (slot, name) = (\.requestID, "requestId")
                } else if tape.key(member.key, is: "records") {
                    (slot, name) = (\.records, "records")
                } else if tape.key(member.key, is: "timestamp") {
                    (slot, name) = (\.timestamp, "timestamp")
                } else {
                    continue
                }
                guard self[keyPath: slot] == nil else {
                    throw FirehoseError(
                        code: .invalidBody,
                        message: "the body has more than one \"\(name)\" field",
                        requestID: headerID
                    )
                }
                self[keyPath: slot] = member.value
            }
        }
    }

    /// Decodes the `records` array.
    func decodeRecords(tape: JSONTape, node: Int?, requestID: String) throws(FirehoseError) -> [[UInt8]] {
        guard let node else {
            throw FirehoseError(
                code: .missingRecords,
                message: "the body has no \"records\" field",
                requestID: requestID
            )
        }
        guard tape.kind(node) == .array else {
            throw FirehoseError(
                code: .missingRecords,
                message: "\"records\" is \(tape.kindName(node)), not an array",
                requestID: requestID
            )
        }
        let count = tape.count(node)
        guard count <= limits.maxRecords else {
            throw FirehoseError(
                code: .tooManyRecords,
                message: "the request has \(count) records; at most \(limits.maxRecords) are accepted",
                requestID: requestID
            )
        }
        var records: [[UInt8]] = []
        records.reserveCapacity(count)
        for (index, element) in tape.children(node).enumerated() {
            records.append(try decodeRecord(tape: tape, node: element, index: index, requestID: requestID))
        }
        return records
    }

    /// Decodes one record's `data`.
    private func decodeRecord(tape: JSONTape, node: Int, index: Int, requestID: String) throws(FirehoseError)
        -> [UInt8]
    {
        func failure(_ code: FirehoseError.Code, _ message: String) -> FirehoseError {
            FirehoseError(code: code, message: "record \(index): \(message)", recordIndex: index, requestID: requestID)
        }
        guard tape.kind(node) == .object else {
            throw failure(.invalidRecord, "is \(tape.kindName(node)), not an object")
        }
        var data: Int?
        for member in tape.members(node) where tape.key(member.key, is: "data") {
            guard data == nil else { throw failure(.invalidRecord, "has more than one \"data\" field") }
            data = member.value
        }
        guard let data else { throw failure(.invalidRecord, "has no \"data\" field") }
        guard tape.kind(data) == .string else {
            throw failure(.invalidRecord, "\"data\" is \(tape.kindName(data)), not a base64 string")
        }
        let decoded: [UInt8]
        do {
            decoded = try tape.withStringBytes(data) { (text) throws(Base64Error) in try Base64.decode(text) }
        } catch {
            throw failure(.invalidBase64, "\"data\" is not valid base64: \(error)")
        }
        guard decoded.count <= limits.maxRecordBytes else {
            throw failure(
                .recordTooLarge,
                "decodes to \(decoded.count) bytes; at most \(limits.maxRecordBytes) are accepted"
            )
        }
        return decoded
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
