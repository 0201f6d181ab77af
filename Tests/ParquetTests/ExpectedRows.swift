import Foundation
import Parquet

/// Builds what `parquet_reader.py` should print for rows, from the schema and the values the writer was given,
/// and compares JSON trees in a canonical form.
enum ExpectedRows {
    /// The rows as JSON objects keyed by field name, normalised like the reader script.
    static func rows(_ fields: [ParquetField], _ rows: [[ParquetValue]]) -> [Any] {
        rows.map { row in
            var object: [String: Any] = [:]
            for (field, value) in zip(fields, row) { object[field.name] = json(field, value) }
            return object
        }
    }

    /// One value as JSON.
    static func json(_ field: ParquetField, _ value: ParquetValue) -> Any {
        if case .null = value { return NSNull() }
        switch field {
        case .primitive(_, let repetition, let type, let logical):
            if repetition == .repeated, case .list(let items) = value {
                let element = ParquetField.primitive(name: "", repetition: .required, type: type, logical: logical)
                return items.map { json(element, $0) }
            }
            return scalar(value, type: type, logical: logical)
        case .group(let name, let repetition, let fields):
            if repetition == .repeated, case .list(let items) = value {
                let element = ParquetField.group(name: name, repetition: .required, fields: fields)
                return items.map { json(element, $0) }
            }
            guard case .group(let values) = value else { return "unexpected" }
            var object: [String: Any] = [:]
            for (child, childValue) in zip(fields, values) { object[child.name] = json(child, childValue) }
            return object
        case .list(_, _, let element):
            guard case .list(let items) = value else { return "unexpected" }
            return items.map { json(element, $0) }
        }
    }

    /// A leaf value as JSON.
    private static func scalar(_ value: ParquetValue, type: ParquetPhysicalType, logical: ParquetLogicalType) -> Any {
        switch value {
        case .bool(let flag): return flag
        case .int32(let number): return Int(number)
        case .int64(let number): return Int(number)
        case .float(let number): return floating(Double(number))
        case .double(let number): return floating(number)
        case .bytes(let bytes):
            if logical == .string || logical == .json { return String(decoding: bytes, as: UTF8.self) }
            return ["hex": bytes.map { String(format: "%02x", $0) }.joined()]
        default: return "unexpected"
        }
    }

    /// A floating-point value as the reader normalises it: `f:` and the shortest round-trip text (Python's `repr`
    /// and Swift's `description` agree, `nan` and `inf` included).
    static func floating(_ number: Double) -> Any {
        "f:\(number)"
    }

    /// A JSON tree as canonical text (sorted keys), for comparisons with readable differences.
    static func canonical(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        else { return "<not JSON>" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The first row where two row lists differ, as a message, or `nil` when they are equal.
    static func firstDifference(_ actual: Any?, _ expected: [Any]) -> String? {
        guard let actualRows = actual as? [Any] else { return "the reader returned no row list" }
        guard actualRows.count == expected.count else {
            return "the reader returned \(actualRows.count) rows, expected \(expected.count)"
        }
        for (index, (left, right)) in zip(actualRows, expected).enumerated() {
            let leftText = canonical(left)
            let rightText = canonical(right)
            if leftText != rightText { return "row \(index):\n  read     \(leftText)\n  expected \(rightText)" }
        }
        return nil
    }
}
