/// The canonical URI of SigV4, in its two flavours.
///
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical URI) and, for S3,
/// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html.
enum CanonicalPath {
    /// The S3 canonical URI: the wire path itself, checked to be a percent-encoded absolute path.
    ///
    /// No normalisation and no second encoding: `/a//b/../c%20d` stays exactly that.
    ///
    /// - Parameter path: The path as sent.
    /// - Returns: The path bytes.
    /// - Throws: ``SigningError/Code/invalidRequest`` when the path does not start with `/`, holds a byte that
    ///   cannot appear unencoded in a path (space, control, non-ASCII, `?`, `#`, `"`, …), or a malformed `%` escape.
    static func s3(_ path: String) throws(SigningError) -> [UInt8] {
        let bytes = Array(path.utf8)
        guard bytes.first == UInt8(ascii: "/") else {
            throw SigningError(code: .invalidRequest, message: "the path must start with '/'")
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count,
                    URIEncoding.hexValue(bytes[index + 1]) != nil,
                    URIEncoding.hexValue(bytes[index + 2]) != nil
                else {
                    throw SigningError(code: .invalidRequest, message: "malformed percent-encoding in the path")
                }
                index += 3
                continue
            }
            guard isPathCharacter(byte) else {
                throw SigningError(
                    code: .invalidRequest,
                    message: "the path is not percent-encoded (byte 0x\(String(byte, radix: 16)) at offset \(index))"
                )
            }
            index += 1
        }
        return bytes
    }

    /// The canonical URI of other services: the path, optionally normalised, then `UriEncode`d once more with `/`
    /// kept (so an existing `%20` becomes `%2520`).
    ///
    /// - Parameters:
    ///   - path: The path as sent.
    ///   - normalize: Whether to remove `.` and `..` segments and empty segments (`//`) first.
    /// - Returns: The canonical URI bytes.
    /// - Throws: ``SigningError/Code/invalidRequest`` when the path does not start with `/`.
    static func generic(_ path: String, normalize: Bool) throws(SigningError) -> [UInt8] {
        guard path.utf8.first == UInt8(ascii: "/") else {
            throw SigningError(code: .invalidRequest, message: "the path must start with '/'")
        }
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count + 16)
        URIEncoding.append((normalize ? normalized(path) : path).utf8, keepingSlash: true, to: &out)
        return out
    }

    /// Removes dot segments and empty segments from an absolute path.
    ///
    /// `.` segments and empty segments are dropped, `..` drops the segment before it (never above the root), and a
    /// trailing `/` is kept when at least one segment remains: `//example//` becomes `/example/`, `/a/b/../..`
    /// becomes `/`.
    ///
    /// - Parameter path: An absolute path.
    /// - Returns: The normalised path, at least `/`.
    static func normalized(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".":
                continue
            case "..":
                _ = segments.popLast()
            default:
                segments.append(segment)
            }
        }
        guard !segments.isEmpty else { return "/" }
        let trailing = path.hasSuffix("/") ? "/" : ""
        return "/" + segments.joined(separator: "/") + trailing
    }

    /// Whether `byte` may appear unencoded in a path (RFC 3986 `pchar` without `%`, plus `/`).
    private static func isPathCharacter(_ byte: UInt8) -> Bool {
        if URIEncoding.isUnreserved(byte) { return true }
        switch byte {
        case UInt8(ascii: "/"), UInt8(ascii: ":"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "$"),
            UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "*"),
            UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
