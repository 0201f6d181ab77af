import AWSCredentialChain
import AWSSigning
import Foundation
import ServiceSupport
import Testing

@Suite struct ProfileCredentialProviderTests {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory()
    }

    func provider(
        credentials: String = "",
        config: String = "",
        _ extra: [String: String] = [:]
    ) throws -> ProfileCredentialProvider? {
        var values = [
            "AWS_SHARED_CREDENTIALS_FILE": try directory.write("credentials", credentials),
            "AWS_CONFIG_FILE": try directory.write("config", config),
        ]
        values.merge(extra) { _, new in new }
        return try ProfileCredentialProvider(environment: EnvironmentReader(values: values), options: loopbackOptions())
    }

    @Test func staticKeysFromTheCredentialsFile() throws {
        let text = """
            # comment
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default/secret+key=
            aws_session_token = tok

            [other]
            AWS_ACCESS_KEY_ID=AKIAOTHER
            aws_secret_access_key=other-secret
            """
        let defaultProfile = try #require(try provider(credentials: text))
        let keys = try defaultProfile.credentials()
        #expect(keys.accessKeyID == "AKIADEFAULT")
        #expect(keys.secretAccessKey == "default/secret+key=")
        #expect(keys.sessionToken == "tok")
        #expect(defaultProfile.kind == "staticKeys")
        let other = try #require(try provider(credentials: text, ["AWS_PROFILE": "other"]))
        #expect(try other.credentials().accessKeyID == "AKIAOTHER")
        #expect(other.profileName == "other")
    }

    @Test func configFileProfilesAndPrecedence() throws {
        let config = """
            [profile work]
            region = eu-west-1
            aws_access_key_id = AKIAFROMCONFIG
            aws_secret_access_key = config-secret
            s3 =
              max_concurrent_requests = 4
            [sso-session corp]
            sso_start_url = https://example.invalid/start
            """
        let fromConfig = try #require(try provider(config: config, ["AWS_PROFILE": "work"]))
        #expect(try fromConfig.credentials().accessKeyID == "AKIAFROMCONFIG")
        let credentials = "[work]\naws_access_key_id = AKIAFROMCREDENTIALS\naws_secret_access_key = c\n"
        let merged = try #require(
            try provider(credentials: credentials, config: config, ["AWS_DEFAULT_PROFILE": "work"])
        )
        #expect(try merged.credentials().accessKeyID == "AKIAFROMCREDENTIALS")
    }

    @Test func homeDirectoryDefaults() throws {
        try directory.write(".aws/credentials", "[default]\naws_access_key_id = AKIAHOME\naws_secret_access_key = h\n")
        let provider = try #require(
            try ProfileCredentialProvider(
                environment: EnvironmentReader(values: ["HOME": directory.path]),
                options: loopbackOptions()
            )
        )
        #expect(try provider.credentials().accessKeyID == "AKIAHOME")
    }

    @Test func missingProfiles() throws {
        #expect(try provider(credentials: "[other]\naws_access_key_id = A\naws_secret_access_key = B\n") == nil)
        #expect(try provider(credentials: "[default]\nregion = us-east-1\n") == nil)
        let error = try #require(throws: CredentialError.self) { _ = try provider(["AWS_PROFILE": "absent"]) }
        #expect(error.code == .invalidConfiguration)
    }

    @Test func malformedFilesNameTheLineButNotTheContent() throws {
        let error = try #require(throws: CredentialError.self) {
            _ = try provider(credentials: "[default]\naws_access_key_id = A\nthis-line-holds-a-secret\n")
        }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("line 3"))
        #expect(!error.description.contains("this-line-holds-a-secret"))
    }

    @Test func unsupportedAndBrokenProfiles() throws {
        let cases = [
            "[default]\ncredential_process = /usr/bin/get-creds\n",
            "[default]\naws_access_key_id = AKIAONLY\n",
            "[default]\nrole_arn = arn:aws:iam::1:role/r\n",
            "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = a\n[a]\nrole_arn = arn:aws:iam::1:role/s\n"
                + "source_profile = default\n",
            "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = missing\n",
            "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Moon\n",
            "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n",
            "[default]\nweb_identity_token_file = /t\n",
        ]
        for text in cases {
            let error = try #require(throws: CredentialError.self, "\(text)") { _ = try provider(credentials: text) }
            #expect(error.code == .invalidConfiguration, "\(text)")
        }
    }

    @Test func assumeRoleFromSourceProfileIsSigned() throws {
        let sts = try LoopbackHTTPServer { request in
            FakeSTS.form(request.bodyText)["Action"] == "AssumeRole"
                ? FakeSTS.success(result: "AssumeRoleResult", key: "ASIAASSUMED") : FakeResponse(status: 400)
        }
        let credentials = """
            [base]
            aws_access_key_id = AKIABASE
            aws_secret_access_key = base-secret
            """
        let config = """
            [default]
            role_arn = arn:aws:iam::123456789012:role/lake
            source_profile = base
            external_id = ext-42
            role_session_name = lakemark-test
            duration_seconds = 1800
            region = eu-central-1
            """
        let provider = try #require(
            try provider(credentials: credentials, config: config, ["AWS_ENDPOINT_URL_STS": sts.baseURL])
        )
        #expect(provider.kind == "assumeRole")
        let keys = try provider.credentials()
        #expect(keys.accessKeyID == "ASIAASSUMED")
        #expect(keys.secretAccessKey == "secret&/ASIAASSUMED")
        #expect(keys.sessionToken == "token-ASIAASSUMED")
        #expect(keys.expiration == Date(timeIntervalSince1970: 4_070_908_800))
        // Cached: a second call does not reach STS.
        _ = try provider.credentials()
        let request = try #require(sts.requests.first)
        #expect(sts.requests.count == 1)
        let form = FakeSTS.form(request.bodyText)
        #expect(form["RoleArn"] == "arn:aws:iam::123456789012:role/lake")
        #expect(form["ExternalId"] == "ext-42")
        #expect(form["RoleSessionName"] == "lakemark-test")
        #expect(form["DurationSeconds"] == "1800")
        #expect(form["Version"] == "2011-06-15")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIABASE/"))
        #expect(authorization.contains("/eu-central-1/sts/aws4_request"))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date,"))
    }

    @Test func assumeRoleWithCredentialSourceEnvironmentAndSelfSource() throws {
        let sts = try LoopbackHTTPServer { _ in FakeSTS.success(result: "AssumeRoleResult", key: "ASIAROLE") }
        let config = "[default]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Environment\n"
        let fromEnvironment = try #require(
            try provider(
                config: config,
                [
                    "AWS_ENDPOINT_URL": sts.baseURL, "AWS_ACCESS_KEY_ID": "AKIAENVBASE", "AWS_SECRET_ACCESS_KEY": "e",
                ]
            )
        )
        #expect(try fromEnvironment.credentials().accessKeyID == "ASIAROLE")
        #expect(sts.requests.last?.headers["authorization"]?.contains("Credential=AKIAENVBASE/") == true)

        let selfSourced =
            "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = default\n"
            + "aws_access_key_id = AKIASELF\naws_secret_access_key = s\n"
        let provider = try #require(try provider(credentials: selfSourced, ["AWS_ENDPOINT_URL_STS": sts.baseURL]))
        #expect(try provider.credentials().accessKeyID == "ASIAROLE")
        #expect(sts.requests.last?.headers["authorization"]?.contains("Credential=AKIASELF/") == true)
    }

    @Test func webIdentityProfile() throws {
        let token = try directory.write("oidc", "profile-oidc-token")
        let sts = try LoopbackHTTPServer { _ in
            FakeSTS.success(result: "AssumeRoleWithWebIdentityResult", key: "ASIAWEB")
        }
        let config = "[default]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = \(token)\n"
        let provider = try #require(try provider(config: config, ["AWS_ENDPOINT_URL_STS": sts.baseURL]))
        #expect(provider.kind == "webIdentity")
        #expect(try provider.credentials().accessKeyID == "ASIAWEB")
        #expect(FakeSTS.form(try #require(sts.requests.first).bodyText)["WebIdentityToken"] == "profile-oidc-token")
    }
}
