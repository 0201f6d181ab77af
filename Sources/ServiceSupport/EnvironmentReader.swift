#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads configuration from environment variables, with typed helpers whose errors name the variable.
///
/// A variable that is set to the empty string counts as unset. Values are trimmed of surrounding spaces and
/// tabs before typed parsing (not for ``string(_:)``). Error messages quote at most the first 64 characters of
/// a bad value, and never the value of a variable whose name looks secret (see ``Redactor``).
public struct EnvironmentReader: Sendable {
    private let lookup: @Sendable (String) -> String?

    /// Creates a reader of the process environment (`getenv`).
    public init() {
        lookup = { name in
            guard let pointer = getenv(name) else { return nil }
            return String(cString: pointer)
        }
    }

    /// Creates a reader over fixed values, for tests.
    ///
    /// - Parameter values: The variables and their values.
    public init(values: [String: String]) {
        lookup = { values[$0] }
    }

    /// The raw value of a variable.
    ///
    /// - Parameter name: The variable name.
    /// - Returns: The value, or `nil` when the variable is unset or empty.
    public func string(_ name: String) -> String? {
        guard let value = lookup(name), !value.isEmpty else { return nil }
        return value
    }

    /// The raw value of a variable, or a default.
    ///
    /// - Parameters:
    ///   - name: The variable name.
    ///   - defaultValue: Returned when the variable is unset or empty.
    /// - Returns: The value or `defaultValue`.
    public func string(_ name: String, default defaultValue: String) -> String {
        string(name) ?? defaultValue
    }

    /// The value of a variable that must be set.
    ///
    /// - Parameter name: The variable name.
    /// - Returns: The value.
    /// - Throws: ``EnvironmentError`` with code `missing` when the variable is unset or empty.
    public func require(_ name: String) throws(EnvironmentError) -> String {
        guard let value = string(name) else {
            throw EnvironmentError(code: .missing, variable: name, message: "environment variable \(name) is not set")
        }
        return value
    }

    /// An integer variable (decimal, optional sign, `_` separators allowed).
    ///
    /// - Parameters:
    ///   - name: The variable name.
    ///   - defaultValue: Returned when the variable is unset or empty.
    ///   - range: The allowed values. Default: any `Int`.
    /// - Returns: The parsed value or `defaultValue`.
    /// - Throws: ``EnvironmentError`` with code `invalidInteger` or `outOfRange`.
    public func int(
        _ name: String,
        default defaultValue: Int,
        range: ClosedRange<Int> = Int.min...Int.max
    ) throws(EnvironmentError) -> Int {
        guard let raw = string(name) else { return defaultValue }
        let text = EnvironmentReader.trimmed(raw).filter { $0 != "_" }
        guard let value = Int(text) else {
            throw failure(.invalidInteger, name, raw, "is not an integer")
        }
        guard range.contains(value) else {
            throw failure(.outOfRange, name, raw, "is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A floating-point variable.
    ///
    /// - Parameters:
    ///   - name: The variable name.
    ///   - defaultValue: Returned when the variable is unset or empty.
    ///   - range: The allowed values. Default: any finite value.
    /// - Returns: The parsed value or `defaultValue`.
    /// - Throws: ``EnvironmentError`` with code `invalidNumber` or `outOfRange`.
    public func double(
        _ name: String,
        default defaultValue: Double,
        range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude
    ) throws(EnvironmentError) -> Double {
        guard let raw = string(name) else { return defaultValue }
        guard let value = Double(EnvironmentReader.trimmed(raw)), value.isFinite else {
            throw failure(.invalidNumber, name, raw, "is not a number")
        }
        guard range.contains(value) else {
            throw failure(.outOfRange, name, raw, "is outside \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// A Boolean variable: `true/false`, `1/0`, `yes/no` or `on/off`, case-insensitively.
    ///
    /// - Parameters:
    ///   - name: The variable name.
    ///   - defaultValue: Returned when the variable is unset or empty.
    /// - Returns: The parsed value or `defaultValue`.
    /// - Throws: ``EnvironmentError`` with code `invalidBoolean`.
    public func bool(_ name: String, default defaultValue: Bool) throws(EnvironmentError) -> Bool {
        guard let raw = string(name) else { return defaultValue }
        switch EnvironmentReader.trimmed(raw).lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw failure(.invalidBoolean, name, raw, "is not a Boolean (true/false, 1/0, yes/no, on/off)")
        }
    }

    /// A variable restricted to a set of words, compared case-insensitively.
    ///
    /// - Parameters:
    ///   - name: The variable name.
    ///   - choices: The allowed words, lowercase.
    ///   - defaultValue: Returned when the variable is unset or empty.
    /// - Returns: The lowercased value or `defaultValue`.
    /// - Throws: ``EnvironmentError`` with code `invalidChoice`.
    public func choice(_ name: String, of choices: [String], default defaultValue: String) throws(EnvironmentError)
        -> String
    {
        guard let raw = string(name) else { return defaultValue }
        let value = EnvironmentReader.trimmed(raw).lowercased()
        guard choices.contains(value) else {
            throw failure(.invalidChoice, name, raw, "is not one of \(choices.joined(separator: ", "))")
        }
        return value
    }

    /// A comma-separated list; items are trimmed and empty items dropped.
    ///
    /// - Parameters:
    ///   - name: The variable name.
    ///   - separator: The item separator. Default: `,`.
    /// - Returns: The items, or an empty list when the variable is unset or empty.
    public func list(_ name: String, separator: Character = ",") -> [String] {
        guard let raw = string(name) else { return [] }
        return raw.split(separator: separator).map { EnvironmentReader.trimmed(String($0)) }.filter { !$0.isEmpty }
    }

    /// Builds an error naming the variable and, unless the name looks secret, quoting the start of the value.
    private func failure(_ code: EnvironmentError.Code, _ name: String, _ raw: String, _ problem: String)
        -> EnvironmentError
    {
        let shown: String
        if Redactor().isSensitive(key: name) {
            shown = Redactor.mask
        } else if raw.count > 64 {
            shown = String(raw.prefix(64)) + "…"
        } else {
            shown = raw
        }
        let message = "environment variable \(name)=\"\(shown)\" \(problem)"
        return EnvironmentError(code: code, variable: name, message: message)
    }

    /// Removes leading and trailing spaces and tabs.
    private static func trimmed(_ text: String) -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isBlank($0) }),
            let last = text.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(text[first...last])
    }
}
