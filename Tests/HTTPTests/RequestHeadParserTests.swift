import HTTPCore
import Testing

@Suite struct RequestHeadParserTests {
    private func parse(_ text: String, limits: HTTPHeadLimits = HTTPHeadLimits()) throws -> (HTTPRequestHead, Int)? {
        var parser = RequestHeadParser(limits: limits)
        switch try parser.parse(Array(text.utf8)) {
        case .needMoreData:
            return nil
        case .complete(let head, let consumed):
            return (head, consumed)
        }
    }

    private func parseError(_ text: String, limits: HTTPHeadLimits = HTTPHeadLimits()) -> HTTPParseError.Code? {
        var parser = RequestHeadParser(limits: limits)
        do {
            _ = try parser.parse(Array(text.utf8))
            return nil
        } catch {
            return error.code
        }
    }

    @Test func parsesOriginFormWithQuery() throws {
        let text = "POST /v1/ingest?a=1&b=2 HTTP/1.1\r\nHost: example\r\nContent-Length: 3\r\n\r\nabc"
        let (head, consumed) = try #require(try self.parse(text))
        #expect(head.method == .post)
        #expect(head.target == "/v1/ingest?a=1&b=2")
        #expect(head.path == "/v1/ingest")
        #expect(head.query == "a=1&b=2")
        #expect(head.version == .http1_1)
        #expect(head.headers["content-length"] == "3")
        #expect(head.headers["HOST"] == "example")
        #expect(consumed == text.utf8.count - 3)
    }

    @Test func normalisesAbsoluteFormTarget() throws {
        let text = "POST https://firehose.example.com:443/path/x?x=1 HTTP/1.1\r\nHost: firehose.example.com\r\n\r\n"
        let (head, _) = try #require(try self.parse(text))
        #expect(head.target == "https://firehose.example.com:443/path/x?x=1")
        #expect(head.path == "/path/x")
        #expect(head.query == "x=1")
    }

    @Test func absoluteFormWithoutPathGetsSlash() throws {
        let (head, _) = try #require(try self.parse("GET HTTP://host?q HTTP/1.1\r\nHost: host\r\n\r\n"))
        #expect(head.path == "/")
        #expect(head.query == "q")
        let (bare, _) = try #require(try self.parse("GET http://host HTTP/1.1\r\nHost: host\r\n\r\n"))
        #expect(bare.path == "/")
        #expect(bare.query == nil)
    }

    @Test func emptyQueryIsDistinctFromNoQuery() throws {
        let (head, _) = try #require(try self.parse("GET /a? HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(head.query == "")
        let (other, _) = try #require(try self.parse("GET /a HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(other.query == nil)
    }

    @Test func asteriskOnlyForOptions() throws {
        let (head, _) = try #require(try self.parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(head.path == "*")
        #expect(self.parseError("GET * HTTP/1.1\r\nHost: h\r\n\r\n") == .invalidTarget)
    }

    @Test(arguments: [
        "CONNECT host:443 HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET ftp://host/x HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET http:///x HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET http://user@host/x HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /a#frag HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /caf\u{e9} HTTP/1.1\r\nHost: h\r\n\r\n",
    ])
    func rejectsInvalidTargets(_ text: String) {
        #expect(self.parseError(text) == .invalidTarget)
    }

    @Test(arguments: [
        "GET  /a HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /a  HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /a\r\nHost: h\r\n\r\n",
        "G(T /a HTTP/1.1\r\nHost: h\r\n\r\n",
        " GET /a HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /a HTTP/1.1 \r\nHost: h\r\n\r\n",
        "GET /a http/1.1\r\nHost: h\r\n\r\n",
    ])
    func rejectsMalformedRequestLines(_ text: String) {
        #expect(self.parseError(text) == .invalidRequestLine)
    }

    @Test func rejectsOtherVersions() {
        #expect(self.parseError("GET / HTTP/2.0\r\nHost: h\r\n\r\n") == .unsupportedVersion)
        #expect(self.parseError("GET / HTTP/1.2\r\nHost: h\r\n\r\n") == .unsupportedVersion)
        #expect(HTTPParseError(.unsupportedVersion).status.code == 505)
    }

    @Test func acceptsHTTP10WithoutHost() throws {
        let (head, _) = try #require(try self.parse("GET / HTTP/1.0\r\n\r\n"))
        #expect(head.version == .http1_0)
        #expect(!head.isKeepAlive)
    }

    @Test func requiresExactlyOneHostIn11() {
        #expect(self.parseError("GET / HTTP/1.1\r\nA: b\r\n\r\n") == .invalidHost)
        #expect(self.parseError("GET / HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n") == .invalidHost)
        #expect(self.parseError("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n") == .invalidHost)
    }

    @Test(arguments: [
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{1}b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{7f}b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\rb\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A: a\u{0}b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX A: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX-A : b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\n: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: h\r\nX(A): b\r\n\r\n",
    ])
    func rejectsInvalidFieldLines(_ text: String) {
        #expect(self.parseError(text) == .invalidHeader)
    }

