import Extraction
import JSONBytes
import Testing

@Suite struct TextExtractorTests {
    private func extract(
        _ json: String,
        _ extractor: TextExtractor = TextExtractor()
    ) throws -> TextExtractor.Extracted? {
        extractor.extract(from: try JSONTape(parsing: Array(json.utf8)))
    }

    /// `detail-type` "AWS API Call via CloudTrail" says nothing about the call: the wrapped record's sentence is used.
    @Test func aCloudTrailRecordInsideEventBridgeIsDescribedByItsOwnSentence() throws {
        let event = #"{"version":"0","id":"e1","detail-type":"AWS API Call via CloudTrail","source":"aws.sso","#
            + #""account":"111122223333","time":"2024-12-03T22:10:00Z","region":"us-east-1","resources":[],"#
            + #""detail":{"eventVersion":"1.08","eventSource":"sso.amazonaws.com","eventName":"Authenticate","#
            + #""awsRegion":"us-east-1","errorCode":"InvalidRequestException"}}"#
        let text = try extract(event)
        #expect(text?.text == "AWS sso.amazonaws.com Authenticate failed: InvalidRequestException")
        let custom = #"{"version":"0","id":"e2","detail-type":"Order Placed","source":"com.example.shop","#
            + #""account":"111122223333","time":"2024-12-03T22:10:00Z","region":"us-east-1","resources":[],"#
            + #""detail":{"orderId":"o-1","amount":12}}"#
        // An event with no sentence of its own keeps the envelope's.
        #expect(try extract(custom)?.text == "Order Placed")
    }

    @Test func ocsfFindingJoinsTitleAndDescription() throws {
        let text = try extract(
            #"{"class_uid":2004,"finding_info":{"title":"IAM Access Analyzer","desc":"is **not** `enabled`"}}"#
        )
        #expect(text?.text == "IAM Access Analyzer. is not enabled")
    }

    @Test func configuredPathsWinInOrderWithCaseInsensitiveFallback() throws {
        let extractor = TextExtractor(
            sourceFields: try #require(FieldPath.parseList("finding_info.desc, description,message"))
        )
        #expect(try extract(#"{"Description":"upper","message":"m"}"#, extractor)?.text == "upper")
        #expect(try extract(#"{"description":"  ","message":"m"}"#, extractor)?.text == "m")
        #expect(try extract(#"{"finding_info":{"desc":"d"},"description":"x"}"#, extractor)?.text == "d")
    }

    @Test func aFieldWhoseNameIsEscapedIsStillFound() throws {
        // The quick "which first names are present" scan does not decode escapes, so it must not skip the field.
        #expect(try extract(#"{"descr\u0069ption":"Escaped name"}"#)?.text == "Escaped name")
        #expect(try extract(#"{"DESCRIPTION":"Shouted name","eventNxme":"x"}"#)?.text == "Shouted name")
    }

    @Test func securityHubThroughEventBridgeUsesEveryFinding() throws {
        let event =
            #"{"source":"aws.securityhub","detail-type":"Security Hub Findings - Imported","detail":{"findings":["#
            + #"{"Title":"MFA should be enabled","Description":"root"},{"Title":"S3 public","Description":"bucket"}]}}"#
        #expect(try extract(event)?.text == "MFA should be enabled. root. S3 public. bucket")
    }

    @Test func guardDutyThroughEventBridge() throws {
        let event =
            #"{"source":"aws.guardduty","detail-type":"GuardDuty Finding","detail":{"type":"Recon:EC2/PortProbe","#
            + #""title":"Unprotected port probed","description":"EC2 instance has an unprotected port."}}"#
        #expect(try extract(event)?.text == "Unprotected port probed. EC2 instance has an unprotected port.")
    }

