import Foundation
import NetworkTestSupport
import Testing

/// `lakemark` as Lambda runs it: a child process polling a loopback fake of the Runtime API.
@Suite(.serialized) struct LambdaProcessTests {
    /// A fake and the binary polling it; both stopped on release.
    final class Session {
        let fake = FakeRuntimeAPI()
        let process: ChildProcess

        init(arguments: [String] = [], environment: [String: String] = [:]) throws {
            let endpoint = try fake.start()
            process = try LambdaHarness.launch(endpoint: endpoint, arguments: arguments, environment: environment)
        }

        deinit {
            process.stop()
            fake.stop()
        }

        /// Sends one event and returns the answer, which must be a response.
        func respond(_ event: [UInt8], deadlineMillis: Int64? = nil, traceID: String? = nil) throws -> [UInt8] {
            let id = fake.invoke(event, deadlineMillis: deadlineMillis, traceID: traceID)
            guard let answer = fake.answer(to: id) else {
                throw LambdaTestFailure("no answer; output: \(process.outputText.suffix(2_000))")
            }
            guard answer.kind == "response", answer.status == 202 else {
                throw LambdaTestFailure(
                    "answer \(answer.kind) \(answer.status): \(String(decoding: answer.body, as: UTF8.self))"
                )
            }
            #expect(fake.answers(to: id).count == 1)
            return answer.body
        }
    }

    private static var hasBinary: Bool {
        if LambdaHarness.executable == nil {
            print("SKIP: the lakemark executable is not next to the test bundle (run `swift build` first)")
            return false
        }
        return true
    }

