import Foundation
import Pipeline
import Testing

@Suite struct ConfigurationTests {
    @Test func defaults() throws {
        let configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(configuration.listenHost == "127.0.0.1" && configuration.listenPort == 8080)
        #expect(configuration.ingestPath == "/")
        #expect(configuration.sink == .directory("./lake"))
        #expect(configuration.accessKeys.isEmpty)
        #expect(configuration.topK == 3)
        #expect(configuration.gzipLevel == 1 && configuration.zstdLevel == 1)
    }

    @Test func ndjsonZstdHasItsOwnLevelApartFromParquetPages() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: ["LAKEMARK_ZSTD_LEVEL": "7", "LAKEMARK_PARQUET_ZSTD_LEVEL": "4"]
        )
        #expect(configuration.zstdLevel == 7)
        #expect(configuration.securityLake.zstdLevel == 4)
    }

    @Test func environmentOverridesFileAndSecberusNamesAreHonoured() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("lakemark.json")
        try Data(#"{"listen":"0.0.0.0:9000","topk":5,"frameworks":["iso_27001"],"min_similarity":0.4}"#.utf8)
            .write(to: file)
        let configuration = try ConfigurationLoader.load(
            path: file.path,
            environment: [
                "LAKEMARK_LISTEN": "[::1]:8443", "LAKEMARK_ACCESS_KEYS": "old-key-1, new-key-2",
                "SECBERUS_FRAMEWORKS": "pci_dss_v4,soc2", "SECBERUS_MIN_CONFIDENCE": "medium", "SECBERUS_TOPK": "2",
                "SECBERUS_SOURCE_FIELD": "finding_info.desc,description,message", "LAKEMARK_SINK": "file:///data/lake",
            ]
        )
        #expect(configuration.listenHost == "::1" && configuration.listenPort == 8443)
        #expect(configuration.accessKeys == ["old-key-1", "new-key-2"])
        #expect(configuration.frameworks == ["pci_dss_v4", "soc2"])
        #expect(configuration.threshold == .minConfidence("Medium"))
        #expect(configuration.topK == 2)
        #expect(configuration.sourceFields.map(\.description) == ["finding_info.desc", "description", "message"])
        #expect(configuration.sink == .directory("/data/lake"))
    }

    @Test(arguments: [
        ("LAKEMARK_LISTEN", "8080", "listen"), ("LAKEMARK_LISTEN", "host:99999", "listen"),
        ("SECBERUS_TOPK", "0", "topk"), ("SECBERUS_MIN_SIMILARITY", "1.5", "min_similarity"),
        ("SECBERUS_MIN_CONFIDENCE", "Sure", "min_confidence"), ("SECBERUS_SOURCE_FIELD", "a..b", "source_fields"),
        ("LAKEMARK_SINK", "s3://Bad_Bucket/prefix", "sink"), ("LAKEMARK_MAPPER", "magic", "mapper"),
        ("LAKEMARK_GZIP_LEVEL", "12", "gzip_level"), ("LAKEMARK_LOG_LEVEL", "loud", "log_level"),
        ("LAKEMARK_ZSTD_LEVEL", "20", "zstd_level"),
    ])
    func badValuesNameTheOptionAndWhatIsAllowed(_ variable: String, _ value: String, _ key: String) {
        do {
            _ = try ConfigurationLoader.load(path: nil, environment: [variable: value])
            Issue.record("\(variable)=\(value) was accepted")
        } catch {
            #expect(error.key == key)
            #expect(error.description.contains(variable))
            #expect(!error.message.isEmpty)
        }
    }

    @Test func bothThresholdsInOneLayerAreAConflict() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(
                path: nil,
                environment: [
                    "SECBERUS_MIN_SIMILARITY": "0.3", "SECBERUS_MIN_CONFIDENCE": "High",
                ]
            )
        }
    }

    @Test func unknownFileKeysAreRejected() throws {
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("c.json")
        try Data(#"{"lisen":"0.0.0.0:1"}"#.utf8).write(to: file)
        #expect(throws: ConfigurationError.self) { try ConfigurationLoader.load(path: file.path, environment: [:]) }
    }

    @Test func aNumberOptionGivenABooleanSaysANumberIsExpected() throws {
        let file = try TestEnvironment.temporaryDirectory().appendingPathComponent("c.json")
        for (text, expected) in [
            (#"{"topk":true}"#, "expected a whole number"), (#"{"min_similarity":false}"#, "expected a number"),
            (#"{"topk":"five"}"#, "expected a whole number"),
        ] {
            try Data(text.utf8).write(to: file)
            #expect {
                try ConfigurationLoader.load(path: file.path, environment: [:])
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }

    @Test func aFrameworkNamedTwiceIsKeptOnce() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil, environment: ["SECBERUS_FRAMEWORKS": "soc2, pci_dss_v4,soc2"])
        #expect(configuration.frameworks == ["soc2", "pci_dss_v4"])
    }

    @Test func exampleConfigurationLoads() throws {
        let example = TestEnvironment.repositoryRoot.appendingPathComponent("config/lakemark.json")
        let configuration = try ConfigurationLoader.load(path: example.path, environment: [:])
        #expect(configuration.frameworks.count == 5)
    }

    /// The README's option table is generated from the code; this fails when they drift apart.
    @Test func readmeDocumentsEveryOptionExactly() throws {
        let readme = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        #expect(
            readme.contains(ConfigurationReference.markdown()),
            "run `lakemark options` and paste the table into README.md"
        )
    }
}

