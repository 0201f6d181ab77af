import HTTPClient
import HTTPCore

extension S3Error {
    /// The longest message kept from S3's answer, in characters.
    static let maxMessageLength = 300

    /// Builds the error S3 answered: code, message and request id from the XML body when there is one, else
    /// from the status (HEAD answers and some 5xx have no body).
    /// - Parameters:
    ///   - response: The non-2xx (or 200-with-`<Error>`) response.
    ///   - operation: The API operation, for the message when S3 gave none.
    init(response: HTTPResponse, operation: String) {
        let body = response.body
        let status = response.status.code
        let code = S3XML.firstText(of: "Code", in: body).flatMap { $0.isEmpty ? nil : $0 }
        var message = S3XML.firstText(of: "Message", in: body) ?? "\(operation) failed with HTTP \(status)"
        if let region = response.headers["x-amz-bucket-region"] {
            message += " (the bucket is in region \(region))"
        }
        self.init(
            code.map { Code(rawValue: $0) } ?? Self.code(forStatus: status),
            Self.singleLine(message),
            httpStatus: status,
            requestID: S3XML.firstText(of: "RequestId", in: body) ?? response.headers["x-amz-request-id"],
            hostID: S3XML.firstText(of: "HostId", in: body) ?? response.headers["x-amz-id-2"]
        )
    }

    /// Builds the error for a request that got no usable answer.
    /// - Parameters:
    ///   - transport: The HTTP client's error.
    ///   - operation: The API operation.
    init(transport: HTTPClientError, operation: String) {
        let detail = transport.detail.map { ": \($0)" } ?? ""
        let code: Code
        switch transport.code {
        case .connectFailed:
            code = .connectionFailed
        case .timeout:
            code = .timedOut
        case .connectionReset, .ioFailed:
            code = .connectionReset
        case .invalidURL, .invalidRequest:
            code = .invalidConfiguration
        default:
            code = .invalidResponse
        }
        let errno = transport.errnoCode.map { " (errno \($0))" } ?? ""
        self.init(code, Self.singleLine("\(operation): \(transport.code)\(detail)\(errno)"))
    }

    /// The code for an answer without an XML body.
    static func code(forStatus status: Int) -> Code {
        switch status {
        case 301: return .permanentRedirect
        case 403: return .accessDenied
        case 404: return Code(rawValue: "NotFound")
        case 500: return .internalError
        case 503: return .serviceUnavailable
        default: return Code(rawValue: "HTTP\(status)")
        }
    }

    /// Collapses line breaks and bounds the length, so a message fits one log line and a Firehose answer.
    static func singleLine(_ text: String) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        return flat.count > self.maxMessageLength ? String(flat.prefix(self.maxMessageLength)) + "…" : flat
    }
}
