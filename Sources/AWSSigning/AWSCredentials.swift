import Foundation

/// An AWS access key pair, with the session token of temporary credentials.
///
/// The secret access key and the session token never appear in ``description``, ``debugDescription`` or the
/// reflection mirror used by `dump(_:)` and default `print` output of containing types.
public struct AWSCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The access key ID, for example `AKIAIOSFODNN7EXAMPLE` (long-term) or `ASIA…` (temporary).
    public let accessKeyID: String
    /// The secret access key; only the signing key derivation reads it.
    public let secretAccessKey: String
    /// The session token of temporary credentials, sent as `X-Amz-Security-Token`; `nil` for long-term keys.
    public let sessionToken: String?
    /// When temporary credentials stop working; `nil` when they do not expire.
    public let expiration: Date?

    /// Creates credentials.
    ///
    /// - Parameters:
    ///   - accessKeyID: The access key ID.
    ///   - secretAccessKey: The secret access key.
    ///   - sessionToken: The session token, or `nil` (the default) for long-term keys.
    ///   - expiration: The expiry time, or `nil` (the default) when the credentials do not expire.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Date? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
    }

    /// Whether the credentials have expired at `date` (an expiry equal to `date` counts as expired).
    ///
    /// - Parameter date: The time to check against.
    /// - Returns: `false` when ``expiration`` is `nil`.
    public func isExpired(at date: Date) -> Bool {
        guard let expiration else { return false }
        return expiration <= date
    }

    /// The access key ID, whether a token is present and the expiry; the secret and the token are redacted.
    public var description: String {
        let token = sessionToken == nil ? "none" : "<redacted>"
        let expiry = expiration.map { String(describing: $0) } ?? "none"
        return "AWSCredentials(accessKeyID: \(accessKeyID), secretAccessKey: <redacted>, sessionToken: \(token), "
            + "expiration: \(expiry))"
    }

    /// The same as ``description``.
    public var debugDescription: String { description }

    /// A mirror whose secret children are redacted, so `dump(_:)` and reflection never print them.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": accessKeyID,
                "secretAccessKey": "<redacted>",
                "sessionToken": sessionToken == nil ? "none" : "<redacted>",
                "expiration": expiration.map { String(describing: $0) } ?? "none",
            ],
            displayStyle: .struct
        )
    }
}
