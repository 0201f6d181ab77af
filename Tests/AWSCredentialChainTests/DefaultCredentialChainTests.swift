import AWSCredentialChain
import AWSSigning
import Foundation
import ServiceSupport
import Testing

/// Chain order with controlled environments: every test builds its own variables, files and loopback fakes.
@Suite struct DefaultCredentialChainTests {
    let directory: TemporaryDirectory
    let container: LoopbackHTTPServer
    let imds: LoopbackHTTPServer

    init() throws {
        directory = try TemporaryDirectory()
        let expiry = inOneHour()
        container = try LoopbackHTTPServer { _ in
            .json(credentialDocument(accessKeyID: "ASIAFROMCONTAINER", expiration: expiry))
        }
        imds = try LoopbackHTTPServer { FakeIMDS().answer($0) }
    }

    /// Variables for every source; tests remove the ones they do not want.
    func allSources() throws -> [String: String] {
        let credentials = try directory.write(
            "credentials",
            "[default]\naws_access_key_id = AKIAFROMFILE\naws_secret_access_key = file-secret\n"
        )
        return [
            "AWS_ACCESS_KEY_ID": "AKIAFROMENV",
            "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_SHARED_CREDENTIALS_FILE": credentials,
            "AWS_CONFIG_FILE": directory.path + "/no-config",
            "HOME": directory.path,
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/task",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.baseURL,
        ]
    }

    func chain(_ values: [String: String]) -> DefaultCredentialChain {
        DefaultCredentialChain(
            environment: EnvironmentReader(values: values),
            options: loopbackOptions(containerBase: container.baseURL)
        )
    }

    @Test func environmentWinsOverFiles() throws {
        let chain = chain(try allSources())
        #expect(try chain.resolve() == "environment")
        #expect(try chain.credentials().accessKeyID == "AKIAFROMENV")
        #expect(container.requests.isEmpty && imds.requests.isEmpty)
    }

    @Test func filesWinOverContainer() throws {
        var values = try allSources()
        values["AWS_ACCESS_KEY_ID"] = nil
        values["AWS_SECRET_ACCESS_KEY"] = nil
        let chain = chain(values)
        #expect(try chain.resolve() == "profile default (staticKeys)")
        #expect(try chain.credentials().accessKeyID == "AKIAFROMFILE")
        #expect(container.requests.isEmpty)
    }

    @Test func containerWinsOverInstanceMetadata() throws {
        var values = try allSources()
        for name in ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SHARED_CREDENTIALS_FILE"] { values[name] = nil }
        let chain = chain(values)
        #expect(try chain.credentials().accessKeyID == "ASIAFROMCONTAINER")
        #expect(try chain.credentials().accessKeyID == "ASIAFROMCONTAINER")
        #expect(try chain.resolve() == "container")
        #expect(container.requests.count == 1)
        #expect(imds.requests.isEmpty)
        // After a service reported an expired token, the next call fetches again.
        chain.invalidate()
        #expect(try chain.credentials().accessKeyID == "ASIAFROMCONTAINER")
        #expect(container.requests.count == 2)
    }

    @Test func instanceMetadataIsTheLastResort() throws {
        var values = try allSources()
        for name in [
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        ] {
            values[name] = nil
        }
        let chain = chain(values)
        #expect(try chain.credentials().accessKeyID == "ASIAIMDS")
        #expect(try chain.resolve() == "instanceMetadata")
    }

    @Test func webIdentityWinsOverFiles() throws {
        let token = try directory.write("token", "oidc-token")
        let sts = try LoopbackHTTPServer { _ in
            FakeSTS.success(result: "AssumeRoleWithWebIdentityResult", key: "ASIAFROMWEBID")
        }
        var values = try allSources()
        values["AWS_ACCESS_KEY_ID"] = nil
        values["AWS_SECRET_ACCESS_KEY"] = nil
        values["AWS_WEB_IDENTITY_TOKEN_FILE"] = token
        values["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa"
        values["AWS_ENDPOINT_URL_STS"] = sts.baseURL
        let chain = chain(values)
        #expect(try chain.resolve() == "webIdentity")
        #expect(try chain.credentials().accessKeyID == "ASIAFROMWEBID")
        #expect(sts.requests.count == 1)
    }

    @Test func nothingConfigured() throws {
        let chain = chain(["AWS_EC2_METADATA_DISABLED": "true", "HOME": directory.path])
        let error = try #require(throws: CredentialError.self) { try chain.credentials() }
        #expect(error.code == .notConfigured)
    }

    @Test func aFailingChosenSourceDoesNotFallThrough() throws {
        let broken = try LoopbackHTTPServer { _ in FakeResponse(status: 500) }
        var values = try allSources()
        for name in [
            "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SHARED_CREDENTIALS_FILE",
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        ] {
            values[name] = nil
        }
        values["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = broken.baseURL + "/creds"
        let chain = chain(values)
        let error = try #require(throws: CredentialError.self) { try chain.credentials() }
        #expect(error.source == "container")
        #expect(error.httpStatus == 500)
        #expect(imds.requests.isEmpty)
    }

    @Test func partialEnvironmentKeysAreAnError() throws {
        let chain = chain(["AWS_ACCESS_KEY_ID": "AKIAONLY", "AWS_EC2_METADATA_DISABLED": "true"])
        let error = try #require(throws: CredentialError.self) { try chain.resolve() }
        #expect(error.code == .invalidConfiguration)
    }

    @Test func environmentSessionToken() throws {
        let provider = try #require(
            try EnvironmentCredentialProvider(
                environment: EnvironmentReader(values: [
                    "AWS_ACCESS_KEY_ID": "ASIAENV", "AWS_SECRET_ACCESS_KEY": "s", "AWS_SESSION_TOKEN": "tok",
                ])
            )
        )
        let credentials = try provider.credentials()
        #expect(credentials.sessionToken == "tok")
        #expect(credentials.expiration == nil)
    }
}
