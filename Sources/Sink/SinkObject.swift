/// One object to store: a key (a relative path with `/` separators) and its bytes.
public struct SinkObject: Sendable, Hashable {
    /// The object key, for example `"events/dt=2026-12-04/part-0001.json.gz"`.
    ///
    /// Keys are relative: no leading `/`, no empty, `.` or `..` segments, no NUL or control characters, at most
    /// 1,024 bytes, segments of at most 255 bytes, and the last segment must not start with `.tmp-`.
    public var key: String
    /// The object content, stored exactly.
    public var body: [UInt8]

    /// Creates an object.
    ///
    /// - Parameters:
    ///   - key: The relative key.
    ///   - body: The content.
    public init(key: String, body: [UInt8]) {
        self.key = key
        self.body = body
    }
}
