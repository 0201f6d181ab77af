/// A member name prepared once for repeated lookups with ``JSONTape/value(forKey:in:caseInsensitive:)``.
public struct JSONKey: Sendable, Hashable, CustomStringConvertible {
    /// The name's UTF-8 bytes.
    public let utf8: [UInt8]
    /// The name.
    public let name: String

    /// Prepares a name.
    /// - Parameter name: the member name (unescaped).
    public init(_ name: String) {
        self.name = name
        self.utf8 = Array(name.utf8)
    }

    /// The name.
    public var description: String { name }
}
