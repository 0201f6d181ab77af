/// The canonical headers and the signed-headers list of SigV4.
///
/// Names are lower-cased; values are trimmed and every run of spaces, tabs and folded line breaks becomes one space
/// (also inside quotes); repeated names are joined with `,` in the order sent; entries are sorted by name.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical headers).
struct CanonicalHeaders {
    /// `name:value\n` for each signed header, sorted by name.
    var block: [UInt8] = []
    /// The signed header names joined with `;`, sorted.
    var signedNames: [UInt8] = []

    /// Headers a transport adds or rewrites after signing, which therefore can never be signed.
    static let unsignable: Set<String> = [
        "authorization", "accept-encoding", "connection", "expect", "keep-alive", "proxy-authenticate",
        "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "user-agent",
        "x-amzn-trace-id",
    ]

    /// One header that goes into the canonical form.
    private struct Entry {
        var name: [UInt8]
        var value: [UInt8]
        var order: Int
    }

    /// Selects, normalises and sorts the signed headers.
    ///
    /// - Parameters:
    ///   - headers: The caller's headers in wire order.
    ///   - markedNames: Further names the caller wants signed (any case).
    ///   - reservedNames: Lower-case names the signer sets itself, which the caller must not send.
    ///   - generated: Lower-case headers the signer adds and signs (`x-amz-date`, …).
    /// - Throws: ``SigningError/Code/invalidRequest`` for a malformed name or value, a missing, repeated or empty
    ///   `Host`, a reserved header, or a marked header that can never be signed.
    init(
        headers: [(name: String, value: String)],
        markedNames: [String],
        reservedNames: [String],
        generated: [(name: String, value: String)]
    ) throws(SigningError) {
        var marked = Set<String>()
        for name in markedNames {
            let lower = Self.lowercased(name)
            guard !Self.unsignable.contains(lower) else {
                throw SigningError(code: .invalidRequest, message: "header \(lower) cannot be signed")
            }
            marked.insert(lower)
        }
        var entries: [Entry] = []
        entries.reserveCapacity(headers.count + generated.count)
        var hostCount = 0
        for (order, header) in headers.enumerated() {
            guard Self.isToken(header.name) else {
                throw SigningError(code: .invalidRequest, message: "malformed header name")
            }
            let name = Self.lowercased(header.name)
            if reservedNames.contains(name) {
                throw SigningError(code: .invalidRequest, message: "header \(name) is set by the signer")
            }
            guard
                name == "host" || name.hasPrefix("x-amz-") || name == "content-type" || name == "content-md5"
                    || marked.contains(name)
            else { continue }
            guard let value = Self.trimmed(header.value) else {
                throw SigningError(code: .invalidRequest, message: "malformed value of header \(name)")
            }
            if name == "host" {
                hostCount += 1
                guard !value.isEmpty else { throw SigningError(code: .invalidRequest, message: "empty host header") }
            }
            entries.append(Entry(name: Array(name.utf8), value: value, order: order))
        }
        guard hostCount == 1 else {
            throw SigningError(
                code: .invalidRequest,
                message: hostCount == 0 ? "the host header is missing" : "the host header is repeated"
            )
        }
        for (offset, header) in generated.enumerated() {
            entries.append(
                Entry(name: Array(header.name.utf8), value: Array(header.value.utf8), order: headers.count + offset)
            )
        }
        entries.sort { left, right in
            if left.name != right.name { return left.name.lexicographicallyPrecedes(right.name) }
            return left.order < right.order
        }
        var index = 0
        while index < entries.count {
            let name = entries[index].name
            if !signedNames.isEmpty { signedNames.append(UInt8(ascii: ";")) }
            signedNames.append(contentsOf: name)
            block.append(contentsOf: name)
            block.append(UInt8(ascii: ":"))
            block.append(contentsOf: entries[index].value)
            index += 1
            while index < entries.count, entries[index].name == name {
                block.append(UInt8(ascii: ","))
                block.append(contentsOf: entries[index].value)
                index += 1
            }
            block.append(UInt8(ascii: "\n"))
        }
    }

    /// ASCII lower-casing (header names are ASCII tokens).
    static func lowercased(_ name: String) -> String {
        var bytes = Array(name.utf8)
        for index in bytes.indices where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") {
            bytes[index] += 32
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `name` is a non-empty RFC 9110 token.
    static func isToken(_ name: String) -> Bool {
        guard !name.isEmpty else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "!#$%&'*+-.^_`|~".utf8.contains(byte)
            }
        }
    }

    /// The SigV4 form of a header value: trimmed, with each run of whitespace collapsed to one space.
    ///
    /// Whitespace is space, tab, and a line break that folds the value onto the next line (obs-fold: CR LF or LF
    /// followed by a space or tab).
    ///
    /// - Parameter value: The value as sent.
    /// - Returns: The value bytes, or `nil` when it holds a control character, a bare CR or a line break that does
    ///   not fold (which would split the header on the wire).
    static func trimmed(_ value: String) -> [UInt8]? {
        let bytes = Array(value.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var pendingSpace = false
        for (index, byte) in bytes.enumerated() {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                pendingSpace = true
            case UInt8(ascii: "\r"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "\n") else { return nil }
                pendingSpace = true
            case UInt8(ascii: "\n"):
                guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: " ") || bytes[index + 1] == 9 else {
                    return nil
                }
                pendingSpace = true
            case 0..<0x20, 0x7F:
                return nil
            default:
                if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
                pendingSpace = false
                out.append(byte)
            }
        }
        return out
    }
}
