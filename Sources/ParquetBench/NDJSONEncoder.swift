import Parquet

/// Writes rows of a schema as NDJSON, the same values the Parquet file holds (timestamps as epoch milliseconds), so
/// pyarrow can build the same table and gzip NDJSON can be compared by size.
enum NDJSONEncoder {
    /// Appends one row as a JSON object and a newline.
    /// - Parameters:
    ///   - row: The row.
    ///   - fields: The top-level fields.
    ///   - output: Where the line is appended.
    static func append(_ row: [ParquetValue], fields: [ParquetField], to output: inout [UInt8]) {
        appendObject(row, fields: fields, to: &output)
        output.append(UInt8(ascii: "\n"))
    }

    /// Appends a group as an object keyed by field name.
    private static func appendObject(_ values: [ParquetValue], fields: [ParquetField], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        for (index, (field, value)) in zip(fields, values).enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            appendString(Array(field.name.utf8), to: &output)
            output.append(UInt8(ascii: ":"))
            appendValue(value, field: field, to: &output)
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Appends one value.
    private static func appendValue(_ value: ParquetValue, field: ParquetField, to output: inout [UInt8]) {
        switch value {
        case .null: output.append(contentsOf: Array("null".utf8))
        case .bool(let flag): output.append(contentsOf: Array((flag ? "true" : "false").utf8))
        case .int32(let number): output.append(contentsOf: Array(String(number).utf8))
        case .int64(let number): output.append(contentsOf: Array(String(number).utf8))
        case .float(let number): output.append(contentsOf: Array("\(number)".utf8))
        case .double(let number): output.append(contentsOf: Array("\(number)".utf8))
        case .bytes(let bytes): appendString(bytes, to: &output)
        case .group(let values):
            if case .group(_, _, let fields) = field { appendObject(values, fields: fields, to: &output) }
        case .list(let items):
            output.append(UInt8(ascii: "["))
            let element: ParquetField =
                if case .list(_, _, let element) = field { element } else { field }
            for (index, item) in items.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                appendValue(item, field: element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
    }

    /// Appends a JSON string, escaping quotes, backslashes and control characters.
    private static func appendString(_ bytes: [UInt8], to output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                output.append(UInt8(ascii: "\\"))
                output.append(byte)
            case 0..<0x20:
                output.append(contentsOf: Array("\\u00".utf8))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