    @Test func rejectsControlCharactersInTarget() {
        #expect(self.parseError("GET /a\u{1}b HTTP/1.1\r\nHost: h\r\n\r\n") == .invalidTarget)
        #expect(self.parseError("GET /a\tb HTTP/1.1\r\nHost: h\r\n\r\n") == .invalidTarget)
    }

    @Test func allowsTabAndObsTextInValues() throws {
        let (head, _) = try #require(try self.parse("GET / HTTP/1.1\r\nHost: h\r\nX-A: \ta\tb \u{e9} \r\n\r\n"))
        #expect(head.headers["x-a"] == "a\tb \u{e9}")
    }

    @Test func rejectsObsoleteLineFolding() {
        #expect(self.parseError("GET / HTTP/1.1\r\nHost: h\r\nX-A: a\r\n b\r\n\r\n") == .obsoleteLineFolding)
        #expect(self.parseError("GET / HTTP/1.1\r\n\tX-A: a\r\nHost: h\r\n\r\n") == .obsoleteLineFolding)
    }

    @Test func rejectsBareLineFeeds() {
        #expect(self.parseError("GET / HTTP/1.1\nHost: h\r\n\r\n") == .invalidLineEnding)
        #expect(self.parseError("GET / HTTP/1.1\r\nHost: h\n\n") == .invalidLineEnding)
    }

    @Test func skipsLeadingEmptyLines() throws {
        let (head, consumed) = try #require(try self.parse("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(head.path == "/")
        #expect(consumed == 31)
    }

    @Test func accepts64KiBHeaderWithDefaultLimits() throws {
        let big = String(repeating: "x", count: 65_536)
        let text = "POST / HTTP/1.1\r\nHost: h\r\nX-Amz-Firehose-Common-Attributes: \(big)\r\n\r\n"
        let (head, _) = try #require(try self.parse(text))
        #expect(head.headers["X-Amz-Firehose-Common-Attributes"]?.utf8.count == 65_536)
    }

    @Test func rejectsOversizedHead() {
        let big = String(repeating: "x", count: 90_000)
        #expect(self.parseError("GET / HTTP/1.1\r\nHost: h\r\nX: \(big)\r\n\r\n") == .headTooLarge)
        #expect(self.parseError("GET / HTTP/1.1\r\nHost: h\r\nX: \(big)") == .headTooLarge)
        #expect(HTTPParseError(.headTooLarge).status.code == 431)
        let small = HTTPHeadLimits(maxHeadBytes: 40)
        #expect(
            self.parseError("GET / HTTP/1.1\r\nHost: h\r\nX-Abc: 0123456789\r\n\r\n", limits: small) == .headTooLarge
        )
    }

    @Test func headEndingExactlyAtLimitIsAccepted() throws {
        let text = "GET / HTTP/1.1\r\nHost: h\r\n\r\n"
        let limits = HTTPHeadLimits(maxHeadBytes: text.utf8.count)
        #expect(try self.parse(text, limits: limits) != nil)
        #expect(self.parseError(text, limits: HTTPHeadLimits(maxHeadBytes: text.utf8.count - 1)) == .headTooLarge)
    }

    @Test func rejectsTooManyHeaders() {
        let fields = (0..<5).map { "X-\($0): v\r\n" }.joined()
        let limits = HTTPHeadLimits(maxHeaderCount: 4)
        #expect(self.parseError("GET / HTTP/1.1\r\nHost: h\r\n\(fields)\r\n", limits: limits) == .tooManyHeaders)
    }

    @Test func parsesIncrementallyOneByteAtATime() throws {
        let long = String(repeating: "v", count: 300)
        let text = Array("PUT /p?q=1 HTTP/1.1\r\nHost: h\r\nX-Long: \(long)\r\n\r\nBODY".utf8)
        var parser = RequestHeadParser()
        var result: (HTTPRequestHead, Int)?
        for end in 1...text.count {
            if case .complete(let head, let consumed) = try parser.parse(Array(text[0..<end])) {
                result = (head, consumed)
                break
            }
        }
        let (head, consumed) = try #require(result)
        #expect(head.method == .put)
        #expect(head.headers["x-long"]?.utf8.count == 300)
        #expect(consumed == text.count - 4)
    }

    @Test func keepAliveSemantics() throws {
        let (h11, _) = try #require(try self.parse("GET / HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(h11.isKeepAlive)
        let (close, _) = try #require(try self.parse("GET / HTTP/1.1\r\nHost: h\r\nConnection: foo, Close\r\n\r\n"))
        #expect(!close.isKeepAlive)
        let (h10, _) = try #require(try self.parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"))
        #expect(h10.isKeepAlive)
        let (expect, _) = try #require(try self.parse("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\n\r\n"))
        #expect(expect.expectsContinue)
    }
}
