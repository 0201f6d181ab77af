/// Limits applied while parsing a message head (start line plus header fields).
public struct HTTPHeadLimits: Sendable, Hashable {
    /// The largest head accepted, in bytes, counting the start line, every field line, all CRLFs and any
    /// empty lines before the start line. Default: 81,920 (80 KiB), which leaves room for Firehose's
    /// `X-Amz-Firehose-Common-Attributes` header (up to about 64 KB). Larger heads fail with `headTooLarge`.
    public var maxHeadBytes: Int
    /// The largest number of field lines accepted. Default: 256. More fail with `tooManyHeaders`.
    public var maxHeaderCount: Int

    /// Creates limits.
    /// - Parameters:
    ///   - maxHeadBytes: The head byte limit; default 81,920 (80 KiB).
    ///   - maxHeaderCount: The field line limit; default 256.
    public init(maxHeadBytes: Int = 81_920, maxHeaderCount: Int = 256) {
        self.maxHeadBytes = maxHeadBytes
        self.maxHeaderCount = maxHeaderCount
    }
}