@Suite struct AccessKeyConfigurationTests {
    @Test func jsonArrayKeepsKeysWithCommasVerbatim() throws {
        let key = #"{"user":"a,b","pad":"x= "}"#
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_ACCESS_KEYS": #"["\#(key.replacingOccurrences(of: "\"", with: "\\\""))", "second-key"]"#
            ]
        )
        #expect(configuration.accessKeys == [key, "second-key"])
    }
}

@Suite struct ConfigurationValidationTests {
    @Test(arguments: ["/healthz", "/readyz", "/metrics", "/v1/map", "/v1/frameworks"])
    func ingestPathCannotShadowTheServicePaths(_ path: String) {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_INGEST_PATH": path])
        }
    }

    @Test func listenHostMustBeAnAddressOrLocalhost() throws {
        let local = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_LISTEN": "localhost:9000"])
        #expect(local.listenHost == "127.0.0.1")
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_LISTEN": "example.com:80"])
        }
    }

    @Test(arguments: ["", " ", "[]", ","])
    func anEmptyAccessKeyListIsRefusedRatherThanOpeningTheEndpoint(_ value: String) {
        do {
            _ = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_ACCESS_KEYS": value])
            Issue.record("an empty LAKEMARK_ACCESS_KEYS was accepted")
        } catch {
            #expect(error.key == "access_keys" && error.origin == "LAKEMARK_ACCESS_KEYS")
        }
    }

    @Test func onlyTheLastListedVariableOfAnOptionIsRead() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "AWS_MAX_ATTEMPTS": "abc", "LAKEMARK_S3_MAX_ATTEMPTS": "2",
                "AWS_DEFAULT_REGION": "eu-west-1", "AWS_REGION": "us-east-2",
            ]
        )
        #expect(configuration.s3.maxAttempts == 2)
        #expect(configuration.s3.region == "us-east-2")
        do {
            _ = try ConfigurationLoader.load(path: nil, environment: ["AWS_MAX_ATTEMPTS": "11"])
            Issue.record("AWS_MAX_ATTEMPTS=11 was accepted")
        } catch {
            #expect(error.origin == "AWS_MAX_ATTEMPTS")
        }
    }

    @Test func unknownFrameworksAreRefusedNamingTheVariable() {
        do {
            _ = try ConfigurationLoader.load(path: nil, environment: ["SECBERUS_FRAMEWORKS": "pci_dss_v4,pci"])
            Issue.record("an unknown framework was accepted")
        } catch {
            #expect(error.key == "frameworks" && error.origin == "SECBERUS_FRAMEWORKS")
            #expect(error.message.contains("\"pci\""))
        }
    }

    @Test func shortAccessKeysAreRefused() {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_ACCESS_KEYS": "a,b,c"])
        }
    }

    @Test func conflictNamesBothOptionsAndOrigins() {
        do {
            _ = try ConfigurationLoader.load(
                path: nil,
                environment: [
                    "SECBERUS_MIN_SIMILARITY": "0.5", "SECBERUS_MIN_CONFIDENCE": "High",
                ]
            )
            Issue.record("accepted both thresholds")
        } catch {
            #expect(
                error.description.contains("SECBERUS_MIN_SIMILARITY")
                    && error.description.contains("SECBERUS_MIN_CONFIDENCE")
            )
        }
    }

    @Test func unknownLookalikeVariablesAreReported() {
        let unknown = ConfigurationLoader.unknownVariables(in: [
            "LAKEMARK_TOPK": "0", "SECBERUS_TOPK": "3", "LAKEMARK_CONFIG": "x", "HOME": "/root",
        ])
        #expect(unknown == ["LAKEMARK_TOPK"])
    }
}

