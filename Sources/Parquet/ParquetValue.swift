/// One value of a row handed to ``ParquetFileWriter/append(row:)``, shaped like the schema.
///
/// Not `indirect`: groups and lists already hold their values in arrays, so scalars stay unboxed (no allocation per
/// value).
public enum ParquetValue: Sendable, Hashable {
    /// A missing value, for optional fields.
    case null
    /// A value for a BOOLEAN column.
    case bool(Bool)
    /// A value for an INT32 column (also accepted by INT64 columns, widened).
    case int32(Int32)
    /// A value for an INT64 column.
    case int64(Int64)
    /// A value for a FLOAT column.
    case float(Float)
    /// A value for a DOUBLE column (a `.float` is also accepted, widened).
    case double(Double)
    /// A value for a BYTE_ARRAY column; UTF-8 for string and JSON columns (not checked).
    case bytes([UInt8])
    /// The values of a group, in the order of the group's fields.
    case group([ParquetValue])
    /// The elements of a LIST or of a repeated field.
    case list([ParquetValue])
}

extension ParquetValue {
    /// A `.bytes` value holding the UTF-8 encoding of a string.
    /// - Parameter text: The text.
    /// - Returns: `.bytes` with the text's UTF-8 bytes.
    public static func string(_ text: String) -> ParquetValue {
        .bytes(Array(text.utf8))
    }
}
