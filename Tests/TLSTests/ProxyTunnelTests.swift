import Foundation
import HTTPClient
import HTTPCore
import NetworkTestSupport
import TLS
import Testing

/// `HTTPS_PROXY` tunnelling through a loopback `CONNECT` proxy, and `NO_PROXY` bypass.
@Suite struct ProxyTunnelTests {
    @Test func requestsGoThroughTheProxyWithCredentials() throws {
        let pki = try TLSConnectorTests.pki.get()
        let server = try OpenSSLServer(certificate: pki.serverCertificate, key: pki.serverKey, mode: .statusPage)
        let proxy = try ConnectProxy()
        defer { proxy.close() }
        let configuration = try TLSConfiguration.fromEnvironment([
            "HTTPS_PROXY": "http://lake%40user:s3cret@127.0.0.1:\(proxy.port)", "AWS_CA_BUNDLE": pki.caCertificate,
        ])
        #expect(configuration.proxy?.description.contains("s3cret") == false)
        let client = HTTPClient(connector: try TLSConnector(configuration: configuration))
        let response = try client.send(
            HTTPClientRequest(method: .get, host: "localhost", port: server.port, target: "/")
        )
        #expect(response.status.code == 200)
        #expect(proxy.requestedTargets == ["localhost:\(server.port)"])
        let expected = "Basic " + Data("lake@user:s3cret".utf8).base64EncodedString()
        #expect(proxy.receivedAuthorizations == [expected])
    }

    @Test func noProxyHostsConnectDirectly() throws {
        let pki = try TLSConnectorTests.pki.get()
        let server = try OpenSSLServer(certificate: pki.serverCertificate, key: pki.serverKey, mode: .statusPage)
        let proxy = try ConnectProxy()
        defer { proxy.close() }
        let configuration = try TLSConfiguration.fromEnvironment([
            "https_proxy": "127.0.0.1:\(proxy.port)", "NO_PROXY": "example.com, .localhost, localhost",
            "AWS_CA_BUNDLE": pki.caCertificate,
        ])
        let client = HTTPClient(connector: try TLSConnector(configuration: configuration))
        let response = try client.send(
            HTTPClientRequest(method: .get, host: "localhost", port: server.port, target: "/")
        )
        #expect(response.status.code == 200)
        #expect(proxy.requestedTargets.isEmpty)
    }

    @Test func refusedTunnelIsAProxyFailure() throws {
        let pki = try TLSConnectorTests.pki.get()
        let proxy = try ConnectProxy(refusal: 407)
        defer { proxy.close() }
        let configuration = TLSConfiguration(
            caFilePath: pki.caCertificate,
            proxy: try HTTPProxy(url: "http://127.0.0.1:\(proxy.port)")
        )
        let error = #expect(throws: TLSError.self) {
            try TLSConnector(configuration: configuration).open(host: "localhost", port: 443, timeout: .seconds(5))
        }
        #expect(error?.code == .proxyFailed)
        #expect(error?.reason.contains("407") == true)
    }

    @Test func httpsProxiesAndPathsAreRejected() {
        for url in ["https://127.0.0.1:3128", "http://127.0.0.1:3128/path", "http://127.0.0.1:99999"] {
            #expect(throws: TLSError.self) { try HTTPProxy(url: url) }
        }
        #expect(throws: Never.self) { try HTTPProxy.fromEnvironment(["HTTP_PROXY": "http://ignored:1"]) }
        #expect((try? HTTPProxy.fromEnvironment(["HTTP_PROXY": "http://ignored:1"])) == .some(nil))
    }

    @Test(arguments: [
        ("*", "anything.example", 443, true),
        ("example.com", "example.com", 443, true),
        ("example.com", "s3.example.com", 443, true),
        ("example.com", "badexample.com", 443, false),
        (".example.com", "example.com", 443, true),
        ("*.example.com", "a.b.example.com", 443, true),
        ("EXAMPLE.com", "Example.COM.", 443, true),
        ("example.com:8443", "example.com", 443, false),
        ("example.com:8443", "example.com", 8443, true),
        ("10.0.0.0/8", "10.1.2.3", 443, true),
        ("10.0.0.0/8", "11.1.2.3", 443, false),
        ("10.0.0.0/8", "ten.example", 443, false),
        ("192.168.1.1", "192.168.1.1", 443, true),
        ("fd00::/8", "[fd00:ec2::254]", 443, true),
        ("fd00::/8", "fe80::1", 443, false),
        ("[::1]:8443", "::1", 8443, true),
        ("::1", "::1", 443, true),
        ("169.254.169.254", "169.254.170.2", 80, false),
    ])
    func noProxyRulesMatch(_ list: String, _ host: String, _ port: Int, _ bypassed: Bool) throws {
        let proxy = try HTTPProxy(url: "http://127.0.0.1:3128", noProxy: "  , \(list) ,")
        #expect(proxy.applies(toHost: host, port: port) == !bypassed)
    }
}
