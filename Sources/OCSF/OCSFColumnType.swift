/// The storage type of one OCSF scalar attribute, as pinned by the generated class schemas.
public enum OCSFColumnType: String, Sendable, Hashable {
    /// `boolean_t`.
    case bool
    /// `integer_t`, enums and `port_t`: a 32-bit signed integer.
    case int32
    /// `long_t` and `timestamp_t` (epoch milliseconds): a 64-bit signed integer.
    case int64
    /// `float_t`.
    case double
    /// `string_t` and its subtypes (`ip_t`, `uuid_t`, …): UTF-8 text.
    case string
    /// `json_t` and the free-form `object` (`unmapped`, `xattributes`): JSON text.
    case json
    /// `datetime_t` (`*_dt`): RFC 3339 text in the event, epoch milliseconds UTC in storage.
    case timestamp
}
