import AWSCredentialChain
import AWSSigning
import Foundation
import HTTPClient
import ServiceSupport
import Testing

@Suite struct WebIdentityCredentialProviderTests {
    @Test func unsignedCallRereadsTheTokenFile() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "eyJ.first.token\n")
        let sts = try LoopbackHTTPServer { request in
            let form = FakeSTS.form(request.bodyText)
            return FakeSTS.success(
                result: "AssumeRoleWithWebIdentityResult",
                key: "ASIA" + (form["WebIdentityToken"] ?? "?")
            )
        }
        let environment = EnvironmentReader(values: [
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa",
            "AWS_ROLE_SESSION_NAME": "pod-7",
            "AWS_ENDPOINT_URL": sts.baseURL + "/sts-prefix",
        ])
        let provider = try #require(
            try WebIdentityCredentialProvider(environment: environment, connectors: AWSHTTPConnectors())
        )
        #expect(try provider.credentials().accessKeyID == "ASIAeyJ.first.token")
        try directory.write("token", "eyJ.second.token")
        #expect(try provider.credentials().accessKeyID == "ASIAeyJ.second.token")
        let request = try #require(sts.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/sts-prefix")
        #expect(request.headers["authorization"] == nil)
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded; charset=utf-8")
        let form = FakeSTS.form(request.bodyText)
        #expect(form["Action"] == "AssumeRoleWithWebIdentity")
        #expect(form["RoleArn"] == "arn:aws:iam::123456789012:role/irsa")
        #expect(form["RoleSessionName"] == "pod-7")
        #expect(request.bodyText.contains("RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Firsa"))
    }

    @Test func stsErrorsAreParsed() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "expired-jwt")
        let sts = try LoopbackHTTPServer { _ in
            FakeSTS.error(code: "ExpiredTokenException", message: "Token expired: current date/time 1 &gt; 0")
        }
        let provider = try WebIdentityCredentialProvider(
            tokenFile: tokenFile,
            roleARN: "arn:aws:iam::1:role/r",
            stsEndpoint: try HTTPURL(parsing: sts.baseURL),
            connectors: AWSHTTPConnectors()
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.code == .serviceError)
        #expect(error.serviceCode == "ExpiredTokenException")
        #expect(error.message == "Token expired: current date/time 1 > 0")
        #expect(error.httpStatus == 400)
        #expect(!error.description.contains("expired-jwt"))
        #expect(sts.requests.count == 1)
    }

    @Test func garbledAndIncompleteAnswers() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "jwt")
        let answers = [
            FakeResponse(status: 200, body: "<AssumeRoleWithWebIdentityResponse><oops"),
            FakeSTS.success(result: "AssumeRoleWithWebIdentityResult", key: "K", expiration: "tomorrow"),
            FakeResponse(status: 403, body: "Forbidden"),
        ]
        let expected: [CredentialError.Code] = [.invalidResponse, .invalidResponse, .httpStatus]
        for (answer, code) in zip(answers, expected) {
            let sts = try LoopbackHTTPServer { _ in answer }
            let provider = try WebIdentityCredentialProvider(
                tokenFile: tokenFile,
                roleARN: "arn:aws:iam::1:role/r",
                sessionName: "s1",
                stsEndpoint: try HTTPURL(parsing: sts.baseURL),
                connectors: AWSHTTPConnectors()
            )
            let error = try #require(throws: CredentialError.self) { try provider.credentials() }
            #expect(error.code == code)
        }
    }

    @Test func regionalAndGlobalEndpoints() throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "jwt")
        let base = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/r"]
        // Without TLS the https endpoints are refused, and the error names the host that was chosen.
        let regional = EnvironmentReader(values: base.merging(["AWS_REGION": "eu-west-3"]) { $1 })
        let regionalError = try #require(throws: CredentialError.self) {
            _ = try WebIdentityCredentialProvider(environment: regional, connectors: AWSHTTPConnectors())
        }
        #expect(regionalError.code == .tlsUnavailable)
        #expect(regionalError.message.contains("sts.eu-west-3.amazonaws.com"))
        let global = EnvironmentReader(values: base)
        let globalError = try #require(throws: CredentialError.self) {
            _ = try WebIdentityCredentialProvider(environment: global, connectors: AWSHTTPConnectors())
        }
        #expect(globalError.message.contains("sts.amazonaws.com"))
        let ignored = EnvironmentReader(
            values: base.merging([
                "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
            ]) { $1 }
        )
        #expect(throws: CredentialError.self) {
            _ = try WebIdentityCredentialProvider(environment: ignored, connectors: AWSHTTPConnectors())
        }
        #expect(
            try WebIdentityCredentialProvider(
                environment: EnvironmentReader(values: [:]),
                connectors: AWSHTTPConnectors()
            ) == nil
        )
    }

    @Test(.enabled(if: MotoPeer.isAvailable, MotoPeer.unavailableMessage))
    func assumeRoleWithWebIdentityAgainstMoto() throws {
        let moto = try MotoPeer.open.get()
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("token", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJwb2QifQ.c2lnbmF0dXJl")
        let environment = EnvironmentReader(values: [
            "AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile,
            "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/irsa-role",
            "AWS_ROLE_SESSION_NAME": "lakemark-moto",
            "AWS_REGION": moto.region,
            "AWS_ENDPOINT_URL_STS": moto.endpoint,
        ])
        let provider = try #require(
            try WebIdentityCredentialProvider(environment: environment, connectors: AWSHTTPConnectors())
        )
        let credentials = try provider.credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIA"))
        #expect(!credentials.secretAccessKey.isEmpty)
        #expect(credentials.sessionToken?.isEmpty == false)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > Date().addingTimeInterval(3_000))
        #expect(expiration < Date().addingTimeInterval(3_700))
    }
}
