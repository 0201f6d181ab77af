import JSONBytes
import OCSF
import Testing

/// The source-to-OCSF mappings, checked on small hand-written events.
@Suite struct OCSFConverterTests {
    let converter = OCSFConverter()
    let catalog: OCSFSchemaCatalog

    init() throws {
        catalog = try OCSFSchemaCatalog.bundled()
    }

    /// Converts one event and validates every result; returns the OCSF events.
    func convert(_ json: String) throws -> [JSONTape] {
        var events: [JSONTape] = []
        for conversion in converter.convert(try JSONTape(parsing: Array(json.utf8))) {
            guard case .ocsf(let event, _) = conversion else {
                Issue.record("not converted: \(conversion)")
                continue
            }
            let uid = try #require(event.value(forKey: "class_uid", in: 0).flatMap(event.int64))
            let schema = try #require(catalog.schema(classUID: Int(uid)))
            _ = try OCSFShredder(schema: schema).shred(event, enrichment: nil)
            events.append(event)
        }
        return events
    }

    func string(_ tape: JSONTape, _ path: String) -> String? {
        tape.value(atPath: path.split(separator: ".").map(String.init)).flatMap(tape.string)
    }

    func int(_ tape: JSONTape, _ path: String) -> Int64? {
        tape.value(atPath: path.split(separator: ".").map(String.init)).flatMap(tape.int64)
    }

    static let cloudTrailBase = """
        "eventVersion":"1.08","eventTime":"2024-06-01T12:00:00Z","awsRegion":"eu-west-1",\
        "recipientAccountId":"111122223333","sourceIPAddress":"198.51.100.7","userAgent":"cli/2",\
        "eventID":"e-1","eventType":"AwsApiCall","requestID":"q-1",\
        "userIdentity":{"type":"IAMUser","userName":"ops","arn":"arn:aws:iam::111122223333:user/ops",\
        "accountId":"111122223333","accessKeyId":"AKIAEXAMPLE"}
        """

