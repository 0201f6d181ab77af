/// How a leaf's physical values are to be read; written as both the `LogicalType` and the legacy `ConvertedType`.
///
/// Allowed pairs (``ParquetSchema/init(fields:)`` refuses others):
/// - `.none` with any physical type;
/// - `.string` and `.json` with `.byteArray`;
/// - `.timestampMillis` and `.int64` with `.int64`;
/// - `.int8`, `.int16` and `.int32` with `.int32`.
public enum ParquetLogicalType: Sendable, Hashable {
    /// No annotation.
    case none
    /// UTF-8 text: `STRING` and `UTF8`.
    case string
    /// JSON text. Annotated like `.string` (`STRING` and `UTF8`), because Glue and Athena type a `JSON` annotation
    /// as binary; the distinction is kept only in the schema given to the writer.
    case json
    /// Milliseconds since the Unix epoch in UTC: `TIMESTAMP(isAdjustedToUTC=true, unit=MILLIS)` and
    /// `TIMESTAMP_MILLIS`.
    case timestampMillis
    /// A signed 8-bit integer stored as INT32: `INTEGER(8, signed)` and `INT_8`; values are range-checked.
    case int8
    /// A signed 16-bit integer stored as INT32: `INTEGER(16, signed)` and `INT_16`; values are range-checked.
    case int16
    /// A signed 32-bit integer: `INTEGER(32, signed)` and `INT_32`.
    case int32
    /// A signed 64-bit integer: `INTEGER(64, signed)` and `INT_64`.
    case int64
}
