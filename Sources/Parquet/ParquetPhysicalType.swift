/// The storage type of a leaf column, as Parquet's `Type` (INT96 and FIXED_LEN_BYTE_ARRAY are not written).
public enum ParquetPhysicalType: Sendable, Hashable {
    /// One bit per value (`BOOLEAN`).
    case boolean
    /// A 32-bit signed integer (`INT32`).
    case int32
    /// A 64-bit signed integer (`INT64`).
    case int64
    /// An IEEE 754 single-precision number (`FLOAT`).
    case float
    /// An IEEE 754 double-precision number (`DOUBLE`).
    case double
    /// A length-prefixed run of bytes (`BYTE_ARRAY`).
    case byteArray
}
