import HTTPCore
import Testing

@Suite struct ResponseHeadParserTests {
    private func parse(_ text: String) throws -> (HTTPResponseHead, Int)? {
        var parser = ResponseHeadParser()
        let result = try Array(text.utf8).withUnsafeBytes { try parser.parse($0) }
        guard case .complete(let head, let consumed) = result else {
            return nil
        }
        return (head, consumed)
    }

    @Test func parsesStatusLineAndFields() throws {
        let (head, consumed) = try #require(try self.parse("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nX"))
        #expect(head.status.code == 404)
        #expect(head.status.reasonPhrase == "Not Found")
        #expect(head.headers["content-length"] == "0")
        #expect(consumed == 45)
        #expect(head.isKeepAlive)
    }

    @Test func toleratesEmptyReason() throws {
        let (head, _) = try #require(try self.parse("HTTP/1.0 200\r\n\r\n"))
        #expect(head.status.code == 200)
        #expect(head.version == .http1_0)
        #expect(!head.isKeepAlive)
        let (spaced, _) = try #require(try self.parse("HTTP/1.1 204 \r\n\r\n"))
        #expect(spaced.status.reasonPhrase.isEmpty)
    }

    @Test(arguments: [
        "HTTP/1.1 20 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "HTP/1.1 200 OK\r\n\r\n",
    ])
    func rejectsMalformedStatusLines(_ text: String) {
        #expect(throws: HTTPParseError(.invalidStatusLine)) { try self.parse(text) }
    }

    @Test func needsMoreData() throws {
        #expect(try self.parse("HTTP/1.1 200 OK\r\nA: b\r\n") == nil)
    }
}
