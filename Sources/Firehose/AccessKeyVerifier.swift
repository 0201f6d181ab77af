/// Checks `X-Amz-Firehose-Access-Key` against zero or more configured keys.
///
/// Several keys can be active at once for rotation (Firehose re-reads a Secrets Manager key every 10 minutes, so
/// old and new keys overlap). The comparison reads every byte of every configured key up to a length that
/// depends only on the longest key and the presented value, and never exits early, so its time does not depend
/// on the key contents or on where a mismatch is. With no keys configured every request is accepted.
public struct AccessKeyVerifier: Sendable {
    /// The configured keys as bytes (empty strings are ignored).
    private let keys: [[UInt8]]
    /// The length of the longest configured key.
    private let longestKey: Int

    /// Creates a verifier.
    /// - Parameter keys: The accepted keys, compared byte for byte with the header value (no trimming).
    ///   Empty strings are ignored, so `[]` or `[""]` disables the check.
    public init(keys: [String]) {
        self.keys = keys.filter { !$0.isEmpty }.map { Array($0.utf8) }
        self.longestKey = self.keys.map(\.count).max() ?? 0
    }

    /// Whether any key is configured (otherwise ``verify(_:)`` accepts everything).
    public var isEnabled: Bool { !keys.isEmpty }

    /// Whether a request may be ingested: its key is accepted, and it did not send the header twice while keys are
    /// configured (a proxy in front may have judged another of the values).
    /// - Parameter head: The request's Firehose headers.
    /// - Returns: `true` when ``verify(_:)`` accepts the key and the header was not repeated.
    public func accepts(_ head: FirehoseRequestHead) -> Bool {
        verify(head.accessKey) && !(head.accessKeyRepeated && isEnabled)
    }

    /// Checks a presented key.
    /// - Parameter presented: The `X-Amz-Firehose-Access-Key` header value, or `nil` when absent.
    /// - Returns: `true` when no key is configured, or when `presented` equals one of the configured keys.
    public func verify(_ presented: String?) -> Bool {
        guard isEnabled else { return true }
        guard let presented else { return false }
        let candidate = Array(presented.utf8)
        let length = max(candidate.count, longestKey)
        var matches: UInt8 = 0
        for key in keys {
            var difference: UInt8 = key.count == candidate.count ? 0 : 1
            key.withUnsafeBufferPointer { expected in
                candidate.withUnsafeBufferPointer { actual in
                    for index in 0..<length {
                        let left = index < expected.count ? expected[index] : 0
                        let right = index < actual.count ? actual[index] : 0
                        difference |= left ^ right
                    }
                }
            }
            matches |= difference == 0 ? 1 : 0
        }
        return matches == 1
    }
}
