/// A metadata value attached to a log message: a string, an integer, a floating-point number or a Boolean.
///
/// Literals convert implicitly, so metadata can be written as `["status": 200, "path": "/", "ok": true]`.
public enum LogValue: Sendable, Hashable {
    /// A string, written as a JSON string.
    case string(String)
    /// An integer, written as a JSON number.
    case int(Int)
    /// A floating-point number, written as a JSON number (non-finite values are written as strings).
    case double(Double)
    /// A Boolean, written as `true` or `false`.
    case bool(Bool)
}

extension LogValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    /// Creates a string value from a literal.
    ///
    /// - Parameter value: The literal.
    public init(stringLiteral value: String) {
        self = .string(value)
    }

    /// Creates a string value from an interpolated literal.
    ///
    /// - Parameter stringInterpolation: The interpolation.
    public init(stringInterpolation: DefaultStringInterpolation) {
        self = .string(String(stringInterpolation: stringInterpolation))
    }
}

extension LogValue: ExpressibleByIntegerLiteral {
    /// Creates an integer value from a literal.
    ///
    /// - Parameter value: The literal.
    public init(integerLiteral value: Int) {
        self = .int(value)
    }
}

extension LogValue: ExpressibleByFloatLiteral {
    /// Creates a floating-point value from a literal.
    ///
    /// - Parameter value: The literal.
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}

extension LogValue: ExpressibleByBooleanLiteral {
    /// Creates a Boolean value from a literal.
    ///
    /// - Parameter value: The literal.
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension LogValue: CustomStringConvertible {
    /// The value as plain text (strings without quotes).
    public var description: String {
        switch self {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        }
    }
}
