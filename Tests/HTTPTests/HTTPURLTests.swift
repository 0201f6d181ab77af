import HTTPClient
import Testing

@Suite struct HTTPURLTests {
    @Test func parsesHostPortPathAndQuery() throws {
        let url = try HTTPURL(parsing: "HTTP://Example.com:8080/a/b?x=1&y=2#frag")
        #expect(url.scheme == "http")
        #expect(url.host == "Example.com")
        #expect(url.port == 8080)
        #expect(url.path == "/a/b")
        #expect(url.query == "x=1&y=2")
        #expect(url.target == "/a/b?x=1&y=2")
        #expect(url.hostHeaderValue == "Example.com:8080")
    }

    @Test func defaultsPortsAndPath() throws {
        let plain = try HTTPURL(parsing: "http://h")
        #expect(plain.port == 80)
        #expect(plain.target == "/")
        let tls = try HTTPURL(parsing: "https://h?q")
        #expect(tls.port == 443)
        #expect(tls.isTLS)
        #expect(tls.target == "/?q")
        #expect(tls.hostHeaderValue == "h")
    }

    @Test func parsesBracketedIPv6() throws {
        let url = try HTTPURL(parsing: "http://[::1]:9000/p")
        #expect(url.host == "::1")
        #expect(url.port == 9000)
        #expect(url.hostHeaderValue == "[::1]:9000")
        #expect(url.description == "http://[::1]:9000/p")
        #expect(try HTTPURL(parsing: "https://[::1]").hostHeaderValue == "[::1]")
    }

    @Test(arguments: [
        "ftp://h/", "h/path", "http://", "http://user@h/", "http://h:0/", "http://h:65536/", "http://h:12a/",
        "http://[::1/", "http://[::1]x/", "http://h/a b", "http://h:/",
    ])
    func rejectsInvalidURLs(_ text: String) {
        #expect(throws: HTTPClientError(.invalidURL)) { try HTTPURL(parsing: text) }
    }
}
