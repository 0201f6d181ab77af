import Foundation
import LambdaRuntime
import Synchronization
import Testing

@testable import Pipeline

/// The runtime client and loop in process, against the fake.
@Suite struct LambdaRuntimeClientTests {
    @Test func endpointsThatAreNotHostAndPortAreRefused() {
        for endpoint in ["", "http://127.0.0.1:9001", "127.0.0.1:9001/path", "127.0.0.1:x"] {
            #expect(throws: LambdaRuntimeError.self, "\(endpoint)") { try LambdaRuntimeClient(endpoint: endpoint) }
        }
        #expect((try? LambdaRuntimeClient(endpoint: "[::1]:9001"))?.host == "::1")
    }

    @Test func theLoopAnswersEachInvocationOnceTurnsA413IntoAnErrorAndEndsOnAContainerError() throws {
        let fake = FakeRuntimeAPI()
        let client = try LambdaRuntimeClient(endpoint: try fake.start())
        let ended = Mutex<LambdaRuntimeError?>(nil)
        let traces = Mutex<[String?]>([])
        let loop = Thread {
            let error = client.run { invocation in
                traces.withLock { $0.append(ProcessInfo.processInfo.environment["_X_AMZN_TRACE_ID"]) }
                switch invocation.event.first {
                case UInt8(ascii: "b"):
                    return .response([UInt8](repeating: 0x20, count: FakeRuntimeAPI.responseLimit + 1))
                case UInt8(ascii: "e"):
                    return .failure(LambdaFunctionError(errorType: "Test.Failure", errorMessage: "no"))
                default: return .response(invocation.event)
                }
            }
            ended.withLock { $0 = error }
        }
        loop.start()
        let echo = fake.invoke(Array("plain".utf8), traceID: "Root=1-abc")
        let big = fake.invoke(Array("big".utf8))
        let failing = fake.invoke(Array("error".utf8))
        let echoed = try #require(fake.answer(to: echo))
        #expect(echoed.kind == "response" && echoed.body == Array("plain".utf8) && echoed.status == 202)
        let refused = try #require(fake.answer(to: big))
        #expect(refused.status == 413)
        let deadline413 = ContinuousClock.now + .seconds(10)
        while fake.answers(to: big).count < 2, ContinuousClock.now < deadline413 { usleep(2_000) }
        let bigAnswers = fake.answers(to: big)
        #expect(bigAnswers.count == 2 && bigAnswers.last?.kind == "error" && bigAnswers.last?.status == 202)
        #expect(bigAnswers.last?.errorType == "Function.ResponseSizeTooLarge")
        let failed = try #require(fake.answer(to: failing))
        #expect(failed.kind == "error" && failed.errorType == "Test.Failure")
        #expect(fake.answers(to: echo).count == 1 && fake.answers(to: failing).count == 1)
        fake.stop()
        let deadline = ContinuousClock.now + .seconds(10)
        while ended.withLock({ $0 == nil }), ContinuousClock.now < deadline { usleep(5_000) }
        #expect(ended.withLock { $0?.code } == .containerError)
        #expect(traces.withLock { $0.first } == "Root=1-abc")
        #expect(traces.withLock { $0.count } == 3 && traces.withLock { $0[1] } == nil)
    }

    @Test func aMappingAPIKeySelectsTheRemoteMapperAsTheSeedDidUnlessTheMapperIsSet() {
        var environment = ["SECBERUS_API_KEY_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:k"]
        LambdaCommand.applySeedDefaults(&environment)
        #expect(environment["LAKEMARK_MAPPER"] == "remote")
        environment = [
            "SECBERUS_API_KEY_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:k", "LAKEMARK_MAPPER": "embedded",
        ]
        LambdaCommand.applySeedDefaults(&environment)
        #expect(environment["LAKEMARK_MAPPER"] == "embedded")
        environment = [:]
        LambdaCommand.applySeedDefaults(&environment)
        #expect(environment["LAKEMARK_MAPPER"] == nil)
    }
}
