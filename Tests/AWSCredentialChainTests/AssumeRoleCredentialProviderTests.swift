import AWSCredentialChain
import AWSSigning
import Foundation
import HTTPClient
import ServiceSupport
import Testing

@Suite struct AssumeRoleCredentialProviderTests {
    @Test(.enabled(if: MotoPeer.isAvailable, MotoPeer.unavailableMessage))
    func signedAssumeRoleAgainstMotoWithAuthentication() throws {
        let moto = try MotoPeer.authenticated.get()
        let role = try moto.run(["op": "create_role", "name": "security-lake-\(UUID().uuidString.prefix(8))"])
        let arn = try #require(role["arn"] as? String)
        let base = StaticCredentialProvider(
            AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey)
        )
        let provider = try AssumeRoleCredentialProvider(
            base: base,
            role: .init(arn: arn, externalID: "lakemark-external-id", sessionName: "lakemark", durationSeconds: 900),
            region: moto.region,
            environment: EnvironmentReader(values: ["AWS_ENDPOINT_URL_STS": moto.endpoint]),
            connectors: AWSHTTPConnectors()
        )
        let credentials = try provider.credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIA"))
        #expect(credentials.sessionToken?.isEmpty == false)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > Date().addingTimeInterval(800))
        #expect(expiration < Date().addingTimeInterval(1_000))

        // The temporary keys sign a Secrets Manager call that moto verifies (including the session token).
        let secretName = "assumed-\(UUID().uuidString)"
        _ = try moto.run(["op": "create_secret", "name": secretName, "value": "via-role"])
        let client = try SecretsManagerClient(
            endpoint: try HTTPURL(parsing: moto.endpoint),
            region: moto.region,
            credentials: StaticCredentialProvider(credentials),
            connectors: AWSHTTPConnectors()
        )
        #expect(try client.getSecretValue(secretID: secretName).secretString == "via-role")
    }

    @Test(.enabled(if: MotoPeer.isAvailable, MotoPeer.unavailableMessage))
    func wrongSecretIsRejectedByMoto() throws {
        let moto = try MotoPeer.authenticated.get()
        let base = StaticCredentialProvider(
            AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: "not-the-secret")
        )
        let provider = try AssumeRoleCredentialProvider(
            base: base,
            role: .init(arn: "arn:aws:iam::123456789012:role/whatever"),
            stsEndpoint: try HTTPURL(parsing: moto.endpoint),
            signingRegion: moto.region,
            connectors: AWSHTTPConnectors()
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.code == .serviceError)
        #expect(error.serviceCode == "SignatureDoesNotMatch")
        #expect(error.httpStatus == 403)
        #expect(!error.description.contains("not-the-secret"))
    }

    @Test func baseProviderFailureIsPassedThrough() throws {
        let sts = try LoopbackHTTPServer { _ in FakeSTS.success(result: "AssumeRoleResult", key: "ASIANEVER") }
        let failing = ScriptedProvider([
            .failure(CredentialError(code: .notConfigured, source: "chain", message: "none"))
        ])
        let provider = try AssumeRoleCredentialProvider(
            base: failing,
            role: .init(arn: "arn:aws:iam::1:role/r"),
            stsEndpoint: try HTTPURL(parsing: sts.baseURL),
            signingRegion: "us-east-1",
            connectors: AWSHTTPConnectors()
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.code == .notConfigured)
        #expect(sts.requests.isEmpty)
    }

    @Test func sessionTokenOfTheBaseIsSignedAndRetriesAreResigned() throws {
        let sts = try LoopbackHTTPServer { request in
            request.headers["x-amz-security-token"] == "base-token"
                ? FakeResponse(status: 503) : FakeSTS.error(code: "InvalidClientTokenId", message: "no token")
        }
        let base = StaticCredentialProvider(
            AWSCredentials(accessKeyID: "ASIABASE", secretAccessKey: "s", sessionToken: "base-token")
        )
        let provider = try AssumeRoleCredentialProvider(
            base: base,
            role: .init(arn: "arn:aws:iam::1:role/r"),
            stsEndpoint: try HTTPURL(parsing: sts.baseURL),
            signingRegion: "us-west-2",
            connectors: AWSHTTPConnectors(),
            policy: FetchPolicy(timeout: .seconds(2), attempts: 2, retryDelay: .zero)
        )
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.httpStatus == 503)
        #expect(error.isTransient)
        #expect(sts.requests.count == 2)
        let signed = try #require(sts.requests.first?.headers["authorization"])
        #expect(signed.contains("x-amz-security-token"))
    }
}
