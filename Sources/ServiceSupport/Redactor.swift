/// Replaces secrets in log messages and metadata with `***`.
///
/// Two rules apply:
/// - every occurrence of a configured secret value (for example an access key) is replaced with `***` in the
///   message and in string metadata values;
/// - the whole value of a metadata key that looks sensitive (its lowercased name contains one of
///   ``sensitiveKeyFragments``, such as `authorization` or `token`) is replaced with `***`.
public struct Redactor: Sendable, Hashable {
    /// The replacement text.
    public static let mask = "***"

    /// The key fragments that are always redacted: `access_key`, `authorization`, `api_key`, `secret`,
    /// `password`, `token`.
    public static let defaultSensitiveKeyFragments: [String] = [
        "access_key", "authorization", "api_key", "secret", "password", "token",
    ]

    /// The secret values to hide, longest first so that a secret containing another is hidden whole.
    /// Empty strings are dropped.
    public let secrets: [String]

    /// Lowercased fragments; a metadata key containing any of them (case-insensitively) is redacted.
    public let sensitiveKeyFragments: [String]

    /// Creates a redactor.
    ///
    /// - Parameters:
    ///   - secrets: Secret values to hide wherever they appear. Default: none.
    ///   - sensitiveKeyFragments: Metadata key fragments whose values are always hidden.
    ///     Default: ``defaultSensitiveKeyFragments``.
    public init(secrets: [String] = [], sensitiveKeyFragments: [String] = Redactor.defaultSensitiveKeyFragments) {
        self.secrets = Array(Set(secrets.filter { !$0.isEmpty })).sorted {
            ($0.utf8.count, $0) > ($1.utf8.count, $1)
        }
        self.sensitiveKeyFragments = sensitiveKeyFragments.map { $0.lowercased() }
    }

    /// Returns a copy that also hides `secret`.
    ///
    /// - Parameter secret: Another secret value; an empty string changes nothing.
    /// - Returns: The extended redactor.
    public func adding(secret: String) -> Redactor {
        Redactor(secrets: secrets + [secret], sensitiveKeyFragments: sensitiveKeyFragments)
    }

    /// Tells whether the values of `key` are always hidden.
    ///
    /// - Parameter key: A metadata key.
    /// - Returns: `true` when the lowercased key contains one of ``sensitiveKeyFragments``.
    public func isSensitive(key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveKeyFragments.contains { lowered.contains($0) }
    }

    /// Hides every configured secret inside `text`.
    ///
    /// - Parameter text: Any text.
    /// - Returns: `text` with each occurrence of a secret replaced by `***`.
    public func redact(_ text: String) -> String {
        guard !secrets.isEmpty else { return text }
        var bytes = Array(text.utf8)
        var changed = false
        for secret in secrets {
            if Redactor.replaceOccurrences(of: Array(secret.utf8), in: &bytes) {
                changed = true
            }
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Redacts metadata: sensitive keys get `***`, and secrets inside string values are hidden.
    ///
    /// - Parameter metadata: Metadata to clean.
    /// - Returns: The cleaned metadata (same keys).
    public func redact(_ metadata: [String: LogValue]) -> [String: LogValue] {
        var result = metadata
        for (key, value) in metadata {
            if isSensitive(key: key) {
                result[key] = .string(Redactor.mask)
            } else if case .string(let text) = value {
                let cleaned = redact(text)
                if cleaned != text {
                    result[key] = .string(cleaned)
                }
            }
        }
        return result
    }

    /// Replaces every non-overlapping occurrence of `needle` in `haystack` with the mask.
    ///
    /// - Returns: `true` when anything was replaced.
    private static func replaceOccurrences(of needle: [UInt8], in haystack: inout [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let mask = Array(Redactor.mask.utf8)
        var output: [UInt8] = []
        var index = 0
        var copiedUpTo = 0
        var found = false
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) {
                if !found {
                    output.reserveCapacity(haystack.count)
                    found = true
                }
                output.append(contentsOf: haystack[copiedUpTo..<index])
                output.append(contentsOf: mask)
                index += needle.count
                copiedUpTo = index
            } else {
                index += 1
            }
        }
        guard found else { return false }
        output.append(contentsOf: haystack[copiedUpTo...])
        haystack = output
        return true
    }
}
