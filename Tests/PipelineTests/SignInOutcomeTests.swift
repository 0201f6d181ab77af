import Codecs
import Foundation
import JSONBytes
import Testing

@testable import Pipeline

/// End to end through the batch processor: a failed sign-in gets lockout controls from its own fields, whatever
/// text the service maps for it (an Okta `displayMessage`, an EventBridge `detail-type`); a successful one does not.
@Suite struct SignInOutcomeTests {
    static let events: [(name: String, json: String, failed: Bool)] = [
        ("okta failure", okta("FAILURE"), true),
        ("okta deny", okta("DENY"), true),
        ("okta success", okta("SUCCESS"), false),
        ("entra 50126", entra("50126"), true),
        ("entra 0", entra("0"), false),
        ("eventbridge console failure", eventBridge("Failure"), true),
        ("eventbridge console success", eventBridge("Success"), false),
    ]

    static func okta(_ result: String) -> String {
        #"{"eventType":"user.session.start","displayMessage":"User login to Okta","published":"2024-12-03T22:10:00Z","#
            + #""actor":{"id":"00u1","type":"User"},"outcome":{"result":"\#(result)"}}"#
    }

    static func entra(_ result: String) -> String {
        #"{"time":"2024-12-03T22:10:00Z","operationName":"Sign-in activity","category":"SignInLogs","#
            + #""resultType":"\#(result)","callerIpAddress":"203.0.113.9","identity":"user@example.com"}"#
    }

    static func eventBridge(_ outcome: String) -> String {
        #"{"version":"0","id":"e1","detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin","#
            + #""account":"111122223333","time":"2024-12-03T22:10:00Z","region":"us-east-1","resources":[],"#
            + #""detail":{"eventVersion":"1.08","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","#
            + #""awsRegion":"us-east-1","responseElements":{"ConsoleLogin":"\#(outcome)"}}}"#
    }

    @Test func lockoutControlsFollowTheEventsOwnOutcome() throws {
        var writer = JSONWriter(capacity: 1 << 16)
        writer.appendRaw(#"{"requestId":"threads-1","timestamp":1733300000000,"records":["#)
        for (index, event) in Self.events.enumerated() {
            if index > 0 { writer.appendRaw(",") }
            writer.appendRaw(#"{"data":""#)
            writer.appendRaw(Base64.encode(Array(event.json.utf8)))
            writer.appendRaw(#""}"#)
        }
        writer.appendRaw("]}")
        let (objects, _) = try BatchThreadsTests().run(threads: 1, format: .ndjsonGzip, body: writer.bytes)
        var controls: [String: [String]] = [:]
        for object in objects {
            let lines = try Gzip.inflate(object.body, limit: 1 << 20).split(separator: UInt8(ascii: "\n"))
            for line in lines {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
                let answers = try #require(event["secberus_compliance"] as? [[String: Any]])
                let original = Self.events.first { candidate in
                    let parsed = try? JSONSerialization.jsonObject(with: Data(candidate.json.utf8)) as? NSDictionary
                    var stripped = event
                    stripped["secberus_compliance"] = nil
                    return parsed == (stripped as NSDictionary)
                }
                let name = try #require(original?.name, "an output event matches no input")
                controls[name] = answers.compactMap { $0["control_id"] as? String }
            }
        }
        #expect(controls.count == Self.events.count, "\(controls.keys.sorted())")
        for event in Self.events {
            let ids = controls[event.name] ?? []
            let lockout = ids.contains("AC-7") || ids.contains("8.3.4")
            #expect(lockout == event.failed, "\(event.name): \(ids)")
        }
    }
}
