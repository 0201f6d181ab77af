/// An HTTP protocol version; only 1.0 and 1.1 are spoken by this package.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version number.
    public let major: Int
    /// The minor version number.
    public let minor: Int

    /// Creates a version.
    /// - Parameters:
    ///   - major: The major version number.
    ///   - minor: The minor version number.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as written on the wire, for example `HTTP/1.1`.
    public var description: String { "HTTP/\(self.major).\(self.minor)" }
}
