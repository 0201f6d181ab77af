import JSONBytes
import Testing

@testable import Extraction

/// What an event's own fields say about whether its action failed (``EventOutcome``), read with its metadata.
@Suite struct EventOutcomeReadingTests {
    private func failed(_ json: String) throws -> Bool? {
        EventMetadata.read(from: try JSONTape(parsing: Array(json.utf8))).failed
    }

    private static let signIn = #""eventVersion":"1.08","eventSource":"signin.amazonaws.com""#

    @Test(arguments: [
        (#""eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Success"}"#, false),
        (#""eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"Failure"}"#, true),
        (#""eventName":"ConsoleLogin","responseElements":{"ConsoleLogin":"failure"}"#, true),
        (#""eventName":"ConsoleLogin","errorMessage":"Failed authentication","responseElements":null"#, true),
        (#""eventName":"ExternalIdPDirectoryLogin","responseElements":{"ExternalIdPDirectoryLogin":"Failure"}"#, true),
        (#""eventName":"CredentialVerification","serviceEventDetails":{"CredentialVerification":"Failure"}"#, true),
        (#""eventName":"CredentialVerification","serviceEventDetails":{"CredentialVerification":"Success"}"#, false),
        (#""eventName":"Authenticate","errorCode":"InvalidRequestException""#, true),
        (#""eventName":"Authenticate","errorCode":"ThrottlingException","errorMessage":"Rate exceeded""#, false),
        (#""eventName":"GetObject","errorCode":"AccessDenied""#, true),
        (#""eventName":"GetObject","responseElements":null"#, false),
        (#""eventName":"ConsoleLogin","responseElements":{"Other":"Failure"}"#, false),
    ])
    func cloudTrail(members: String, failed expected: Bool) throws {
        #expect(try failed("{\(Self.signIn),\(members)}") == expected, "\(members)")
    }

    @Test(arguments: [
        ("FAILURE", true), ("DENY", true), ("failure", true), ("SUCCESS", false), ("ALLOW", false),
        ("CHALLENGE", false), ("SKIPPED", false), ("UNKNOWN", false),
    ])
    func okta(result: String, failed expected: Bool) throws {
        let event = #"{"eventType":"user.session.start","displayMessage":"User login to Okta","#
            + #""actor":{"id":"00u1"},"outcome":{"result":"\#(result)","reason":"VERIFICATION_ERROR"}}"#
        #expect(try failed(event) == expected)
    }

    @Test func oktaWithoutAnOutcomeSaysNothing() throws {
        let event = #"{"eventType":"user.session.start","displayMessage":"User login to Okta","actor":{}}"#
        #expect(try failed(event) == nil)
    }

    @Test(arguments: [
        ("Failure", true), ("Failed", true), ("50126", true), ("500121", true), ("0", false), ("Success", false),
        ("Succeeded", false), ("Start", false), ("", false),
    ])
    func azure(result: String, failed expected: Bool) throws {
        let event = #"{"time":"2024-12-03T22:10:00Z","operationName":"Sign-in activity","category":"SignInLogs","#
            + #""resultType":"\#(result)","callerIpAddress":"203.0.113.9","identity":"user@example.com","#
            + #""properties":{"status":{"errorCode":1}}}"#
        let metadata = EventMetadata.read(from: try JSONTape(parsing: Array(event.utf8)))
        #expect(metadata.kind == .azureActivity)
        // An empty resultType is no value: the outcome is unknown.
        #expect(metadata.failed == (result.isEmpty ? nil : expected), "\(result)")
    }

    @Test func aCloudTrailEventInsideEventBridgeKeepsItsOutcome() throws {
        let event = #"{"version":"0","id":"e1","detail-type":"AWS Console Sign In via CloudTrail","#
            + #""source":"aws.signin","account":"111122223333","time":"2024-12-03T22:10:00Z","#
            + #""region":"us-east-1","resources":[],"#
            + #""detail":{\#(Self.signIn),"eventName":"ConsoleLogin","awsRegion":"us-east-1","#
            + #""responseElements":{"ConsoleLogin":"Failure"},"additionalEventData":{"MFAUsed":"No"}}}"#
        let metadata = EventMetadata.read(from: try JSONTape(parsing: Array(event.utf8)))
        #expect(metadata.eventType == "ConsoleLogin")
        #expect(metadata.failed == true)
    }

    @Test func familiesWithoutAnOutcomeFieldSayNothing() throws {
        let guardDuty = #"{"schemaVersion":"2.0","type":"UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B","#
            + #""title":"Console login","accountId":"111122223333","region":"us-east-1","severity":5}"#
        #expect(try failed(guardDuty) == nil)
    }
}