    @Test func cloudTrailIsSynthesised() throws {
        let login =
            #"{"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","#
            + #""userIdentity":{"type":"Root"},"additionalEventData":{"MFAUsed":"No"},"#
            + #""responseElements":{"ConsoleLogin":"Success"}}"#
        let extracted = try #require(try extract(login))
        #expect(extracted.text == "AWS signin.amazonaws.com ConsoleLogin by root account without MFA outcome Success")
        #expect(extracted.origin == .synthesized(.cloudTrail))
        let denied =
            #"{"eventVersion":"1.08","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","#
            + #""userIdentity":{"type":"AssumedRole"},"errorCode":"AccessDenied"}"#
        #expect(
            try extract(denied)?.text == "AWS iam.amazonaws.com CreateAccessKey failed: AccessDenied"
        )
    }

    /// A role session normally has no MFA of its own (automation, services, a federated sign-in whose MFA happened at
    /// the identity provider): saying "without MFA" pulled MFA controls onto every call a role made.
    @Test func mfaIsWrittenForRootAndIAMUsersOnly() throws {
        func call(_ identity: String, _ action: String = "ec2.amazonaws.com CreateSnapshot") -> String {
            let parts = action.split(separator: " ")
            let extra = parts[1] == "ConsoleLogin" ? #","additionalEventData":{"MFAUsed":"No"}"# : ""
            return #"{"eventVersion":"1.08","eventSource":"\#(parts[0])","eventName":"\#(parts[1])","#
                + #""userIdentity":{"type":"\#(identity)","sessionContext":{"attributes":"#
                + #"{"mfaAuthenticated":"false"}}}\#(extra)}"#
        }
        #expect(try extract(call("IAMUser"))?.text == "AWS ec2.amazonaws.com CreateSnapshot without MFA")
        #expect(try extract(call("Root"))?.text == "AWS ec2.amazonaws.com CreateSnapshot by root account without MFA")
        for identity in ["AssumedRole", "AWSService", "FederatedUser", "AWSAccount", "iamuser"] {
            #expect(try extract(call(identity))?.text == "AWS ec2.amazonaws.com CreateSnapshot", "\(identity)")
        }
        let login = "signin.amazonaws.com ConsoleLogin"
        #expect(try extract(call("AssumedRole", login))?.text == "AWS signin.amazonaws.com ConsoleLogin")
        let userLogin = call("IAMUser", login)
        #expect(try extract(userLogin)?.text == "AWS signin.amazonaws.com ConsoleLogin without MFA")
    }

    @Test func otherSourcesAreSynthesised() throws {
        #expect(
            try extract(#"{"eventType":"user.session.start","actor":{},"outcome":{"result":"FAILURE"}}"#)?.text
                == "Okta (user session start) outcome FAILURE"
        )
        #expect(
            try extract(#"{"protoPayload":{"serviceName":"logging.googleapis.com","methodName":"DeleteSink"}}"#)?.text
                == "Google Cloud logging.googleapis.com DeleteSink"
        )
        // The API verb `patch` modifies a resource; the text must not read as software patching.
        let patch =
            #"{"protoPayload":{"serviceName":"compute.googleapis.com","#
            + #""methodName":"v1.compute.firewalls.patch"}}"#
        #expect(try extract(patch)?.text == "Google Cloud compute.googleapis.com v1.compute.firewalls.modify")
        #expect(
            try extract(
                #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"create","#
                    + #""objectRef":{"resource":"pods","subresource":"exec"},"user":{"username":"system:anonymous"}}"#
            )?.text
                == "Kubernetes create pods/exec by anonymous user"
        )
        // The verb `patch` modifies an object; the text must not read as software patching.
        #expect(
            try extract(
                #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"patch","objectRef":{"resource":"nodes"}}"#
            )?.text == "Kubernetes modify nodes"
        )
        #expect(
            try extract(#"{"operationName":"Microsoft.Insights/actionGroups/delete","category":"Administrative"}"#)?
                .text
                == "Azure Microsoft.Insights/actionGroups/delete (Administrative)"
        )
        #expect(
            try extract(
                #"{"operationName":{"value":"Microsoft.Insights/actionGroups/delete","localizedValue":"Delete"},"#
                    + #""category":{"value":"Administrative","localizedValue":"Administrative"}}"#
            )?.text == "Azure Microsoft.Insights/actionGroups/delete (Administrative)"
        )
        #expect(
            try extract(#"{"event":{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject"}}"#)?
                .text == "AWS s3.amazonaws.com GetObject"
        )
    }

    @Test func nothingToMapGivesNil() throws {
        #expect(try extract(#"{"a":1,"b":[true]}"#) == nil)
        #expect(try extract("[1]") == nil)
        #expect(try extract(#"{"description":"x"}"#, TextExtractor(sourceFields: [], synthesizes: false)) == nil)
    }

    @Test func longTextIsCutOnCharacterBoundary() throws {
        let extractor = TextExtractor(maxTextBytes: 20)
        let text = try #require(try extract(#"{"description":"ééééééééééééééééééééé"}"#, extractor)?.text)
        #expect(text.utf8.count <= 20 && text.utf8.count >= 18)
        #expect(text.allSatisfy { $0 == "é" })
    }

    @Test(arguments: ["", "a..b", ".a", "a+", "+"])
    func malformedPathsAreRejected(_ path: String) {
        #expect(FieldPath(path) == nil)
    }

    @Test func pathListParsing() throws {
        let list = try #require(
            FieldPath.parseList(" detail.findings[].Title+detail.findings[].Description , message ")
        )
        #expect(list.map(\.description) == ["detail.findings.Title+detail.findings.Description", "message"])
        #expect(FieldPath.parseList(" , ") == nil)
    }
}

