/// One header field line: a name and its value.
public struct HTTPField: Sendable, Hashable {
    /// The field name, with the letter case it was received or created with.
    public var name: String
    /// The field value, without leading or trailing whitespace.
    public var value: String

    /// Creates a field.
    /// - Parameters:
    ///   - name: The field name; compared without regard to ASCII case.
    ///   - value: The field value.
    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}
