/// The kind of a JSON value, as recorded on a ``JSONTape``.
public enum JSONKind: UInt8, Sendable {
    /// `{…}`
    case object
    /// `[…]`
    case array
    /// `"…"`
    case string
    /// A number in RFC 8259 grammar.
    case number
    /// `true`
    case `true`
    /// `false`
    case `false`
    /// `null`
    case null
}
