import HTTPCore
import Testing

@Suite struct ResponseSerializerTests {
    private func text(_ response: HTTPResponse, close: Bool, version: HTTPVersion = .http1_1) -> String {
        let bytes = ResponseSerializer.serialize(
            response,
            closeConnection: close,
            requestVersion: version,
            includeBody: true,
            date: "Sun, 06 Nov 1994 08:49:37 GMT"
        )
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func managesFramingFields() {
        var headers: HTTPHeaders = [
            "Content-Type": "text/plain", "Transfer-Encoding": "chunked", "Content-Length": "99",
        ]
        headers.add(name: "Connection", value: "keep-alive")
        let response = HTTPResponse(status: .ok, headers: headers, body: Array("hi".utf8))
        let expected =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
            + "Content-Length: 2\r\nConnection: close\r\n\r\nhi"
        #expect(self.text(response, close: true) == expected)
    }

    @Test func keepAliveForHTTP10AndNothingFor11() {
        let response = HTTPResponse(status: .notFound)
        #expect(self.text(response, close: false, version: .http1_0).contains("Connection: keep-alive\r\n"))
        #expect(!self.text(response, close: false).contains("Connection"))
        #expect(self.text(response, close: false).contains("Content-Length: 0\r\n"))
    }

    @Test func dropsFieldsThatWouldSplitTheResponse() {
        let headers: HTTPHeaders = ["X-Evil": "a\r\nSet-Cookie: b", "Bad Name": "v", "X-Good": "ok"]
        let text = self.text(HTTPResponse(status: .ok, headers: headers), close: false)
        #expect(!text.contains("Set-Cookie"))
        #expect(!text.contains("Bad Name"))
        #expect(text.contains("X-Good: ok\r\n"))
    }

    @Test func noContentLengthFor204() {
        let text = self.text(HTTPResponse(status: .noContent, body: [1, 2]), close: false)
        #expect(!text.contains("Content-Length"))
        #expect(text.hasSuffix("\r\n\r\n"))
    }

    @Test func keepsCallerDate() {
        let text = self.text(HTTPResponse(status: .ok, headers: ["date": "x"]), close: false)
        #expect(text.contains("date: x\r\n"))
        #expect(!text.contains("GMT"))
    }

    @Test func formatsIMFFixdate() {
        #expect(HTTPDate.string(fromEpochSeconds: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(HTTPDate.string(fromEpochSeconds: 0) == "Thu, 01 Jan 1970 00:00:00 GMT")
    }

    @Test func requestSerializerAddsHostAndLength() throws {
        let bytes = try RequestSerializer.serializeHead(
            method: .post,
            target: "/x?y=1",
            headers: ["Content-Length": "5", "X-A": "b"],
            host: "127.0.0.1:8080",
            bodyLength: 3
        )
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text == "POST /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-A: b\r\nContent-Length: 3\r\n\r\n")
        #expect(throws: HTTPParseError(.invalidHeader)) {
            try RequestSerializer.serializeHead(
                method: .get,
                target: "/",
                headers: ["A": "b\nc"],
                host: "h",
                bodyLength: 0
            )
        }
        #expect(throws: HTTPParseError(.invalidTarget)) {
            try RequestSerializer.serializeHead(method: .get, target: "/a b", headers: [:], host: "h", bodyLength: 0)
        }
    }
}
