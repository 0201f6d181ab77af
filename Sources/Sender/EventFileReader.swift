import Codecs
import JSONBytes

/// Reads event files and extracts the records to send, each as its original bytes.
///
/// Detected shapes (see ``EventFileKind``):
/// - a JSON array → each element's exact byte range;
/// - `{"Records":[…]}` (CloudTrail) → each element's exact byte range;
/// - `{"records":[{"data":…}]}` with `requestId` (Firehose request body) or without (Firehose
///   data-transformation event) → each base64-decoded `data`, unchanged (gzip records stay gzip);
/// - `{"records":[{"data_decoded":…,"data_encoding":…}]}` (fixture decoded twins) → each `data_decoded`
///   serialised compactly, with a trailing newline when the encoding mentions `newline`, gzip-compressed when it
///   mentions `gzip`;
/// - `{"awslogs":{"data":…}}` (CloudWatch Logs Lambda event) → the base64-decoded `data`;
/// - any other JSON object → the object's exact bytes;
/// - text that is not one JSON value → NDJSON: each non-blank line's exact bytes (without the line terminator).
public struct EventFileReader: Sendable {
    /// Creates a reader.
    public init() {}

    /// Extracts the records of one file's contents.
    ///
    /// - Parameters:
    ///   - bytes: The file contents. A leading UTF-8 byte order mark is ignored.
    ///   - path: The file path, used in records and error messages.
    /// - Returns: The detected kind and the records.
    /// - Throws: ``SenderError`` with code `notJSON` when the contents are neither one JSON value nor NDJSON,
    ///   or `invalidEventFile` when a recognised shape has invalid content.
    public func parse(_ bytes: [UInt8], path: String) throws(SenderError) -> EventFile {
        let content = EventFileReader.hasByteOrderMark(bytes) ? Array(bytes.dropFirst(3)) : bytes
        if content.allSatisfy(EventFileReader.isWhitespace) {
            return EventFile(path: path, kind: .ndjson, records: [])
        }
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: content)
        } catch {
            return try parseLines(content, path: path)
        }
        return try classify(tape, path: path)
    }

    /// Tells whether `bytes` start (after an optional byte order mark and whitespace) with `{` or `[`.
    ///
    /// - Parameter bytes: File contents.
    /// - Returns: `true` when the file looks like JSON or NDJSON.
    public static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
        let start = hasByteOrderMark(bytes) ? 3 : 0
        guard let first = bytes[start...].first(where: { !isWhitespace($0) }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    // MARK: - Shapes

    /// Picks the records out of a whole-file JSON value.
    private func classify(_ tape: JSONTape, path: String) throws(SenderError) -> EventFile {
        let root = tape.rootIndex
        switch tape.kind(root) {
        case .array:
            return EventFile(path: path, kind: .jsonArray, records: elements(tape, root, path: path))
        case .object:
            break
        default:
            throw SenderError(
                code: .invalidEventFile,
                message: "\(path): the top-level JSON value is not an object or an array"
            )
        }
        if let trail = tape.value(forKey: "Records", in: root), tape.kind(trail) == .array {
            return EventFile(path: path, kind: .cloudTrail, records: elements(tape, trail, path: path))
        }
        if let records = tape.value(forKey: "records", in: root), tape.kind(records) == .array,
            let file = try firehoseRecords(tape, records, path: path)
        {
            return file
        }
        if tape.count(root) == 1, let logs = tape.value(forKey: "awslogs", in: root), tape.kind(logs) == .object,
            let data = tape.value(forKey: "data", in: logs), tape.kind(data) == .string
        {
            let bytes = try decodeBase64(tape, data, path: path, what: "awslogs.data")
            let record = EventRecord(bytes: bytes, file: path, index: 0)
            return EventFile(path: path, kind: .cloudWatchLogsEvent, records: [record])
        }
        let whole = Array(tape.rawBytes(root))
        return EventFile(path: path, kind: .singleObject, records: [EventRecord(bytes: whole, file: path, index: 0)])
    }

    /// The exact bytes of each element of an array node.
    private func elements(_ tape: JSONTape, _ array: Int, path: String) -> [EventRecord] {
        var records: [EventRecord] = []
        records.reserveCapacity(tape.count(array))
        for (index, element) in tape.children(array).enumerated() {
            records.append(EventRecord(bytes: Array(tape.rawBytes(element)), file: path, index: index))
        }
        return records
    }

    /// Reads a `records` array of Firehose shape; returns `nil` when the array is not Firehose-shaped and the
    /// object has no Firehose envelope field (so it is treated as a single object).
    private func firehoseRecords(_ tape: JSONTape, _ records: Int, path: String) throws(SenderError) -> EventFile? {
        let root = tape.rootIndex
        let isRequest = tape.value(forKey: "requestId", in: root) != nil
        let isEnvelope = isRequest || tape.value(forKey: "invocationId", in: root) != nil
        let items = Array(tape.children(records))
        let isTwin = !items.isEmpty && items.allSatisfy { item in
            tape.kind(item) == .object && tape.value(forKey: "data_decoded", in: item) != nil
        }
        if isTwin {
            var result: [EventRecord] = []
            for (index, item) in items.enumerated() {
                result.append(EventRecord(bytes: twinBytes(tape, item), file: path, index: index))
            }
            return EventFile(path: path, kind: .decodedFixture, records: result)
        }
        let hasData = items.allSatisfy { item in
            guard tape.kind(item) == .object, let data = tape.value(forKey: "data", in: item) else { return false }
            return tape.kind(data) == .string
        }
        guard hasData && (isEnvelope || !items.isEmpty) else {
            guard isEnvelope else { return nil }
            let bad = items.firstIndex { item in
                guard tape.kind(item) == .object, let data = tape.value(forKey: "data", in: item) else { return true }
                return tape.kind(data) != .string
            } ?? 0
            throw SenderError(code: .invalidEventFile, message: "\(path): records[\(bad)] has no string \"data\"")
        }
        var result: [EventRecord] = []
        result.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            guard let data = tape.value(forKey: "data", in: item) else { continue }
            let bytes = try decodeBase64(tape, data, path: path, what: "records[\(index)].data")
            result.append(EventRecord(bytes: bytes, file: path, index: index))
        }
        return EventFile(path: path, kind: isRequest ? .firehoseRequest : .firehoseTransformation, records: result)
    }

    /// Rebuilds the record bytes of a decoded-twin entry from `data_decoded` and `data_encoding`.
    private func twinBytes(_ tape: JSONTape, _ item: Int) -> [UInt8] {
        guard let decoded = tape.value(forKey: "data_decoded", in: item) else { return [] }
        let encoding = tape.value(forKey: "data_encoding", in: item).flatMap { tape.string($0) } ?? "base64(json)"
        let lowered = encoding.lowercased()
        var bytes: [UInt8]
        if tape.kind(decoded) == .string && !lowered.contains("json") {
            bytes = tape.stringBytes(decoded) ?? []
        } else {
            bytes = JSONCompactor.compact(tape.rawBytes(decoded))
        }
        if lowered.contains("newline") {
            bytes.append(UInt8(ascii: "\n"))
        }
        if lowered.contains("gzip") {
            bytes = Gzip.deflate(bytes, level: 6)
        }
        return bytes
    }

    /// Decodes a base64 string node.
    private func decodeBase64(
        _ tape: JSONTape,
        _ node: Int,
        path: String,
        what: String
    ) throws(SenderError) -> [UInt8] {
        let text = tape.stringBytes(node) ?? []
        do {
            return try Base64.decode(text, options: Base64.DecodingOptions(ignoresWhitespace: true))
        } catch {
            throw SenderError(code: .invalidEventFile, message: "\(path): \(what) is not valid base64 (\(error))")
        }
    }

    // MARK: - NDJSON

    /// Splits text into lines and checks that each non-blank line is one JSON value.
    private func parseLines(_ content: [UInt8], path: String) throws(SenderError) -> EventFile {
        var records: [EventRecord] = []
        var lineStart = 0
        var lineNumber = 0
        while lineStart < content.count {
            lineNumber += 1
            let newline = content[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? content.count
            var lineEnd = newline
            if lineEnd > lineStart && content[lineEnd - 1] == UInt8(ascii: "\r") {
                lineEnd -= 1
            }
            let line = content[lineStart..<lineEnd]
            lineStart = newline + 1
            if line.allSatisfy(EventFileReader.isWhitespace) { continue }
            do {
                _ = try JSONTape(parsing: line)
            } catch {
                throw SenderError(
                    code: .notJSON,
                    message: "\(path): not JSON, a JSON array or NDJSON (line \(lineNumber): \(error))"
                )
            }
            records.append(EventRecord(bytes: Array(line), file: path, index: records.count))
        }
        return EventFile(path: path, kind: .ndjson, records: records)
    }

    // MARK: - Bytes

    /// JSON whitespace.
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            || byte == UInt8(ascii: "\t")
    }

    /// Tells whether `bytes` start with the UTF-8 byte order mark.
    static func hasByteOrderMark(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    }
}
