import HTTPCore
import Testing

@Suite struct HTTPHeadersTests {
    @Test func lookupIsCaseInsensitiveAndOrdered() {
        var headers: HTTPHeaders = ["Accept": "a", "X-Multi": "1", "x-multi": "2"]
        #expect(headers["ACCEPT"] == "a")
        #expect(headers.values(for: "X-MULTI") == ["1", "2"])
        #expect(headers["missing"] == nil)
        headers.replaceOrAdd(name: "X-Multi", value: "3")
        #expect(headers.values(for: "x-multi") == ["3"])
        #expect(headers.fields.map(\.name) == ["Accept", "X-Multi"])
        headers.remove(name: "accept")
        #expect(headers.count == 1)
        headers.add(name: "Connection", value: "Upgrade, close")
        #expect(headers.containsToken("CLOSE", in: "connection"))
        #expect(!headers.containsToken("clos", in: "connection"))
    }

    @Test func statusTable() {
        #expect(HTTPStatus(code: 431).reasonPhrase == "Request Header Fields Too Large")
        #expect(HTTPStatus(code: 299).reasonPhrase.isEmpty)
        #expect(HTTPStatus(code: 404, reasonPhrase: "Nope") == .notFound)
    }
}
