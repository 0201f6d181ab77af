/// Writes request heads for a client.
///
/// The serializer owns the framing: it writes `Content-Length` when there is a body (or the method normally
/// carries one) and never `Transfer-Encoding`; any such fields given by the caller are replaced. It adds
/// `Host` first unless the caller supplied one.
public enum RequestSerializer {
    /// Serializes a request line and header section.
    /// - Parameters:
    ///   - method: The request method.
    ///   - target: The request target in origin-form (`/path?query`).
    ///   - headers: The caller's header fields.
    ///   - host: The `Host` value used when `headers` has none, for example `127.0.0.1:8080`.
    ///   - bodyLength: The number of body bytes that will follow the head.
    /// - Returns: The head bytes, ending with the empty line.
    /// - Throws: `invalidRequestLine` for an invalid method token, `invalidTarget` for a target that is not
    ///   visible ASCII, `invalidHeader` for an invalid field name or value.
    public static func serializeHead(
        method: HTTPMethod,
        target: String,
        headers: HTTPHeaders,
        host: String,
        bodyLength: Int
    ) throws(HTTPParseError) -> [UInt8] {
        guard HTTPFieldValidation.isValidName(method.rawValue) else {
            throw HTTPParseError(.invalidRequestLine)
        }
        guard !target.isEmpty, target.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw HTTPParseError(.invalidTarget)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(96 + target.utf8.count + headers.count * 48)
        bytes.append(contentsOf: method.rawValue.utf8)
        bytes.append(ASCII.space)
        bytes.append(contentsOf: target.utf8)
        bytes.append(contentsOf: " HTTP/1.1\r\n".utf8)
        if !headers.contains("Host") {
            guard HTTPFieldValidation.isValidValue(host) else {
                throw HTTPParseError(.invalidHeader)
            }
            HTTPFieldValidation.appendField(name: "Host", value: host, to: &bytes)
        }
        for field in headers {
            guard HTTPFieldValidation.isValidName(field.name), HTTPFieldValidation.isValidValue(field.value) else {
                throw HTTPParseError(.invalidHeader)
            }
            if ASCII.caseInsensitiveEquals(field.name, "Content-Length")
                || ASCII.caseInsensitiveEquals(field.name, "Transfer-Encoding")
            {
                continue
            }
            HTTPFieldValidation.appendField(name: field.name, value: field.value, to: &bytes)
        }
        if bodyLength > 0 || method == .post || method == .put || method == .patch {
            HTTPFieldValidation.appendField(name: "Content-Length", value: String(bodyLength), to: &bytes)
        }
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
        return bytes
    }
}
