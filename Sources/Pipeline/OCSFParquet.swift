import OCSF
import Parquet

/// The Parquet form of OCSF classes and records: every column optional, arrays as 3-level LISTs, `json` and
/// `object` attributes as UTF-8 JSON text, `datetime` attributes as INT64 TIMESTAMP(MILLIS, UTC), `time` and the
/// other `timestamp_t` attributes as plain INT64 epoch milliseconds (OCSF's own type).
enum OCSFParquet {
    /// The Parquet schema of a class.
    /// - Parameter schema: the OCSF class schema.
    /// - Returns: the Parquet schema, one top-level field per column.
    /// - Throws: ``ParquetError`` if the schema is rejected (a defect in the generated schema).
    static func schema(_ schema: OCSFClassSchema) throws(ParquetError) -> ParquetSchema {
        try ParquetSchema(fields: schema.columns.map(field))
    }

    /// The Parquet field of an attribute.
    static func field(_ attribute: OCSFAttribute) -> ParquetField {
        let element: ParquetField
        switch attribute.kind {
        case .group(let children):
            element = .group(name: attribute.name, repetition: .optional, fields: children.map(field))
        case .scalar(let type):
            let (physical, logical) = physicalType(type)
            element = .primitive(name: attribute.name, repetition: .optional, type: physical, logical: logical)
        }
        guard attribute.isArray else { return element }
        return .list(name: attribute.name, repetition: .optional, element: element)
    }

    /// The physical and logical types of a scalar column.
    static func physicalType(_ type: OCSFColumnType) -> (ParquetPhysicalType, ParquetLogicalType) {
        switch type {
        case .bool: return (.boolean, .none)
        case .int32: return (.int32, .none)
        case .int64: return (.int64, .none)
        case .double: return (.double, .none)
        case .string: return (.byteArray, .string)
        case .json: return (.byteArray, .json)
        case .timestamp: return (.int64, .timestampMillis)
        }
    }

    /// The Parquet value of an OCSF value (same shape).
    static func value(_ value: OCSFValue) -> ParquetValue {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int32(let number): return .int32(number)
        case .int64(let number): return .int64(number)
        case .double(let number): return .double(number)
        case .bytes(let bytes): return .bytes(bytes)
        case .group(let values): return .group(values.map(Self.value))
        case .list(let values): return .list(values.map(Self.value))
        }
    }
}
