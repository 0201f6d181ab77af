import Foundation
import HTTPClient
import HTTPCore
import NetworkTestSupport
import TLS
import Testing

/// TLS against `openssl s_server` with a CA made for the test: verification, host names, timeouts, versions.
@Suite struct TLSConnectorTests {
    /// The test PKI, generated once per test process.
    static let pki = Result { try TestCertificates() }

    private func connector(_ configuration: TLSConfiguration) throws -> TLSConnector {
        try TLSConnector(configuration: configuration)
    }

    private func statusPage(_ client: HTTPClient, host: String, port: Int) throws -> HTTPResponse {
        try client.send(HTTPClientRequest(method: .get, host: host, port: port, target: "/"))
    }

    @Test func trustedCertificateVerifiesByNameAndByAddress() throws {
        let pki = try Self.pki.get()
        let server = try OpenSSLServer(certificate: pki.serverCertificate, key: pki.serverKey, mode: .statusPage)
        let connector = try self.connector(TLSConfiguration(caFilePath: pki.caCertificate))
        let client = HTTPClient(connector: connector)
        for host in ["localhost", "127.0.0.1"] {
            let response = try self.statusPage(client, host: host, port: server.port)
            #expect(response.status.code == 200)
            #expect(String(decoding: response.body, as: UTF8.self).contains("<HTML>"))
        }
        let connection = try connector.open(host: "localhost", port: server.port, timeout: .seconds(5))
        #expect(["TLSv1.2", "TLSv1.3"].contains(connection.protocolVersion))
        connection.close()
    }

    @Test func systemBundleRejectsAnUnknownIssuer() throws {
        let pki = try Self.pki.get()
        let server = try OpenSSLServer(certificate: pki.serverCertificate, key: pki.serverKey, mode: .statusPage)
        let connector = try self.connector(TLSConfiguration())
        let error = #expect(throws: TLSError.self) {
            try connector.open(host: "localhost", port: server.port, timeout: .seconds(5))
        }
        #expect(error?.code == .verificationFailed)
        #expect(error?.reason.contains("local issuer") == true, "\(String(describing: error))")
        let clientError = #expect(throws: HTTPClientError.self) {
            try self.statusPage(HTTPClient(connector: connector), host: "localhost", port: server.port)
        }
        #expect(clientError?.code == .connectFailed)
        #expect(clientError?.detail?.hasPrefix("tls.verificationFailed") == true)
    }

    @Test func certificateForAnotherNameIsRejected() throws {
        let pki = try Self.pki.get()
        let server = try OpenSSLServer(
            certificate: pki.wrongNameCertificate,
            key: pki.wrongNameKey,
            mode: .statusPage
        )
        let connector = try self.connector(TLSConfiguration(caFilePath: pki.caCertificate))
        let byName = #expect(throws: TLSError.self) {
            try connector.open(host: "localhost", port: server.port, timeout: .seconds(5))
        }
        #expect(byName?.code == .verificationFailed)
        #expect(byName?.reason == "hostname mismatch")
        let byAddress = #expect(throws: TLSError.self) {
            try connector.open(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        }
        #expect(byAddress?.code == .verificationFailed)
        #expect(byAddress?.reason == "IP address mismatch")
    }

    @Test func serverThatNeverAnswersTimesOutInTheHandshake() throws {
        let pki = try Self.pki.get()
        let listener = try LoopbackListener()
        defer { listener.close() }
        let connector = try self.connector(TLSConfiguration(caFilePath: pki.caCertificate))
        let error = #expect(throws: TLSError.self) {
            try connector.open(host: "127.0.0.1", port: listener.port, timeout: .milliseconds(300))
        }
        #expect(error?.code == .timeout)
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = .milliseconds(300)
        let clientError = #expect(throws: HTTPClientError.self) {
            try HTTPClient(configuration: configuration, connector: connector)
                .send(HTTPClientRequest(method: .get, host: "127.0.0.1", port: listener.port, target: "/"))
        }
        #expect(clientError?.code == .timeout)
    }

    @Test func silentServerTimesOutOnRead() throws {
        let pki = try Self.pki.get()
        let server = try OpenSSLServer(certificate: pki.serverCertificate, key: pki.serverKey, mode: .silent)
        let connector = try self.connector(TLSConfiguration(caFilePath: pki.caCertificate))
        let connection = try connector.open(host: "localhost", port: server.port, timeout: .seconds(5))
        defer { connection.close() }
        let request = Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8)
        try request.withUnsafeBytes { bytes in
            try connection.write(bytes, UnsafeRawBufferPointer(start: nil, count: 0), timeout: .seconds(5))
        }
        var buffer = [UInt8](repeating: 0, count: 1_024)
        let error = #expect(throws: HTTPClientError.self) {
            try buffer.withUnsafeMutableBytes { try connection.read(into: $0, timeout: .milliseconds(300)) }
        }
        #expect(error?.code == .timeout)
    }

    @Test func protocolsOlderThanTLS12AreRefused() throws {
        let pki = try Self.pki.get()
        let server = try OpenSSLServer(
            certificate: pki.serverCertificate,
            key: pki.serverKey,
            mode: .statusPage,
            options: ["-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0"]
        )
        let connector = try self.connector(TLSConfiguration(caFilePath: pki.caCertificate))
        let error = #expect(throws: TLSError.self) {
            try connector.open(host: "localhost", port: server.port, timeout: .seconds(5))
        }
        #expect(error?.code == .handshakeFailed)
    }

    @Test func missingCAFileIsAConfigurationError() {
        let error = #expect(throws: TLSError.self) {
            try TLSConnector(configuration: TLSConfiguration(caFilePath: "/nonexistent/ca.pem"))
        }
        #expect(error?.code == .invalidConfiguration)
    }

    @Test func deferredCAFileIsReportedByEveryConnection() throws {
        let connector = try TLSConnector(
            configuration: TLSConfiguration(caFilePath: "/nonexistent/ca.pem"),
            loading: .onFirstConnection
        )
        for _ in 0..<2 {
            let error = #expect(throws: TLSError.self) {
                try connector.open(host: "localhost", port: 9, timeout: .seconds(1))
            }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.description.contains("/nonexistent/ca.pem") == true)
        }
    }

    @Test func deferredCAFileIsLoadedByTheFirstConnection() throws {
        let pki = try Self.pki.get()
        let server = try OpenSSLServer(certificate: pki.serverCertificate, key: pki.serverKey, mode: .statusPage)
        let connector = try TLSConnector(
            configuration: TLSConfiguration(caFilePath: pki.caCertificate),
            loading: .onFirstConnection
        )
        let client = HTTPClient(connector: connector)
        for host in ["localhost", "127.0.0.1"] {
            #expect(try self.statusPage(client, host: host, port: server.port).status.code == 200)
        }
    }
}