    /// Checks one fixture's answer against the input, decoded independently of the product.
    /// - Returns: Enriched lines and how many of them carry at least one control.
    private static func check(event: [UInt8], response: [UInt8], name: String) throws -> (lines: Int, mapped: Int) {
        let inputs = try LambdaHarness.records(ofEvent: event)
        let outputs = try LambdaHarness.records(ofResponse: response)
        #expect(outputs.map(\.id) == inputs.map(\.id), "\(name): one answer per record id, in order")
        var lines = 0
        var mapped = 0
        for (input, output) in zip(inputs, outputs) {
            let payload = try LambdaHarness.payload(input.data)
            let envelope = try? JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]
            if envelope?["messageType"] as? String == "CONTROL_MESSAGE" {
                #expect(output.result == "Dropped", "\(name) \(input.id): control message")
                continue
            }
            #expect(output.result == "Ok", "\(name) \(input.id)")
            let produced = try LambdaHarness.payload(output.data)
            let outputLines = produced.split(separator: 0x0A).map(Array.init)
            #expect(produced.last == 0x0A, "\(name) \(input.id): newline-terminated")
            var originals: [[UInt8]] = []
            var member = "secberus_compliance"
            if envelope?["messageType"] as? String == "DATA_MESSAGE",
                let logEvents = envelope?["logEvents"] as? [[String: Any]]
            {
                originals = logEvents.map { Array(($0["message"] as? String ?? "").utf8) }
                member = "cloudwatch_logs"
            } else {
                originals = payload.split(separator: 0x0A).map(Array.init).filter {
                    !LambdaHarness.normalised($0).isEmpty
                }
            }
            #expect(outputLines.count == originals.count, "\(name) \(input.id): one line per event")
            for (line, original) in zip(outputLines, originals) {
                lines += 1
                let compliance = try #require(
                    (try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?["secberus_compliance"]
                        as? [Any],
                    "\(name) \(input.id): secberus_compliance array"
                )
                if !compliance.isEmpty { mapped += 1 }
                let kept = LambdaHarness.removingLastMember(
                    member == "cloudwatch_logs" ? member : "secberus_compliance",
                    from: line
                )
                #expect(kept == LambdaHarness.normalised(original), "\(name) \(input.id): original bytes kept")
            }
        }
        return (lines, mapped)
    }

    @Test func everyFixtureEventGetsOneAnswerPerRecordWithTheEnrichmentAndTheOriginalBytes() throws {
        guard Self.hasBinary else { return }
        let fixtures = LambdaHarness.fixtureEvents
        #expect(fixtures.count >= 3)
        // No command: AWS_LAMBDA_RUNTIME_API alone selects the Lambda mode, as with a `bootstrap` file.
        let session = try Session()
        for fixture in fixtures {
            let event = try [UInt8](Data(contentsOf: fixture))
            let response = try session.respond(event)
            let (lines, mapped) = try Self.check(event: event, response: response, name: fixture.lastPathComponent)
            #expect(lines > 0)
            // Most events map; a few remediation-only Prowler texts ("Login to the AWS Console. Choose your
            // account name…") fall below the engine's floor, which is right. Mapping quality itself is measured by
            // scripts/eval_mapping.sh, not here.
            #expect(
                Double(mapped) >= 0.75 * Double(lines),
                "\(fixture.lastPathComponent): \(mapped) of \(lines) mapped"
            )
        }
    }

    @Test func edgeCasesAreAnsweredAsDocumented() throws {
        guard Self.hasBinary else { return }
        let session = try Session(arguments: ["lambda"])
        let event = try [UInt8](Data(contentsOf: LambdaHarness.edgeCases))
        let inputs = try LambdaHarness.records(ofEvent: event)
        let outputs = try LambdaHarness.records(
            ofResponse: try session.respond(event, traceID: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
        )
        #expect(outputs.map(\.id) == inputs.map(\.id))
        let results = Dictionary(uniqueKeysWithValues: outputs.map { ($0.id, $0.result) })
        #expect(results["edge-01-okta-json"] == "Ok")
        #expect(results["edge-02-cwlogs-control"] == "Dropped")
        #expect(results["edge-03-cwlogs-data"] == "Ok")
        #expect(results["edge-04-ndjson"] == "Ok")
        #expect(results["edge-05-text"] == "Ok")
        #expect(results["edge-06-empty"] == "Dropped")
        #expect(results["edge-07-not-base64"] == "ProcessingFailed")
        #expect(results["edge-08-corrupt-gzip"] == "ProcessingFailed")
        #expect(results["edge-09-cwlogs-no-events"] == "Dropped")
        #expect(results["edge-10-binary"] == "Ok")
        for (input, output) in zip(inputs, outputs) where output.result != "Ok" {
            #expect(output.data == input.data, "\(input.id): original data returned")
        }
        let byID = Dictionary(uniqueKeysWithValues: outputs.map { ($0.id, $0.data) })
        let cloudWatch = try LambdaHarness.payload(byID["edge-03-cwlogs-data"] ?? "")
        let cloudWatchLines = cloudWatch.split(separator: 0x0A)
        #expect(cloudWatchLines.count == 2)
        #expect(
            String(decoding: cloudWatchLines.last ?? [], as: UTF8.self).hasPrefix(
                #"{"_raw":"sshd[811]: Failed password"#
            )
        )
        let text = String(decoding: try LambdaHarness.payload(byID["edge-05-text"] ?? ""), as: UTF8.self)
        #expect(text.hasPrefix(#"{"_raw":"2 123456789012 eni-0a1b2c3d"#) && text.contains(#""secberus_compliance":[{"#))
        let binary = String(decoding: try LambdaHarness.payload(byID["edge-10-binary"] ?? ""), as: UTF8.self)
        #expect(binary.hasPrefix(#"{"_raw_base64":"//4AAYA=""#))
        try session.process.waitForOutput(containing: "Root=1-5759e988-bd862e3fe1be46a994272793", seconds: 5)
        try session.process.waitForOutput(containing: #""processing_failed":2"#, seconds: 5)
        try session.process.waitForOutput(containing: #"record 6: \"data\" is not base64"#, seconds: 5)
        try session.process.waitForOutput(containing: "record 7: its gzip is corrupt", seconds: 5)
    }

    @Test func anOversizedBatchStaysUnderSixMegabytesWithNothingLost() throws {
        guard Self.hasBinary else { return }
        let session = try Session(environment: [
            "SECBERUS_FRAMEWORKS": "pci_dss_v4,nist_800_53_r5,nist_csf_v2,iso_27001,soc2"
        ])
        var records: [(id: String, payload: [UInt8])] = []
        for index in 0..<3_600 {
            let finding =
                #"{"version":"0","id":"finding-\#(index)","detail-type":"GuardDuty Finding","#
                + #""source":"aws.guardduty","account":"123456789012","region":"us-east-1","#
                + #""detail":{"Title":"Root account login \#(index) without MFA","#
                + #""Description":"The root account signed in to the console without multi-factor "#
                + #"authentication from an unusual address; an access key was created and a security group "#
                + #"opened port 22 to 0.0.0.0/0. "#
                + String(repeating: "padding ", count: 60) + #""}}"#
            records.append(("rec-\(index)", Array((finding + "\n").utf8)))
        }
        let event = LambdaHarness.event(records)
        #expect(event.count < 6_291_456)
        let response = try session.respond(event)
        #expect(response.count <= 6_291_456)
        let inputs = try LambdaHarness.records(ofEvent: event)
        let outputs = try LambdaHarness.records(ofResponse: response)
        #expect(outputs.map(\.id) == inputs.map(\.id))
        var unenriched = 0
        for (input, output) in zip(inputs, outputs) {
            #expect(output.result == "Ok")
            if output.data == input.data {
                unenriched += 1
                continue
            }
            let line = try LambdaHarness.payload(output.data)
            let kept = LambdaHarness.removingLastMember("secberus_compliance", from: Array(line.dropLast()))
            #expect(kept == LambdaHarness.normalised(try LambdaHarness.payload(input.data)))
        }
        #expect(unenriched > 0 && unenriched < inputs.count, "\(unenriched) of \(inputs.count) unenriched")
        try session.process.waitForOutput(containing: #""unenriched_size":\#(unenriched)"#, seconds: 5)
    }

    @Test func aPassedDeadlineReturnsEveryRecordUnenrichedButOk() throws {
        guard Self.hasBinary else { return }
        let session = try Session()
        let event = try [UInt8](Data(contentsOf: LambdaHarness.edgeCases))
        let past = Int64(Date().timeIntervalSince1970 * 1_000) - 1_000
        let outputs = try LambdaHarness.records(ofResponse: try session.respond(event, deadlineMillis: past))
        let inputs = try LambdaHarness.records(ofEvent: event)
        for (input, output) in zip(inputs, outputs) {
            #expect(output.data == input.data, "\(input.id)")
        }
        #expect(outputs.filter { $0.result == "Ok" }.count == 5)
        try session.process.waitForOutput(containing: "lambda.deadline", seconds: 5)
    }

    @Test func anEventThatIsNotATransformationEventIsAnInvocationError() throws {
        guard Self.hasBinary else { return }
        let session = try Session()
        for body in [#"{"Records":[]}"#, "not json", #"{"records":[{"data":"aGVsbG8="}]}"#] {
            let id = session.fake.invoke(Array(body.utf8))
            let answer = try #require(session.fake.answer(to: id))
            #expect(answer.kind == "error" && answer.status == 202)
            #expect(answer.errorType == "Lakemark.InvalidEvent")
            let error = try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any]
            #expect(error?["errorType"] as? String == "Lakemark.InvalidEvent")
            #expect((error?["errorMessage"] as? String)?.isEmpty == false)
            #expect(error?["stackTrace"] is [Any])
        }
        // The runtime goes on serving after an invocation error.
        let response = try session.respond(
            LambdaHarness.event([("after", Array(#"{"message":"root login without MFA"}"#.utf8))])
        )
        #expect(try LambdaHarness.records(ofResponse: response).first?.result == "Ok")
    }

    @Test func badConfigurationIsAnInitErrorAndTheProcessExits() throws {
        guard Self.hasBinary else { return }
        let session = try Session(environment: ["SECBERUS_TOPK": "0"])
        let deadline = ContinuousClock.now + .seconds(20)
        while session.process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
        #expect(!session.process.isRunning)
        let errors = session.fake.initErrors
        #expect(errors.count == 1)
        #expect(errors.first?.errorType == "Lakemark.ConfigurationInvalid")
        let body = try JSONSerialization.jsonObject(with: Data(errors.first?.body ?? [])) as? [String: Any]
        #expect((body?["errorMessage"] as? String)?.contains("topk") == true)
        #expect(session.fake.nextCount == 0)
    }

    @Test func remoteMappingFailuresDegradeOrFailTheInvocationAsConfigured() throws {
        guard Self.hasBinary else { return }
        // Nothing listens on port 9 of the loopback: every mapping API call fails at once.
        let remote = [
            "SECBERUS_API_URL": "http://127.0.0.1:9", "SECBERUS_API_KEY": "test-api-key-1",
            "LAKEMARK_API_MAX_ATTEMPTS": "1",
        ]
        let event = LambdaHarness.event([("r1", Array(#"{"message":"root login without MFA"}"#.utf8))])
        let degrading = try Session(environment: remote)
        let records = try LambdaHarness.records(ofResponse: try degrading.respond(event))
        #expect(records.first?.result == "Ok")
        let line = String(decoding: try LambdaHarness.payload(records.first?.data ?? ""), as: UTF8.self)
        #expect(line == #"{"message":"root login without MFA","secberus_compliance":[]}"# + "\n")
        try degrading.process.waitForOutput(containing: "some events have no mapping", seconds: 5)
        #expect(degrading.process.outputText.contains(#""mapper":"remote""#), "a key selects the remote mapper")
        #expect(!degrading.process.outputText.contains("test-api-key-1"), "the key is never logged")

        let failing = try Session(environment: remote.merging(["LAKEMARK_MAPPING_FAILURE": "fail"]) { $1 })
        let id = failing.fake.invoke(event)
        let answer = try #require(failing.fake.answer(to: id))
        #expect(answer.kind == "error" && answer.errorType == "Lakemark.MappingUnavailable")
    }
}
