import AWSCredentialChain
import Foundation
import HTTPClient
import HTTPCore
import HTTPServer
import JSONBytes
import Mapping
import ServiceSupport
import Synchronization
import Testing

@testable import RemoteMapping

/// A loopback stand-in for Secrets Manager's `GetSecretValue`, holding one secret that a test can rotate.
final class FakeSecretsManager: HTTPRequestHandler {
    private let secret = Mutex("")
    /// Reads answered so far.
    let reads = Atomic<Int>(0)

    /// Sets the secret's `api_key`.
    func rotate(to key: String) {
        secret.withLock { $0 = key }
    }

    /// Answers `GetSecretValue` for signed requests.
    func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard request.headers["X-Amz-Target"] == "secretsmanager.GetSecretValue",
            request.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 ") == true
        else {
            return HTTPResponse(status: HTTPStatus(code: 400), body: Array(#"{"__type":"InvalidRequest"}"#.utf8))
        }
        reads.add(1, ordering: .relaxed)
        var inner = JSONWriter()
        inner.appendRaw("{\"api_key\":")
        inner.appendString(secret.withLock { $0 })
        inner.appendRaw("}")
        var writer = JSONWriter()
        writer.appendRaw("{\"SecretString\":")
        writer.appendString(String(decoding: inner.bytes, as: UTF8.self))
        writer.appendRaw(",\"VersionId\":\"v1\"}")
        return HTTPResponse(
            status: HTTPStatus(code: 200),
            headers: ["Content-Type": "application/x-amz-json-1.1"],
            body: writer.bytes
        )
    }
}

/// The API key from a Secrets Manager ARN: read once, read again after a refusal, rotation picked up.
@Suite(.serialized) struct SecretKeyTests {
    @Test func aRotatedSecretIsPickedUpAfterOneRefusal() throws {
        let secrets = FakeSecretsManager()
        secrets.rotate(to: "sm-key-1111")
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: secrets)
        try server.start()
        defer {
            server.shutdown(gracePeriod: .seconds(1))
            server.waitUntilStopped()
        }
        let fake = FakeMappingAPI(keys: ["sm-key-2222"])
        let base = try fake.start()
        defer { fake.stop() }
        let environment = EnvironmentReader(values: [
            "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:\(server.boundPort)",
            "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ])
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:lakemark-api-key-AbCdEf"
        let source = try APIKeyLocation.secret(arn: arn).makeSource(
            connectors: AWSHTTPConnectors(),
            environment: environment
        )
        let mapper = try RemoteMapperTests.mapper(base, key: source) { $0.maxAttempts = 1 }

        let refused = try mapper.run(["text one"], options: RemoteMapperTests.options)
        #expect(refused.failure?.alarmCode == "mapping.degraded.http_401")
        #expect(secrets.reads.load(ordering: .relaxed) == 2, "read, then read again once after the 401")
        #expect(!refused.failure!.description.contains("sm-key"))

        secrets.rotate(to: "sm-key-2222")
        let accepted = try mapper.run(["text two"], options: RemoteMapperTests.options)
        #expect(accepted.failure == nil && accepted.calls == 2)
        #expect(fake.calls.map(\.authorization).suffix(2) == ["sm-key-1111", "sm-key-2222"])
        #expect(secrets.reads.load(ordering: .relaxed) == 3)
        _ = try mapper.run(["text three"], options: RemoteMapperTests.options)
        #expect(secrets.reads.load(ordering: .relaxed) == 3, "the key is cached between calls")
    }

    @Test func aNonSecretsManagerARNIsAConfigurationError() {
        #expect(throws: RemoteMappingError.self) {
            try APIKeyLocation.secret(arn: "arn:aws:s3:::bucket").makeSource(connectors: AWSHTTPConnectors())
        }
    }
}
