import Foundation
import JSONBytes

/// A secret read from Secrets Manager. Its text never appears in ``description``, ``debugDescription`` or the
/// reflection mirror.
public struct SecretValue: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret text: `SecretString`, or `SecretBinary` decoded from base64 when that is UTF-8.
    public let secretString: String
    /// The version ID of the secret, when the service sent it.
    public let versionID: String?

    /// Creates a value.
    ///
    /// - Parameters:
    ///   - secretString: The secret text.
    ///   - versionID: The version ID, or `nil` (the default).
    public init(secretString: String, versionID: String? = nil) {
        self.secretString = secretString
        self.versionID = versionID
    }

    /// The API key the secret holds: the string member `api_key` when the text is a JSON object (the shape
    /// Firehose uses), else the whole text; surrounding whitespace (a trailing newline) is removed either way.
    ///
    /// A JSON object without a string `api_key` (database credentials behind a wrong ARN, say) is refused rather
    /// than sent whole as the key; so is text that opens like JSON but does not parse, and an empty key.
    /// - Throws: ``CredentialError`` with code ``CredentialError/Code/invalidConfiguration``; the message never
    ///   contains the secret.
    public func apiKey() throws(CredentialError) -> String {
        let text = Self.trimmed(secretString)
        guard text.hasPrefix("{") else {
            guard !text.isEmpty else { throw Self.refusal("the secret is empty") }
            return text
        }
        guard let tape = try? JSONTape(parsing: Array(text.utf8), limits: JSONLimits(maxDepth: 16, maxNodes: 10_000)),
            tape.kind(tape.rootIndex) == .object
        else { throw Self.refusal("the secret starts like a JSON object but is not valid JSON") }
        guard let member = tape.value(forKey: "api_key", in: tape.rootIndex), let key = tape.string(member) else {
            throw Self.refusal(
                "the secret is a JSON object without a string \"api_key\" member (the whole secret is never sent)")
        }
        let trimmedKey = Self.trimmed(key)
        guard !trimmedKey.isEmpty else { throw Self.refusal("the secret's \"api_key\" member is empty") }
        return trimmedKey
    }

    private static func refusal(_ message: String) -> CredentialError {
        CredentialError(code: .invalidConfiguration, source: "secretsManager", message: message)
    }

    private static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The version ID; the secret is redacted.
    public var description: String {
        "SecretValue(secretString: <redacted>, versionID: \(versionID ?? "none"))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror whose secret child is redacted.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: ["secretString": "<redacted>", "versionID": versionID ?? "none"],
            displayStyle: .struct
        )
    }
}
