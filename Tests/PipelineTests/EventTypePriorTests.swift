import Foundation
import JSONBytes
import Pipeline
import Sender
import Testing

/// The pipeline passes each event's type to the embedded engine, which adds the controls known for it.
@Suite(.serialized) struct EventTypePriorTests {
    /// The 800-53 controls spliced into each GuardDuty finding of the EventBridge fixture, by finding type.
    private func guardDutyControls() throws -> [String: [[String]]] {
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(
            TestEnvironment.configuration(sink: sink) { $0.frameworks = ["nist_800_53_r5"] }
        )
        defer { service.shutdown() }
        let fixture = TestEnvironment.samples
            .appendingPathComponent("firehose-fixtures/eventbridge-guardduty-securityhub.firehose-event.json")
        let status = SendCommand.run(arguments: [
            "--url", "http://127.0.0.1:\(service.boundPort)/", "--quiet", fixture.path,
        ])
        #expect(status == 0)
        var byType: [String: [[String]]] = [:]
        for line in try TestEnvironment.outputLines(under: sink) {
            let tape = try JSONTape(parsing: line)
            guard let source = tape.value(forKey: "source", in: tape.rootIndex).flatMap(tape.string),
                source == "aws.guardduty",
                let detail = tape.value(forKey: "detail", in: tape.rootIndex),
                let type = tape.value(forKey: "type", in: detail).flatMap(tape.string),
                let compliance = tape.value(forKey: "secberus_compliance", in: tape.rootIndex)
            else { continue }
            var ids: [String] = []
            for element in tape.children(compliance) {
                if let id = tape.value(forKey: "control_id", in: element).flatMap(tape.string) { ids.append(id) }
            }
            byType[type, default: []].append(ids)
        }
        return byType
    }

    @Test func guardDutyFindingsGetTheControlsOfTheirType() throws {
        let byType = try guardDutyControls()
        // The titles alone rank enhancements (IA-2(6), SA-8(15), AC-3(13)); the finding types bring the base
        // controls the ATT&CK techniques of the type are mitigated by (CTID) into the top answers.
        let s3 = try #require(byType["AttackSequence:S3/CompromisedData"])
        #expect(s3.allSatisfy { $0.contains("AC-3") }, "\(s3)")
        let credentials = try #require(byType["AttackSequence:IAM/CompromisedCredentials"])
        #expect(credentials.allSatisfy { $0.contains("AC-2") || $0.contains("SI-4") }, "\(credentials)")
        let escalation = try #require(byType["PrivilegeEscalation:IAMUser/AdministrativePermissions"])
        #expect(escalation.allSatisfy { $0.first == "AC-6" }, "\(escalation)")
    }
}