@Suite struct EventMetadataTests {
    private func read(_ json: String) throws -> EventMetadata {
        EventMetadata.read(from: try JSONTape(parsing: Array(json.utf8)))
    }

    @Test func cloudTrail() throws {
        let meta = try read(
            #"{"eventVersion":"1.08","eventSource":"s3.amazonaws.com","eventName":"GetObject","#
                + #""awsRegion":"eu-west-1","recipientAccountId":"111122223333","eventTime":"2023-07-10T11:45:12Z"}"#
        )
        #expect(
            meta
                == EventMetadata(
                    kind: .cloudTrail,
                    region: "eu-west-1",
                    accountID: "111122223333",
                    timeMillis: 1_688_989_512_000,
                    eventType: "GetObject",
                    failed: false
                )
        )
    }

    @Test func cloudTrailWithoutVersionOrRegionIsRecognisedByItsSource() throws {
        let login = try read(
            #"{"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com","userIdentity":{"type":"Root"}}"#
        )
        #expect(login.kind == .cloudTrail && login.eventType == "ConsoleLogin")
        #expect(try read(#"{"eventName":"StopLogging","eventSource":"CLOUDTRAIL.amazonaws.com"}"#).kind == .cloudTrail)
        // Without a version, a region or an AWS service as its source it is just an object with these names.
        #expect(try read(#"{"eventName":"Deploy","eventSource":"jenkins"}"#).kind == .json)
        #expect(try read(#"{"eventName":"StopLogging","eventSource":".amazonaws.com"}"#).kind == .json)
        #expect(try read(#"{"eventName":"StopLogging","eventSource":"x.amazonaws.com.example"}"#).kind == .json)
    }

    @Test func eventTypesPerFamily() throws {
        let guardDuty = try read(
            #"{"source":"aws.guardduty","detail-type":"GuardDuty Finding","detail":{"schemaVersion":"2.0","#
                + #""type":"Recon:EC2/Portscan","severity":5,"accountId":"1","region":"us-east-1"}}"#
        )
        #expect(guardDuty.kind == .guardDuty && guardDuty.eventType == "Recon:EC2/Portscan")
        let okta = try read(
            #"{"eventType":"user.session.start","displayMessage":"x","published":"2024-01-01T00:00:00Z"}"#
        )
        #expect(okta.kind == .okta && okta.eventType == "user.session.start")
        let kubernetes = try read(
            #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","verb":"create","#
                + #""objectRef":{"resource":"pods","subresource":"exec"}}"#
        )
        #expect(kubernetes.kind == .kubernetesAudit && kubernetes.eventType == "create pods/exec")
        let azure = try read(#"{"operationName":"Microsoft.Authorization/roleAssignments/write","location":"eastus","#
            + #""category":"Administrative","time":"2024-01-01T00:00:00Z"}"#)
        #expect(azure.kind == .azureActivity && azure.eventType == "Microsoft.Authorization/roleAssignments/write")
        // The activity log's REST form: the operation as {"value", "localizedValue"}, the time as eventTimestamp.
        let rest = try read(
            #"{"operationName":{"value":"Microsoft.Compute/virtualMachines/delete","localizedValue":"Delete VM"},"#
                + #""category":{"value":"Administrative"},"resourceId":"/subscriptions/s1/resourceGroups/g","#
                + #""eventTimestamp":"2024-01-01T00:00:00Z"}"#
        )
        #expect(rest.kind == .azureActivity && rest.eventType == "Microsoft.Compute/virtualMachines/delete")
        #expect(rest.timeMillis == 1_704_067_200_000 && rest.accountID == "s1", "\(rest)")
        let gcp = try read(
            #"{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","#
                + #""serviceName":"compute.googleapis.com","methodName":"v1.compute.firewalls.insert"},"#
                + #""logName":"projects/p1/logs/cloudaudit.googleapis.com%2Factivity","#
                + #""resource":{"labels":{"project_id":"p1"}},"timestamp":"2024-01-01T00:00:00Z"}"#
        )
        #expect(gcp.kind == .gcpAudit && gcp.eventType == "v1.compute.firewalls.insert", "\(gcp)")
        // Reading the type changes nothing else: the project and time come from the generic lists as before.
        #expect(gcp.accountID == "p1" && gcp.timeMillis == 1_704_067_200_000 && gcp.region == nil, "\(gcp)")
    }

    @Test func ocsfWithMillisecondTime() throws {
        let meta = try read(
            #"{"class_uid":2004,"category_uid":2,"time":1722588809000,"#
                + #""cloud":{"region":"us-east-2","account":{"uid":"123"}}}"#
        )
        #expect(
            meta == EventMetadata(kind: .ocsf, region: "us-east-2", accountID: "123", timeMillis: 1_722_588_809_000)
        )
    }

    @Test func eventBridgeSecurityHubTakesInnerKind() throws {
        let meta = try read(
            #"{"source":"aws.securityhub","detail-type":"x","region":"us-east-1","account":"9","#
                + #""time":"2024-01-02T03:04:05Z","detail":{"findings":[]}}"#
        )
        #expect(meta.kind == .securityHub)
        #expect(meta.region == "us-east-1" && meta.accountID == "9")
    }

    @Test func implausibleTimesAreIgnored() throws {
        #expect(try read(#"{"time":12}"#).timeMillis == nil)
        #expect(
            try read(#"{"time":"yesterday","eventTime":"2021-02-16 21:55:58.862"}"#).timeMillis == 1_613_512_558_862
        )
        #expect(try read(#"{"start":1700000000}"#).timeMillis == 1_700_000_000_000)
    }

    @Test func timesAreReadFromEscapedStringsAndNumbersInStrings() throws {
        #expect(try read(#"{"time":"2023-07-10T11:45:12\u005A"}"#).timeMillis == 1_688_989_512_000)
        #expect(try read(#"{"time":"1700000000"}"#).timeMillis == 1_700_000_000_000)
        #expect(try read(#"{"time":"1700000000.5"}"#).timeMillis == 1_700_000_000_500)
        #expect(try read(#"{"time":"  "}"#).timeMillis == nil)
    }

    @Test func familiesAreRecognisedIgnoringCaseButNotThroughEscapedNames() throws {
        let shouted = try read(#"{"EVENTSOURCE":"s3.amazonaws.com","EventName":"GetObject","AWSRegion":"eu-west-1"}"#)
        #expect(shouted.kind == .cloudTrail && shouted.eventType == "GetObject")
        // Same length, first and last letters as `eventName`, but another name.
        #expect(try read(#"{"eventSource":"s3","eventNxme":"GetObject","awsRegion":"x"}"#).kind == .json)
        let escaped = try read(#"{"event\u0053ource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"x"}"#)
        #expect(escaped.kind == .json)
    }

    @Test func azureSubscriptionFromResourceID() throws {
        let meta = try read(
            #"{"operationName":"x","resourceId":"/subscriptions/abc-123/resourceGroups/r","location":"eastus"}"#
        )
        #expect(meta.kind == .azureActivity && meta.accountID == "abc-123" && meta.region == "eastus")
    }
}

@Suite struct RawTextTests {
    @Test func vpcFlowLogLinesAndOtherTextAreMapped() throws {
        let flow =
            #"{"_raw":"2 123456789012 eni-1235b8ca 172.31.16.139 172.31.16.21 20641 22 6 20 4249 "#
            + #"1418530010 1418530070 REJECT OK"}"#
        let extracted = TextExtractor().extract(from: try JSONTape(parsing: Array(flow.utf8)))
        #expect(extracted?.text == "VPC flow log network traffic REJECT to port 22 protocol tcp")
        let line = #"{"_raw":"sshd[42]: Failed password for root from 203.0.113.9"}"#
        #expect(
            TextExtractor().extract(from: try JSONTape(parsing: Array(line.utf8)))?.text
                == "sshd[42]: Failed password for root from 203.0.113.9"
        )
        #expect(TextExtractor().extract(from: try JSONTape(parsing: Array(#"{"_raw_base64":"AAEC"}"#.utf8))) == nil)
    }
}
