import HTTP2Client
import HTTPClient
import HTTPCore
import Pipeline
import TLS
import Testing

@testable import RemoteMapping

/// ALPN on the TLS client, request validation of the HTTP/2 client, and the `remote_http2` option.
@Suite struct HTTP2PartsTests {
    @Test(.enabled(if: H2FakeMappingAPI.shouldRun, "hypercorn is not installed (scripts/deps.sh test installs it)"))
    func alpnOffersWhatIsAskedAndReportsTheChoice() throws {
        let fake = try H2FakeMappingAPI()
        defer { fake.stop() }
        let connector = try fake.connector()
        let h2 = try connector.open(host: "localhost", port: fake.port, timeout: .seconds(5), applicationProtocols: [
            "h2", "http/1.1",
        ])
        #expect(h2.negotiatedProtocol == "h2")
        h2.close()
        let plain = try connector.open(host: "127.0.0.1", port: fake.port, timeout: .seconds(5))
        #expect(plain.negotiatedProtocol == "http/1.1")
        plain.close()
        #expect(throws: TLSError.self) {
            try connector.open(host: "localhost", port: fake.port, timeout: .seconds(5), applicationProtocols: [""])
        }
    }

    @Test func invalidHeaderFieldsAreRefusedWithoutShowingThem() throws {
        let client = HTTP2Client { _, _, _ throws(HTTP2ClientError) in
            throw HTTP2ClientError(.connectFailed, "no connection in this test")
        }
        var headers = HTTPHeaders()
        headers.add(name: "authorization", value: "secret-key-value\r\nx-injected: 1")
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: 9, target: "/", headers: headers)
        let error = #expect(throws: HTTP2ClientError.self) { try client.send(request) }
        #expect(error?.code == .invalidRequest)
        #expect(error.map { !"\($0)".contains("secret-key-value") } == true)
        #expect(error?.httpClientError.code == .invalidRequest)
    }

    @Test func connectFailuresAreConnectFailures() throws {
        let client = HTTP2Client { _, _, _ throws(HTTP2ClientError) in
            throw HTTP2ClientError(.connectFailed, "refused")
        }
        let request = HTTPClientRequest(method: .get, host: "127.0.0.1", port: 9, target: "/")
        let error = #expect(throws: HTTP2ClientError.self) { try client.send(request) }
        #expect(error?.code == .connectFailed && error?.isRetrySafe == false)
        #expect(MapAPIClient.transportError(try #require(error).httpClientError).code == .connectFailed)
        #expect(client.connectionsOpened == 0)
    }

    @Test func remoteHTTP2OptionIsAutoOrOff() throws {
        #expect(try ConfigurationLoader.load(path: nil, environment: [:]).remoteMapping.http2 == .auto)
        let off = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_REMOTE_HTTP2": "OFF"])
        #expect(off.remoteMapping.http2 == .off)
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_REMOTE_HTTP2": "always"])
        }
    }
}