    @Test func cloudTrailCallIsAPIActivity() throws {
        let event = try #require(
            try convert(
                "{\(Self.cloudTrailBase),\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"DeleteBucketPolicy\","
                    + "\"requestParameters\":{\"bucketName\":\"b\"},\"errorCode\":\"AccessDenied\"}"
            ).first
        )
        #expect(int(event, "class_uid") == 6003)
        #expect(int(event, "activity_id") == 4)
        #expect(int(event, "type_uid") == 600_304)
        #expect(int(event, "status_id") == 2)
        #expect(int(event, "time") == 1_717_243_200_000)
        #expect(string(event, "api.operation") == "DeleteBucketPolicy")
        #expect(string(event, "api.service.name") == "s3.amazonaws.com")
        #expect(string(event, "api.response.error") == "AccessDenied")
        #expect(string(event, "actor.user.name") == "ops")
        #expect(string(event, "actor.user.account.uid") == "111122223333")
        #expect(string(event, "cloud.region") == "eu-west-1")
        #expect(string(event, "src_endpoint.ip") == "198.51.100.7")
        #expect(string(event, "metadata.version") == "1.1.0")
        #expect(string(event, "unmapped.requestParameters.bucketName") == "b")
    }

    @Test func consoleLoginIsAuthentication() throws {
        let event = try #require(
            try convert(
                "{\(Self.cloudTrailBase),\"eventSource\":\"signin.amazonaws.com\",\"eventName\":\"ConsoleLogin\","
                    + "\"responseElements\":{\"ConsoleLogin\":\"Failure\"},"
                    + "\"additionalEventData\":{\"MFAUsed\":\"No\"}}"
            ).first
        )
        #expect(int(event, "class_uid") == 3002)
        #expect(int(event, "status_id") == 2)
        #expect(string(event, "user.name") == "ops")
        #expect(event.value(atPath: ["is_mfa"]).map(event.kind) == .false)
    }

    @Test func iamUserChangeIsAccountChange() throws {
        let event = try #require(
            try convert(
                "{\(Self.cloudTrailBase),\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"CreateUser\","
                    + "\"requestParameters\":{\"userName\":\"new-hire\"}}"
            ).first
        )
        #expect(int(event, "class_uid") == 3001)
        #expect(int(event, "activity_id") == 1)
        #expect(string(event, "user.name") == "new-hire")
        #expect(string(event, "actor.user.name") == "ops")
    }

    static let asff = """
        {"SchemaVersion":"2018-10-08","Id":"arn:aws:securityhub:eu-west-1:111122223333:finding/1",\
        "ProductArn":"arn:aws:securityhub:eu-west-1::product/aws/securityhub","GeneratorId":"g",\
        "AwsAccountId":"111122223333","Types":["Software and Configuration Checks"],\
        "CreatedAt":"2024-06-01T11:00:00Z","UpdatedAt":"2024-06-01T12:00:00Z",\
        "Severity":{"Label":"MEDIUM"},"Title":"Buckets should block public access","Description":"Checks.",\
        "Remediation":{"Recommendation":{"Text":"Enable it.","Url":"https://example.com/r"}},\
        "Resources":[{"Type":"AwsS3Bucket","Id":"arn:aws:s3:::b","Region":"eu-west-1"}],\
        "Compliance":{"Status":"FAILED","RelatedRequirements":["NIST.800-53.r5 AC-3"]},\
        "ProductFields":{"ControlId":"S3.8","StandardsArn":"arn:aws:securityhub:::standards/x"},\
        "Workflow":{"Status":"NEW"},"RecordState":"ACTIVE"}
        """

    @Test func securityHubControlIsComplianceFinding() throws {
        let event = try #require(try convert(Self.asff).first)
        #expect(int(event, "class_uid") == 2003)
        #expect(int(event, "activity_id") == 2)
        #expect(int(event, "severity_id") == 3)
        #expect(string(event, "compliance.control") == "S3.8")
        #expect(int(event, "compliance.status_id") == 3)
        #expect(string(event, "finding_info.title") == "Buckets should block public access")
        #expect(string(event, "resource.uid") == "arn:aws:s3:::b")
        #expect(string(event, "remediation.desc") == "Enable it.")
        #expect(string(event, "unmapped.RecordState") == "ACTIVE")
    }

    @Test func eventBridgeSecurityHubEnvelopeYieldsEveryFinding() throws {
        let detection = Self.asff.replacingOccurrences(
            of: "\"Compliance\":{\"Status\":\"FAILED\","
                + "\"RelatedRequirements\":[\"NIST.800-53.r5 AC-3\"]},",
            with: ""
        )
        .replacingOccurrences(
            of: "\"ProductFields\":{\"ControlId\":\"S3.8\",\"StandardsArn\":"
                + "\"arn:aws:securityhub:::standards/x\"},",
            with: ""
        )
        let envelope =
            "{\"version\":\"0\",\"detail-type\":\"Security Hub Findings - Imported\","
            + "\"source\":\"aws.securityhub\",\"detail\":{\"findings\":[\(Self.asff),\(detection)]}}"
        let events = try convert(envelope)
        #expect(events.map { int($0, "class_uid") } == [2003, 2004])
    }

    @Test func guardDutyFindingIsDetectionFinding() throws {
        let event = try #require(
            try convert(
                """
                {"schemaVersion":"2.0","accountId":"111122223333","region":"eu-west-1","id":"g-1",\
                "arn":"arn:aws:guardduty:eu-west-1:111122223333:detector/d/finding/g-1",\
                "type":"Recon:EC2/PortProbeUnprotectedPort","title":"Port probed","description":"Probe.",\
                "severity":8,"createdAt":"2024-06-01T11:00:00Z","updatedAt":"2024-06-01T12:00:00Z",\
                "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-1"}},\
                "service":{"eventFirstSeen":"2024-06-01T10:00:00Z","count":3}}
                """
            ).first
        )
        #expect(int(event, "class_uid") == 2004)
        #expect(int(event, "severity_id") == 4)
        #expect(string(event, "finding_info.title") == "Port probed")
        #expect(int(event, "finding_info.first_seen_time") == 1_717_236_000_000)
        #expect(string(event, "cloud.account.uid") == "111122223333")
    }

    @Test func oktaSignOnIsAuthentication() throws {
        let event = try #require(
            try convert(
                """
                {"uuid":"u-1","published":"2024-06-01T12:00:00.000Z","eventType":"user.session.start",\
                "displayMessage":"User login to Okta","severity":"INFO","outcome":{"result":"FAILURE",\
                "reason":"INVALID_CREDENTIALS"},"actor":{"id":"00u1","alternateId":"a@example.com",\
                "displayName":"A"},"client":{"ipAddress":"192.0.2.1"}}
                """
            ).first
        )
        #expect(int(event, "class_uid") == 3002)
        #expect(int(event, "activity_id") == 1)
        #expect(int(event, "status_id") == 2)
        #expect(string(event, "user.name") == "a@example.com")
        #expect(string(event, "cloud.provider") == "Okta")
    }

    @Test func vpcFlowIsNetworkActivity() throws {
        let event = try #require(
            try convert(
                """
                {"version":2,"accountId":"111122223333","interfaceId":"eni-1","srcAddr":"10.0.0.1",\
                "dstAddr":"10.0.0.2","srcPort":443,"dstPort":55000,"protocol":6,"packets":3,"bytes":900,\
                "start":1717243200,"end":1717243260,"action":"REJECT","region":"eu-west-1"}
                """
            ).first
        )
        #expect(int(event, "class_uid") == 4001)
        #expect(int(event, "action_id") == 2)
        #expect(int(event, "time") == 1_717_243_200_000)
        #expect(int(event, "dst_endpoint.port") == 55_000)
        #expect(int(event, "traffic.bytes") == 900)
    }

    @Test func kubernetesAuditIsAPIActivity() throws {
        let event = try #require(
            try convert(
                """
                {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-1","stage":\
                "ResponseComplete","requestURI":"/api/v1/namespaces/default/secrets/db","verb":"delete",\
                "user":{"username":"dev@example.com","uid":"u-1"},"sourceIPs":["203.0.113.9"],\
                "objectRef":{"resource":"secrets","namespace":"default","name":"db","apiVersion":"v1"},\
                "responseStatus":{"code":403},"requestReceivedTimestamp":"2024-06-01T12:00:00.000000Z"}
                """
            ).first
        )
        #expect(int(event, "class_uid") == 6003)
        #expect(int(event, "activity_id") == 4)
        #expect(int(event, "status_id") == 2)
        #expect(int(event, "api.response.code") == 403)
        #expect(string(event, "actor.user.name") == "dev@example.com")
        #expect(string(event, "src_endpoint.ip") == "203.0.113.9")
        #expect(string(event, "unmapped.requestURI") == "/api/v1/namespaces/default/secrets/db")
    }

    @Test func gcpAuditIsAPIActivity() throws {
        let event = try #require(
            try convert(
                """
                {"insertId":"i-1","logName":"projects/p-1/logs/cloudaudit.googleapis.com%2Factivity",\
                "timestamp":"2024-06-01T12:00:00.123456Z","resource":{"type":"gcs_bucket","labels":\
                {"project_id":"p-1","location":"europe-west1"}},"protoPayload":{"serviceName":"storage.googleapis.com",\
                "methodName":"storage.buckets.delete","resourceName":"projects/_/buckets/b","status":{"code":7,\
                "message":"denied"},"authenticationInfo":{"principalEmail":"ops@example.com"},\
                "requestMetadata":{"callerIp":"198.51.100.3"}}}
                """
            ).first
        )
        #expect(int(event, "class_uid") == 6003)
        #expect(int(event, "activity_id") == 4)
        #expect(int(event, "status_id") == 2)
        #expect(int(event, "time") == 1_717_243_200_123)
        #expect(string(event, "api.service.name") == "storage.googleapis.com")
        #expect(string(event, "actor.user.name") == "ops@example.com")
        #expect(string(event, "cloud.account.uid") == "p-1")
        #expect(string(event, "cloud.region") == "europe-west1")
    }

    @Test func sourcesWithoutAMappingAreReported() throws {
        let cases = [
            (
                "{\"operationName\":\"Microsoft.Compute/virtualMachines/write\",\"resourceId\":\"/subscriptions/s\"}",
                "no_mapping.azure-activity"
            ),
            (
                "{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":\"get\"}",
                "no_mapping.incomplete_source"
            ),
            ("{\"hello\":\"world\"}", "no_mapping.json"),
            (
                "{\"eventType\":\"app.oauth2.token\",\"displayMessage\":\"x\",\"published\":\"2024-06-01T12:00:00Z\"}",
                "no_mapping.okta_event_type"
            ),
        ]
        for (json, reason) in cases {
            let result = converter.convert(try JSONTape(parsing: Array(json.utf8)))
            guard case .unmapped(let actual)? = result.first else {
                Issue.record("\(json) was converted")
                continue
            }
            #expect(actual == reason)
        }
    }
}
