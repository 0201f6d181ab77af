import AWSCredentialChain
import AWSSigning
import Foundation
import HTTPClient
import ServiceSupport
import Testing

@Suite struct SecretsManagerTests {
    static let fakeKeys = StaticCredentialProvider(
        AWSCredentials(accessKeyID: "AKIAFAKE", secretAccessKey: "fake-secret")
    )

    func motoClient(_ moto: MotoPeer) throws -> SecretsManagerClient {
        let keys = StaticCredentialProvider(
            AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: moto.secretAccessKey)
        )
        return try SecretsManagerClient(
            region: moto.region,
            credentials: keys,
            environment: EnvironmentReader(values: ["AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.endpoint]),
            connectors: AWSHTTPConnectors()
        )
    }

    @Test(.enabled(if: MotoPeer.isAvailable, MotoPeer.unavailableMessage))
    func plaintextJSONAndBinarySecrets() throws {
        let moto = try MotoPeer.authenticated.get()
        let client = try motoClient(moto)
        let id = UUID().uuidString
        let plain = try moto.run(["op": "create_secret", "name": "plain-\(id)", "value": "sk-plain-value"])
        _ = try moto.run([
            "op": "create_secret", "name": "json-\(id)", "value": #"{"api_key": "sk-from-json", "note": "x"}"#,
        ])
        _ = try moto.run(["op": "create_secret", "name": "other-\(id)", "value": #"{"token": "t"}"#])
        _ = try moto.run(["op": "create_binary_secret", "name": "binary-\(id)", "value": #"{"api_key":"sk-binary"}"#])

        let plainValue = try client.getSecretValue(secretID: "plain-\(id)")
        #expect(plainValue.secretString == "sk-plain-value")
        #expect(try plainValue.apiKey() == "sk-plain-value")
        #expect(plainValue.versionID == plain["versionId"] as? String)
        let byARN = try client.getSecretValue(secretID: try #require(plain["arn"] as? String))
        #expect(try byARN.apiKey() == "sk-plain-value")
        #expect(try client.getSecretValue(secretID: "json-\(id)").apiKey() == "sk-from-json")
        let other = try client.getSecretValue(secretID: "other-\(id)")
        let refused = try #require(throws: CredentialError.self) { try other.apiKey() }
        #expect(refused.code == .invalidConfiguration && !refused.description.contains("\"t\""))
        #expect(try client.getSecretValue(secretID: "binary-\(id)").apiKey() == "sk-binary")

        let missing = try #require(throws: CredentialError.self) { try client.getSecretValue(secretID: "absent-\(id)") }
        #expect(missing.code == .serviceError)
        #expect(missing.serviceCode == "ResourceNotFoundException")
    }

    @Test(.enabled(if: MotoPeer.isAvailable, MotoPeer.unavailableMessage))
    func badSignatureIsRejectedByMoto() throws {
        let moto = try MotoPeer.authenticated.get()
        let name = "sig-\(UUID().uuidString)"
        _ = try moto.run(["op": "create_secret", "name": name, "value": "v"])
        let wrong = StaticCredentialProvider(AWSCredentials(accessKeyID: moto.accessKeyID, secretAccessKey: "wrong"))
        let client = try SecretsManagerClient(
            endpoint: try HTTPURL(parsing: moto.endpoint),
            region: moto.region,
            credentials: wrong,
            connectors: AWSHTTPConnectors()
        )
        let error = try #require(throws: CredentialError.self) { try client.getSecretValue(secretID: name) }
        #expect(error.serviceCode == "SignatureDoesNotMatch")
    }

    @Test(.enabled(if: MotoPeer.isAvailable, MotoPeer.unavailableMessage))
    func rotationIsPickedUpByTheCache() throws {
        let moto = try MotoPeer.authenticated.get()
        let name = "rotating-\(UUID().uuidString)"
        _ = try moto.run(["op": "create_secret", "name": name, "value": #"{"api_key":"key-v1"}"#])
        let clock = ManualClock()
        let runner = ManualRunner()
        var configuration = SecretCache.Configuration()
        configuration.now = clock.function
        configuration.runInBackground = runner.function
        let cache = SecretCache(client: try motoClient(moto), secretID: name, configuration: configuration)
        #expect(try cache.apiKey() == "key-v1")

        _ = try moto.run(["op": "put_secret_value", "name": name, "value": #"{"api_key":"key-v2"}"#])
        clock.advance(by: 599)
        #expect(try cache.apiKey() == "key-v1")
        #expect(runner.pendingCount == 0)
        clock.advance(by: 2)
        // Past the interval: the old key is served at once and one background read is queued.
        #expect(try cache.apiKey() == "key-v1")
        #expect(runner.pendingCount == 1)
        runner.runAll()
        #expect(try cache.apiKey() == "key-v2")

        // An API that refused the key makes the cache read again before the interval is over.
        _ = try moto.run(["op": "put_secret_value", "name": name, "value": #"{"api_key":"key-v3"}"#])
        #expect(try cache.apiKey() == "key-v2")
        cache.invalidate()
        #expect(try cache.apiKey() == "key-v3")
        #expect(runner.pendingCount == 0)
    }

    @Test func requestShapeAndErrorParsing() throws {
        let answers = [
            FakeResponse.json(
                #"{"ARN":"arn","Name":"n","SecretString":"s3cr3t","VersionId":"v1","CreatedDate":1.7e9}"#
            ),
            FakeResponse.json(
                #"{"__type":"com.amazonaws.secretsmanager#DecryptionFailure:http://x","Message":"kms"}"#,
                status: 400
            ),
            FakeResponse(
                status: 400,
                headers: [("x-amzn-ErrorType", "AccessDeniedException:http://internal")],
                body: ""
            ),
            FakeResponse(
                status: 403,
                body: "<ErrorResponse><Errors><Error><Code>InvalidSignatureException</Code>"
                    + "<Message>bad</Message></Error></Errors></ErrorResponse>"
            ),
            FakeResponse(status: 502, body: "bad gateway"),
            FakeResponse.json(#"{"Name":"n"}"#),
        ]
        let server = try LoopbackHTTPServer { _ in answers[0] }
        let client = try SecretsManagerClient(
            endpoint: try HTTPURL(parsing: server.baseURL),
            region: "eu-west-1",
            credentials: StaticCredentialProvider(
                AWSCredentials(accessKeyID: "ASIAFAKE", secretAccessKey: "fake-secret", sessionToken: "session")
            ),
            connectors: AWSHTTPConnectors()
        )
        let value = try client.getSecretValue(
            secretID: "arn:aws:secretsmanager:eu-west-1:1:secret:k\"ey",
            versionStage: "AWSPREVIOUS"
        )
        #expect(value.secretString == "s3cr3t")
        #expect(value.versionID == "v1")
        #expect(!"\(value)".contains("s3cr3t"))
        var dumped = ""
        dump(value, to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
        let request = try #require(server.requests.first)
        #expect(request.method == "POST")
        #expect(request.target == "/")
        #expect(request.headers["x-amz-target"] == "secretsmanager.GetSecretValue")
        #expect(request.headers["content-type"] == "application/x-amz-json-1.1")
        #expect(request.headers["x-amz-security-token"] == "session")
        let authorization = try #require(request.headers["authorization"])
        #expect(authorization.contains("/eu-west-1/secretsmanager/aws4_request"))
        #expect(authorization.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"))
        let body = try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: String]
        #expect(body == ["SecretId": "arn:aws:secretsmanager:eu-west-1:1:secret:k\"ey", "VersionStage": "AWSPREVIOUS"])

        let expected: [(String?, CredentialError.Code, String?)] = [
            ("DecryptionFailure", .serviceError, "kms"),
            ("AccessDeniedException", .serviceError, nil),
            ("InvalidSignatureException", .serviceError, "bad"),
            (nil, .httpStatus, nil),
            (nil, .invalidResponse, nil),
        ]
        for (answer, (serviceCode, code, message)) in zip(answers.dropFirst(), expected) {
            let failing = try LoopbackHTTPServer { _ in answer }
            let client = try SecretsManagerClient(
                endpoint: try HTTPURL(parsing: failing.baseURL),
                region: "eu-west-1",
                credentials: Self.fakeKeys,
                connectors: AWSHTTPConnectors(),
                policy: FetchPolicy(timeout: .seconds(2), attempts: 1, retryDelay: .zero)
            )
            let error = try #require(throws: CredentialError.self) { try client.getSecretValue(secretID: "x") }
            #expect(error.code == code)
            #expect(error.serviceCode == serviceCode)
            if let message { #expect(error.message == message) }
        }
    }

    @Test func cacheKeepsTheKeyWhenARefreshFails() throws {
        let clock = ManualClock()
        let runner = ManualRunner()
        let failures = ErrorLog()
        let broken = Flag()
        let server = try LoopbackHTTPServer { _ in
            broken.isSet
                ? .json(#"{"__type":"InternalServiceError","message":"down"}"#, status: 500)
                : .json(#"{"SecretString":"{\"api_key\":\"stable-key\"}"}"#)
        }
        let client = try SecretsManagerClient(
            endpoint: try HTTPURL(parsing: server.baseURL),
            region: "us-east-1",
            credentials: Self.fakeKeys,
            connectors: AWSHTTPConnectors(),
            policy: FetchPolicy(timeout: .seconds(2), attempts: 1, retryDelay: .zero)
        )
        var configuration = SecretCache.Configuration()
        configuration.now = clock.function
        configuration.runInBackground = runner.function
        configuration.onRefreshFailure = failures.function
        let cache = SecretCache(client: client, secretID: "k", configuration: configuration)
        #expect(try cache.apiKey() == "stable-key")
        broken.set()
        clock.advance(by: 700)
        #expect(try cache.apiKey() == "stable-key")
        runner.runAll()
        #expect(try cache.apiKey() == "stable-key")
        #expect(failures.all.map(\.serviceCode) == ["InternalServiceError"])
        #expect(failures.all.allSatisfy { !$0.description.contains("stable-key") })
        // After a refusal the cache must not hand out the old key when it cannot read a new one.
        cache.invalidate()
        #expect(throws: CredentialError.self) { try cache.apiKey() }
    }

    @Test func apiKeyExtraction() throws {
        #expect(try SecretValue(secretString: "plain").apiKey() == "plain")
        #expect(try SecretValue(secretString: "SUPERSECRET-APIKEY-12345\n").apiKey() == "SUPERSECRET-APIKEY-12345")
        #expect(try SecretValue(secretString: #" {"api_key":"k\u00e9y"} "#).apiKey() == "kéy")
        #expect(try SecretValue(secretString: #"{"api_key":" spaced\n"}"#).apiKey() == "spaced")
        // Whatever else a JSON secret holds is never sent as the key.
        for refused in [
            #"{"api_key":42}"#, #"{"api_key":"#, #"{"username":"svc","password":"DB-PASSWORD-SECRET"}"#,
            #"{"api_key":"  "}"#, " \n ",
        ] {
            let error = try #require(throws: CredentialError.self) { try SecretValue(secretString: refused).apiKey() }
            #expect(error.code == .invalidConfiguration)
            #expect(!error.description.contains("DB-PASSWORD-SECRET"))
        }
        #expect(
            SecretsManagerClient.region(fromARN: "arn:aws:secretsmanager:ap-south-1:123:secret:name-AbC")
                == "ap-south-1"
        )
        #expect(SecretsManagerClient.region(fromARN: "name") == nil)
    }
}
