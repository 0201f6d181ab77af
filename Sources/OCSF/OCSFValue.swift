/// One value of a shredded OCSF record, shaped like the attribute it belongs to.
public indirect enum OCSFValue: Sendable, Equatable {
    /// Absent or JSON `null`.
    case null
    /// A Boolean.
    case bool(Bool)
    /// An `int32` column value.
    case int32(Int32)
    /// An `int64` or `timestamp` column value (timestamps in epoch milliseconds).
    case int64(Int64)
    /// A `double` column value.
    case double(Double)
    /// UTF-8 text of a `string` or `json` column.
    case bytes([UInt8])
    /// A group's values, in the order of its attributes.
    case group([OCSFValue])
    /// An array's elements.
    case list([OCSFValue])
}
