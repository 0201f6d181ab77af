import Foundation
import NetworkTestSupport
import Pipeline
import ServiceSupport
import Testing

/// A service whose start fails (its port is taken) is released without trapping, even with the parquet spool's
/// timer, which is only resumed by a successful start.
@Suite struct FailedStartTests {
    @Test func aServiceWhoseStartFailsIsReleasedCleanly() throws {
        let taken = try LoopbackListener()
        defer { taken.close() }
        let root = try TestEnvironment.temporaryDirectory()
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: [
                "LAKEMARK_LISTEN": "127.0.0.1:\(taken.port)", "LAKEMARK_SINK": root.appendingPathComponent("lake").path,
                "LAKEMARK_FORMAT": "parquet", "LAKEMARK_SPOOL_DIR": root.appendingPathComponent("spool").path,
                "LAKEMARK_SECURITY_LAKE_REGION": "eu-west-1",
            ]
        )
        do {
            let service = try Service(configuration: configuration, logger: Logger(label: "test", level: .critical))
            #expect(throws: (any Error).self) { try service.start() }
        }
        // Reaching this line is the test: releasing the service above used to trap in libdispatch.
        #expect(FileManager.default.fileExists(atPath: root.path))
    }
}
