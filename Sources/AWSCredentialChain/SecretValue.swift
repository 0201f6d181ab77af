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

    /// The API key the secret holds: the string member `api_key` when the text is a JSON object that has one
    /// (the shape Firehose uses), else the whole text as is.
    public var apiKey: String {
        let bytes = Array(secretString.utf8)
        guard bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) == UInt8(ascii: "{"),
            let tape = try? JSONTape(parsing: bytes, limits: JSONLimits(maxDepth: 16, maxNodes: 10_000)),
            tape.kind(tape.rootIndex) == .object,
            let member = tape.value(forKey: "api_key", in: tape.rootIndex),
            let key = tape.string(member)
        else { return secretString }
        return key
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