@Suite struct ObjectKeyTests {
    @Test func anIDImitatingAHashedNameCannotTakeItsObjects() {
        let keys = ObjectKeyBuilder()
        let partition = keys.partition(source: "json", region: nil, accountID: nil, timeMillis: 0)
        let name = { (id: String) in
            String(keys.key(for: partition, requestID: id, index: 0).split(separator: "/").last ?? "")
        }
        let hashed = String(name("a/b").dropLast("-0.json.gz".count))
        #expect(hashed.hasPrefix("a_b-") && hashed.utf8.count == 20)
        #expect(name(hashed) != name("a/b"))
        let uuid = "3d8d6d9e-4a3b-4c1d-9e8f-0a1b2c3d4e5f"
        #expect(name(uuid) == uuid + "-0.json.gz", "Firehose's ids stay as they are")
    }

    @Test(arguments: [".tmp-abc", "../../x", "..", "-rf", "a/b", "batch:1", String(repeating: "x", count: 80)])
    func oddRequestIDsGiveVisibleDistinctNames(_ id: String) {
        let key = ObjectKeyBuilder().key(
            for: ObjectKeyBuilder().partition(source: "json", region: nil, accountID: nil, timeMillis: 0),
            requestID: id,
            index: 0
        )
        let name = String(key.split(separator: "/").last ?? "")
        #expect(!name.hasPrefix(".") && !name.hasPrefix("-"))
        #expect(!key.contains(".."))
        #expect(
            name
                != ObjectKeyBuilder().key(
                    for: ObjectKeyBuilder().partition(source: "json", region: nil, accountID: nil, timeMillis: 0),
                    requestID: id + "x",
                    index: 0
                ).split(separator: "/").last.map(String.init)
        )
    }

    @Test func uuidsAreKeptAsTheyAre() {
        let key = ObjectKeyBuilder().key(
            for: ObjectKeyBuilder().partition(source: "json", region: "us-east-1", accountID: "1", timeMillis: 0),
            requestID: "1f0e2d3c-4b5a-4697-8887-a9b0c1d2e3f4",
            index: 2
        )
        #expect(
            key
                == "ext/json/region=us-east-1/accountId=1/eventDay=19700101/"
                + "1f0e2d3c-4b5a-4697-8887-a9b0c1d2e3f4-2.json.gz"
        )
    }
}

@Suite struct S3RoleConfigurationTests {
    @Test func roleARNIsValidatedAndKeptWithItsExternalID() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_S3_ROLE_ARN": "arn:aws:iam::111122223333:role/AmazonSecurityLake-Provider",
                "LAKEMARK_S3_ROLE_EXTERNAL_ID": "external-7",
            ]
        )
        #expect(configuration.s3RoleARN == "arn:aws:iam::111122223333:role/AmazonSecurityLake-Provider")
        #expect(configuration.s3RoleExternalID == "external-7")
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_S3_ROLE_ARN": "not-an-arn"])
        }
    }
}

@Suite struct S3SinkLocationTests {
    @Test(arguments: ["s3://bucket/../x", "s3://bucket/a/./b", "s3://bucket/a\u{01}b"])
    func prefixesThatEscapeOrHideAreRefused(_ url: String) {
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_SINK": url])
        }
    }

    @Test func plainPrefixesAreKept() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: ["LAKEMARK_SINK": "s3://my-lake/ext/x"]
        )
        #expect(configuration.sink == .s3(bucket: "my-lake", prefix: "ext/x"))
    }

    @Test func serveBeyondLoopbackNeedsAccessKeysOrAnExplicitOptOut() throws {
        var configuration = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_LISTEN": "0.0.0.0:8080"])
        let error = try #require(configuration.unauthenticatedExposure())
        #expect(error.code == .conflict && error.description.contains("LAKEMARK_ACCESS_KEYS"))
        configuration.accessKeys = ["a-firehose-key"]
        #expect(configuration.unauthenticatedExposure() == nil)
        for listen in ["127.0.0.1:8080", "127.0.0.2:8080", "[::1]:8080", "localhost:8080"] {
            let local = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_LISTEN": listen])
            #expect(local.unauthenticatedExposure() == nil, "\(listen)")
        }
        let allowed = try ConfigurationLoader.load(
            path: nil,
            environment: ["LAKEMARK_LISTEN": "0.0.0.0:8080", "LAKEMARK_ALLOW_UNAUTHENTICATED": "true"]
        )
        #expect(allowed.unauthenticatedExposure() == nil)
    }
}
