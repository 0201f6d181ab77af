/// Writes response heads for a server.
///
/// The serializer owns the framing fields: it always writes `Content-Length` (except for 1xx, 204 and 304,
/// where RFC 9110 forbids a body), never `Transfer-Encoding`, and `Connection: close` when the connection will
/// close (or `Connection: keep-alive` for an HTTP/1.0 client whose connection stays open). Any
/// `Content-Length`, `Transfer-Encoding`, `Connection` or `Keep-Alive` field in the response is replaced. A
/// `Date` field is added unless the response has one. Fields with an invalid name or value (for example one
/// holding CR or LF) are left out, so a handler cannot split the response. Responses are never compressed.
public enum ResponseSerializer {
    private static let managedFields = ["Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive"]

    /// Whether a response with `status` may carry a body and a `Content-Length`.
    /// - Parameter status: The response status.
    /// - Returns: `false` for 1xx, 204 and 304.
    public static func allowsBody(_ status: HTTPStatus) -> Bool {
        status.code >= 200 && status.code != 204 && status.code != 304
    }

    /// Serializes the status line and header section of `response`.
    /// - Parameters:
    ///   - response: The response; only its status and headers are written, plus the body length.
    ///   - closeConnection: Whether the server closes the connection after this response.
    ///   - requestVersion: The version of the request being answered; HTTP/1.0 clients that keep the connection
    ///     open get `Connection: keep-alive`.
    ///   - date: The `Date` value to use when the response has none; see ``HTTPDate``.
    /// - Returns: The head bytes, ending with the empty line.
    public static func serializeHead(
        _ response: HTTPResponse,
        closeConnection: Bool,
        requestVersion: HTTPVersion,
        date: String
    ) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(128 + response.headers.count * 48)
        bytes.append(contentsOf: "HTTP/1.1 ".utf8)
        let code = min(max(response.status.code, 100), 999)
        bytes.append(contentsOf: String(code).utf8)
        bytes.append(ASCII.space)
        let reason = response.status.reasonPhrase
        let isReasonValid = reason.utf8.allSatisfy(ASCII.isFieldValueChar)
        bytes.append(contentsOf: (isReasonValid ? reason : HTTPStatus.reasonPhrase(for: code)).utf8)
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
        var hasDate = false
        for field in response.headers {
            guard HTTPFieldValidation.isValidName(field.name), HTTPFieldValidation.isValidValue(field.value),
                !Self.managedFields.contains(where: { ASCII.caseInsensitiveEquals($0, field.name) })
            else {
                continue
            }
            hasDate = hasDate || ASCII.caseInsensitiveEquals(field.name, "Date")
            HTTPFieldValidation.appendField(name: field.name, value: field.value, to: &bytes)
        }
        if !hasDate {
            HTTPFieldValidation.appendField(name: "Date", value: date, to: &bytes)
        }
        if Self.allowsBody(HTTPStatus(code: code, reasonPhrase: "")) {
            HTTPFieldValidation.appendField(name: "Content-Length", value: String(response.body.count), to: &bytes)
        }
        if closeConnection {
            HTTPFieldValidation.appendField(name: "Connection", value: "close", to: &bytes)
        } else if requestVersion == .http1_0 {
            HTTPFieldValidation.appendField(name: "Connection", value: "keep-alive", to: &bytes)
        }
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
        return bytes
    }

    /// Serializes a whole response, head and body, into one buffer.
    ///
    /// Meant for small responses such as error answers; large bodies are better written after the head
    /// without copying.
    /// - Parameters:
    ///   - response: The response.
    ///   - closeConnection: Whether the server closes the connection after this response.
    ///   - requestVersion: The version of the request being answered.
    ///   - includeBody: Whether to append the body (pass `false` when answering HEAD).
    ///   - date: The `Date` value to use when the response has none.
    /// - Returns: The response bytes.
    public static func serialize(
        _ response: HTTPResponse,
        closeConnection: Bool,
        requestVersion: HTTPVersion,
        includeBody: Bool,
        date: String
    ) -> [UInt8] {
        var bytes = Self.serializeHead(
            response,
            closeConnection: closeConnection,
            requestVersion: requestVersion,
            date: date
        )
        if includeBody, Self.allowsBody(response.status) {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }
}
