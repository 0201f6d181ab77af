import HTTPCore
import Testing

@Suite struct HTTPBodyFramingTests {
    private func head(_ fields: [(String, String)], version: HTTPVersion = .http1_1) -> HTTPRequestHead {
        HTTPRequestHead(
            method: .post,
            target: "/",
            path: "/",
            query: nil,
            version: version,
            headers: HTTPHeaders(fields.map { HTTPField(name: $0.0, value: $0.1) })
        )
    }

    private func framingError(_ fields: [(String, String)], version: HTTPVersion = .http1_1) -> HTTPParseError.Code? {
        do {
            _ = try HTTPBodyFraming.forRequest(self.head(fields, version: version))
            return nil
        } catch {
            return error.code
        }
    }

    private func responseFraming(
        _ code: Int,
        _ fields: [(String, String)],
        method: HTTPMethod = .get
    ) throws
        -> HTTPBodyFraming
    {
        let head = HTTPResponseHead(
            version: .http1_1,
            status: HTTPStatus(code: code),
            headers: HTTPHeaders(fields.map { HTTPField(name: $0.0, value: $0.1) })
        )
        return try HTTPBodyFraming.forResponse(head, requestMethod: method)
    }

    @Test func requestFramingFromHeaders() throws {
        #expect(try HTTPBodyFraming.forRequest(self.head([])) == .none)
        #expect(try HTTPBodyFraming.forRequest(self.head([("Content-Length", "0")])) == .none)
        #expect(try HTTPBodyFraming.forRequest(self.head([("Content-Length", "42")])) == .contentLength(42))
        #expect(try HTTPBodyFraming.forRequest(self.head([("content-length", "7, 7")])) == .contentLength(7))
        let repeated = self.head([("Content-Length", "7"), ("Content-Length", "7")])
        #expect(try HTTPBodyFraming.forRequest(repeated) == .contentLength(7))
        #expect(try HTTPBodyFraming.forRequest(self.head([("Transfer-Encoding", "Chunked")])) == .chunked)
    }

    @Test func contentLengthPlusTransferEncodingIsRejected() {
        #expect(self.framingError([("Content-Length", "5"), ("Transfer-Encoding", "chunked")]) == .conflictingFraming)
        #expect(HTTPParseError(.conflictingFraming).status.code == 400)
    }

    @Test(arguments: ["-1", "+5", "5a", "", "1 2", "0x10", "1234567890123456789", "5, 6", "5,,5"])
    func invalidContentLengths(_ value: String) {
        #expect(self.framingError([("Content-Length", value)]) == .invalidContentLength)
    }

    @Test func conflictingDuplicateContentLengths() {
        #expect(self.framingError([("Content-Length", "5"), ("Content-Length", "6")]) == .invalidContentLength)
    }

    @Test func transferEncodingRules() {
        #expect(self.framingError([("Transfer-Encoding", "gzip, chunked")]) == .unsupportedTransferEncoding)
        #expect(self.framingError([("Transfer-Encoding", "gzip")]) == .unsupportedTransferEncoding)
        #expect(HTTPParseError(.unsupportedTransferEncoding).status.code == 501)
        #expect(self.framingError([("Transfer-Encoding", "chunked, chunked")]) == .invalidTransferEncoding)
        #expect(self.framingError([("Transfer-Encoding", "")]) == .invalidTransferEncoding)
        #expect(self.framingError([("Transfer-Encoding", "chunked")], version: .http1_0) == .invalidTransferEncoding)
    }

    @Test func responseFraming() throws {
        #expect(try self.responseFraming(200, [("Content-Length", "3")]) == .contentLength(3))
        #expect(try self.responseFraming(200, [("Content-Length", "3")], method: .head) == .none)
        #expect(try self.responseFraming(204, []) == .none)
        #expect(try self.responseFraming(304, [("Content-Length", "9")]) == .none)
        #expect(try self.responseFraming(200, []) == .untilClose)
        #expect(try self.responseFraming(200, [("Transfer-Encoding", "gzip, chunked")]) == .chunked)
        #expect(try self.responseFraming(200, [("Transfer-Encoding", "gzip")]) == .untilClose)
    }
}
