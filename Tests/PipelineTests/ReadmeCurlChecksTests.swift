import Foundation
import Testing

/// The `curl` checks the README documents, run as written against a live service (only the port differs).
@Suite struct ReadmeCurlChecksTests {
    @Test func documentedCurlChecksSucceed() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/curl") else {
            print("SKIP: curl is not installed")
            return
        }
        let readme = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let commands = readme.split(separator: "\n").map(String.init).filter {
            $0.hasPrefix("curl ") && $0.contains("localhost:8080")
        }
        #expect(commands.count >= 3, "the README documents the health, readiness and metrics checks")
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try TestEnvironment.startService(TestEnvironment.configuration(sink: sink))
        defer { service.shutdown() }
        for command in commands {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", command.replacingOccurrences(of: "localhost:8080", with: "127.0.0.1:\(service.boundPort)"),
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "README check failed: \(command)")
        }
    }
}
