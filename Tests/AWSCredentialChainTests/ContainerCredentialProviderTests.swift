import AWSCredentialChain
import AWSSigning
import Foundation
import ServiceSupport
import Testing

@Suite struct ContainerCredentialProviderTests {
    let connectors = AWSHTTPConnectors()
    let fast = FetchPolicy(timeout: .milliseconds(500), attempts: 1, retryDelay: .zero)

    @Test func relativeURIIsResolvedAgainstTheBase() throws {
        let expiry = inOneHour()
        let server = try LoopbackHTTPServer { request in
            request.target == "/v2/credentials/abc-123"
                ? .json(credentialDocument(expiration: expiry)) : FakeResponse(status: 404)
        }
        let environment = EnvironmentReader(values: [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc-123"
        ])
        let provider = try #require(
            try ContainerCredentialProvider(
                environment: environment,
                connectors: connectors,
                baseURL: server.baseURL + "/",
                policy: fast
            )
        )
        let credentials = try provider.credentials()
        #expect(credentials.accessKeyID == "ASIACONTAINER")
        #expect(credentials.secretAccessKey == "container-secret")
        #expect(credentials.sessionToken == "container-token")
        #expect(abs(credentials.expiration!.timeIntervalSince(expiry)) < 0.01)
        let request = try #require(server.requests.first)
        #expect(request.method == "GET")
        #expect(request.headers["accept"] == "application/json")
        #expect(request.headers["host"] == "127.0.0.1:\(server.port)")
        #expect(request.headers["authorization"] == nil)
    }

    @Test func fullURIReadsTheTokenFileOnEveryFetch() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "first-token\n")
        let expiry = inOneHour()
        let server = try LoopbackHTTPServer { request in
            guard let token = request.headers["authorization"] else {
                return .json(#"{"code":"NoToken"}"#, status: 401)
            }
            return .json(credentialDocument(accessKeyID: "ASIA" + token.uppercased(), expiration: expiry))
        }
        let environment = EnvironmentReader(values: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/v1/credentials",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "ignored-because-the-file-wins",
        ])
        let provider = try #require(
            try ContainerCredentialProvider(environment: environment, connectors: connectors, policy: fast)
        )
        #expect(try provider.credentials().accessKeyID == "ASIAFIRST-TOKEN")
        try directory.write("token", "second-token")
        #expect(try provider.credentials().accessKeyID == "ASIASECOND-TOKEN")
        #expect(server.requests.map { $0.headers["authorization"] } == ["first-token", "second-token"])
        #expect(server.requests.allSatisfy { $0.target == "/v1/credentials" })
    }

    @Test func fullURIWithTokenVariable() throws {
        let server = try LoopbackHTTPServer { request in
            request.headers["authorization"] == "static-token"
                ? .json(credentialDocument(expiration: inOneHour())) : .json("{}", status: 403)
        }
        let environment = EnvironmentReader(values: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://localhost:\(server.port)/creds",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "static-token",
        ])
        let provider = try #require(
            try ContainerCredentialProvider(environment: environment, connectors: connectors, policy: fast)
        )
        #expect(try provider.credentials().sessionToken == "container-token")
    }

    @Test func fullURIOutsideTheAllowedHostsIsRefused() throws {
        for uri in ["http://192.0.2.10/creds", "http://169.254.169.254/latest", "http://example.invalid/creds"] {
            let environment = EnvironmentReader(values: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri])
            let error = try #require(throws: CredentialError.self) {
                _ = try ContainerCredentialProvider(environment: environment, connectors: connectors)
            }
            #expect(error.code == .invalidConfiguration)
        }
        for uri in [
            "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials", "http://127.0.0.2:1/",
        ] {
            let environment = EnvironmentReader(values: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": uri])
            #expect(try ContainerCredentialProvider(environment: environment, connectors: connectors) != nil)
        }
        let https = EnvironmentReader(values: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://creds.example.invalid/"])
        let error = try #require(throws: CredentialError.self) {
            _ = try ContainerCredentialProvider(environment: https, connectors: connectors)
        }
        #expect(error.code == .tlsUnavailable)
    }

    @Test func tokenWithALineBreakIsRefused() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "abc\r\nInjected: yes\n")
        let server = try LoopbackHTTPServer { _ in .json(credentialDocument(expiration: inOneHour())) }
        let environment = EnvironmentReader(values: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
        ])
        let provider = try #require(
            try ContainerCredentialProvider(environment: environment, connectors: connectors, policy: fast)
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.code == .invalidConfiguration)
        #expect(server.requests.isEmpty)
        #expect(!error.description.contains("Injected"))
    }

    @Test func missingTokenFileIsReported() throws {
        let environment = EnvironmentReader(values: [
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent/token",
        ])
        let provider = try #require(
            try ContainerCredentialProvider(environment: environment, connectors: connectors, policy: fast)
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.code == .fileUnreadable)
    }

    @Test func badAnswers() throws {
        let cases: [(FakeResponse, CredentialError.Code)] = [
            (.json(#"{"AccessKeyId":"A","SecretAccessKey":"#), .invalidResponse),
            (.json("[1,2]"), .invalidResponse),
            (.json(#"{"AccessKeyId":"A","Token":"t","Expiration":"2030-01-01T00:00:00Z"}"#), .invalidResponse),
            (.json(#"{"AccessKeyId":"A","SecretAccessKey":"s","Token":"t","Expiration":"soon"}"#), .invalidResponse),
            (.json(#"{"AccessKeyId":"A","SecretAccessKey":"s","Token":"t"}"#), .invalidResponse),
            (.json(credentialDocument(expiration: Date().addingTimeInterval(-60))), .expiredCredentials),
            (.json(#"{"code":"AccessDenied","message":"token not valid"}"#, status: 400), .serviceError),
            (FakeResponse(status: 500), .httpStatus),
            (.json(credentialDocument(expiration: inOneHour()), status: 200).delayed(1.5), .transportFailed),
        ]
        for (answer, expected) in cases {
            let server = try LoopbackHTTPServer { _ in answer }
            let environment = EnvironmentReader(values: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/c"])
            let provider = try #require(
                try ContainerCredentialProvider(environment: environment, connectors: connectors, policy: fast)
            )
            let error = try #require(throws: CredentialError.self) { try provider.credentials() }
            #expect(error.code == expected, "\(answer.status) \(String(decoding: answer.body, as: UTF8.self))")
            #expect(error.source == "container")
            #expect(!error.description.contains("container-secret"))
            if expected == .serviceError {
                #expect(error.serviceCode == "AccessDenied")
                #expect(error.httpStatus == 400)
            }
        }
    }

    @Test func serverErrorsAreRetried() throws {
        let server = try LoopbackHTTPServer { _ in FakeResponse(status: 503) }
        let environment = EnvironmentReader(values: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.baseURL + "/c"])
        let policy = FetchPolicy(timeout: .milliseconds(500), attempts: 3, retryDelay: .milliseconds(10))
        let provider = try #require(
            try ContainerCredentialProvider(environment: environment, connectors: connectors, policy: policy)
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.httpStatus == 503)
        #expect(server.requests.count == 3)
    }

    @Test func notConfiguredWithoutVariables() throws {
        #expect(
            try ContainerCredentialProvider(environment: EnvironmentReader(values: [:]), connectors: connectors) == nil
        )
        let relative = EnvironmentReader(values: ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2/no-slash"])
        #expect(throws: CredentialError.self) {
            _ = try ContainerCredentialProvider(environment: relative, connectors: connectors)
        }
    }
}

extension FakeResponse {
    func delayed(_ seconds: Double) -> FakeResponse {
        var copy = self
        copy.delay = seconds
        return copy
    }
}
