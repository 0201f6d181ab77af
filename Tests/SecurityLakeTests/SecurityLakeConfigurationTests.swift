import Pipeline
import Testing

/// The Security Lake options as an operator writes them.
@Suite struct SecurityLakeConfigurationTests {
    @Test func optionsParseFromTheEnvironment() throws {
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_FORMAT": "parquet",
                "LAKEMARK_SECURITY_LAKE_LOCATIONS": "2004=s3://lake-bucket/ext/sec-2004/1.0/, 6003=ext/sec-6003/2.0",
                "LAKEMARK_SECURITY_LAKE_REGION": "eu-west-1", "LAKEMARK_RAW_LOCATION": "ext/sec-errors",
                "LAKEMARK_SPOOL_DIR": "/var/spool/lakemark", "LAKEMARK_SPOOL_MAX_AGE_SECONDS": "600",
                "LAKEMARK_SPOOL_MAX_BYTES": "1048576", "LAKEMARK_PARQUET_ZSTD_LEVEL": "5",
            ]
        )
        #expect(configuration.format == .parquet)
        let lake = configuration.securityLake
        #expect(lake.keyPrefix(classUID: 2004) == "ext/sec-2004/1.0/")
        #expect(lake.keyPrefix(classUID: 6003) == "ext/sec-6003/2.0/")
        #expect(lake.keyPrefix(classUID: 3002) == "ext/lakemark-3002/1.0/")
        #expect(lake.keyPrefix(classUID: 2004, under: "ext") == "sec-2004/1.0/")
        #expect(lake.keyPrefix(classUID: 2004, under: "other/") == nil)
        #expect(lake.rawLocation == "ext/sec-errors/")
        #expect(lake.region == "eu-west-1")
        #expect(lake.spoolDirectory == "/var/spool/lakemark")
        #expect(lake.spoolMaxAgeSeconds == 600)
        #expect(lake.spoolMaxBytes == 1_048_576)
        #expect(lake.zstdLevel == 5)
        #expect(SecurityLakeSettings.bucket("s3://lake-bucket/ext/x/") == "lake-bucket")
    }

    @Test(arguments: [
        ("LAKEMARK_FORMAT", "orc"), ("LAKEMARK_SECURITY_LAKE_LOCATIONS", "detection=s3://b/ext/x/"),
        ("LAKEMARK_SECURITY_LAKE_LOCATIONS", "2004=s3://b/ext/../x/"), ("LAKEMARK_RAW_LOCATION", "raw/../x/"),
        ("LAKEMARK_SPOOL_MAX_AGE_SECONDS", "0"), ("LAKEMARK_PARQUET_ZSTD_LEVEL", "30"),
        ("LAKEMARK_SECURITY_LAKE_REGION", "eu west"), ("LAKEMARK_SECURITY_LAKE_REGION", "Mars"),
        ("LAKEMARK_SECURITY_LAKE_REGION", "us-east-"), ("LAKEMARK_SECURITY_LAKE_LOCATIONS", "2004=ext/a/,2004=ext/b/"),
        ("AWS_REGION", "us-east-1/../x"),
    ])
    func badValuesNameTheOption(variable: (String, String)) {
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationLoader.load(path: nil, environment: [variable.0: variable.1])
        }
    }

    @Test func defaultIsTodaysGzipNDJSON() throws {
        let configuration = try ConfigurationLoader.load(path: nil, environment: [:])
        #expect(configuration.format == .ndjsonGzip)
        #expect(configuration.securityLake.spoolDirectory == nil)
    }
}

/// `security_lake_roles` and the role ARN check.
@Suite struct SecurityLakeRoleOptionTests {
    @Test func rolesParsePerClass() throws {
        let a = "arn:aws:iam::111122223333:role/AmazonSecurityLake-Provider-sec2004-eu-west-1"
        let b = "arn:aws-us-gov:iam::111122223333:role/service/AmazonSecurityLake-Provider-x_y.z@1-eu-west-1"
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: ["LAKEMARK_SECURITY_LAKE_ROLES": "2004=\(a), 6003=\(b)"]
        )
        #expect(configuration.securityLake.roles == [2004: a, 6003: b])
    }

    @Test(arguments: [
        "2004=arn:aws:iam::1111222233:role/short-account", "2004=arn:aws:s3:::bucket/ext/",
        "2004=arn:aws:iam::111122223333:user/lakemark", "detection=arn:aws:iam::111122223333:role/x",
        "2004=arn:aws:iam::111122223333:role/", "2004=arn:aws:iam::111122223333:role/a b",
        "2004=arn:aws:iam::111122223333:role/\(String(repeating: "n", count: 65))", "2004",
    ])
    func badRolesNameTheOption(value: String) {
        do {
            _ = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_SECURITY_LAKE_ROLES": value])
            Issue.record("accepted \(value)")
        } catch {
            #expect(error.key == "security_lake_roles")
        }
    }

    @Test func s3RoleARNIsCheckedTheSameWay() {
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationLoader.load(
                path: nil,
                environment: ["LAKEMARK_S3_ROLE_ARN": "arn:aws:iam::role/AmazonSecurityLake-Provider"]
            )
        }
    }

    @Test func aLocationInAnotherBucketStopsStartUp() {
        var configuration = Configuration()
        configuration.sink = .s3(bucket: "lake", prefix: "ext")
        configuration.s3.region = "us-east-1"
        configuration.format = .parquet
        configuration.securityLake.locations = [2004: "s3://otherbucket/ext/sec/1.0/"]
        let factory = SinkFactory(environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"])
        #expect {
            _ = try factory.makeSink(configuration)
        } throws: { error in
            (error as? ConfigurationError)?.key == "security_lake_locations" && "\(error)".contains("otherbucket")
        }
    }

    @Test func aClassThisBuildDoesNotWriteStopsStartUp() throws {
        var settings = SecurityLakeSettings()
        settings.locations = [9999: "ext/x/1.0/"]
        #expect { _ = try SecurityLakeWriter(settings: settings) } throws: { error in
            (error as? ConfigurationError)?.key == "security_lake_locations" && "\(error)".contains("9999")
        }
        #expect(try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_SECURITY_LAKE_REGION": "us-gov-west-1"])
            .securityLake.region == "us-gov-west-1")
    }

    @Test func classesSharingALocationWithDifferentRolesStopStartUp() {
        var configuration = Configuration()
        configuration.sink = .s3(bucket: "lake", prefix: "ext")
        configuration.s3.region = "us-east-1"
        configuration.format = .parquet
        configuration.securityLake.locations = [2003: "s3://lake/ext/sec/1.0/", 2004: "s3://lake/ext/sec/1.0/"]
        configuration.securityLake.roles = [
            2003: "arn:aws:iam::111122223333:role/a", 2004: "arn:aws:iam::111122223333:role/b",
        ]
        let factory = SinkFactory(environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "x"])
        do {
            _ = try factory.makeSink(configuration)
            Issue.record("accepted two roles for one location")
        } catch {
            #expect(error.key == "security_lake_roles")
        }
    }
}
