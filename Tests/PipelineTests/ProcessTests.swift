import Foundation
import HTTPClient
import HTTPCore
import JSONBytes
import NetworkTestSupport
import Testing

/// The `lakemark` binary as users run it: a child process, configured by environment, stopped by signals.
@Suite(.serialized) struct ProcessTests {
    /// The `lakemark` executable built next to the test bundle.
    private var executable: URL? { LakemarkExecutable.url }

    private func freePort() -> Int { SocketIO.servicePort() }

    /// Starts `program` (default: the `lakemark` executable) with no standard input and its output discarded;
    /// standard error goes to `errors` when given.
    private func launch(
        _ arguments: [String],
        environment: [String: String],
        program: URL? = nil,
        errors: Pipe? = nil
    ) throws -> Process {
        guard let executable = program ?? executable else { throw CancellationError() }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardError = errors ?? FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    private func waitForHealth(port: Int) -> Bool { LakemarkExecutable.waitForHealth(port: port) }

    @Test func serveAnswersTheMapAPIAndExitsZeroOnSIGTERM() throws {
        guard executable != nil else {
            print("SKIP: the lakemark executable is not next to the test bundle (run `swift build` first)")
            return
        }
        let sink = try TestEnvironment.temporaryDirectory()
        let port = freePort()
        let process = try launch(
            ["serve"],
            environment: [
                "LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path, "PATH": "/usr/bin:/bin",
            ]
        )
        defer { if process.isRunning { process.terminate() } }
        #expect(waitForHealth(port: port))

        let client = HTTPClient()
        let frameworks = try client.send(
            HTTPClientRequest(method: .get, host: "127.0.0.1", port: port, target: "/v1/frameworks")
        )
        #expect(frameworks.status.code == 200)
        let list = try JSONTape(parsing: frameworks.body)
        #expect(list.kind(0) == .array && list.count(0) == 6)

        let request =
            #"{"frameworks":["nist_800_53_r5","pci_dss_v4"],"topk":3,"#
            + #""documents":[{"id":"d1","document":"Root account login detected without MFA"}]}"#
        let mapped = try client.send(
            HTTPClientRequest(
                method: .post,
                host: "127.0.0.1",
                port: port,
                target: "/v1/map",
                headers: ["Content-Type": "application/json"],
                body: Array(request.utf8)
            )
        )
        #expect(mapped.status.code == 200)
        let text = String(decoding: mapped.body, as: UTF8.self)
        #expect(text.contains(#""document_id":"d1""#) && text.contains(#""id":"IA-2"#) && text.contains(#""id":"8.4."#))

        let bad = try client.send(
            HTTPClientRequest(
                method: .post,
                host: "127.0.0.1",
                port: port,
                target: "/v1/map",
                body: Array(#"{"frameworks":["x"]}"#.utf8)
            )
        )
        #expect(bad.status.code == 400)

        process.interrupt()  // SIGINT, then the same for SIGTERM below
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)

        let second = try launch(
            ["serve"],
            environment: [
                "LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path,
            ]
        )
        #expect(waitForHealth(port: port))
        second.terminate()  // SIGTERM
        second.waitUntilExit()
        #expect(second.terminationReason == .exit && second.terminationStatus == 0)
    }

    /// A SIGTERM that arrives while the service is still starting is handled once it is up, not lost. The child
    /// starts with SIGTERM blocked (as a child of a thread that blocks it does), so the signal is pending from
    /// the first instruction: the service must take it and exit 0, not hang until SIGKILL.
    @Test func aSIGTERMSentDuringStartUpStopsTheService() throws {
        guard let executable else {
            print("SKIP: the lakemark executable is not next to the test bundle (run `swift build` first)")
            return
        }
        let sink = try TestEnvironment.temporaryDirectory()
        let port = freePort()
        let wrapper =
            "import os, signal, sys; signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM]); "
            + "os.kill(os.getpid(), signal.SIGTERM); os.execv(sys.argv[1], [sys.argv[1], 'serve'])"
        let process = try launch(
            ["python3", "-c", wrapper, executable.path],
            environment: [
                "LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path, "PATH": "/usr/bin:/bin",
            ],
            program: URL(fileURLWithPath: "/usr/bin/env")
        )
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { usleep(50_000) }
        let hung = process.isRunning
        if hung { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(!hung, "the SIGTERM sent during start-up was lost")
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func sighupWithoutTLSIsIgnoredAndTheServiceKeepsServing() throws {
        guard executable != nil else {
            print("SKIP: the lakemark executable is not next to the test bundle (run `swift build` first)")
            return
        }
        let port = freePort()
        let sink = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-hup-\(port)")
        defer { try? FileManager.default.removeItem(at: sink) }
        let process = try launch(
            ["serve"],
            environment: ["LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path]
        )
        defer { if process.isRunning { process.terminate() } }
        #expect(waitForHealth(port: port))
        kill(process.processIdentifier, SIGHUP)
        usleep(300_000)
        #expect(process.isRunning, "SIGHUP stopped a service that has no TLS files to reload")
        #expect(waitForHealth(port: port))
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 0)
    }

    @Test func sendReadsStandardInputWhenThePathIsADash() throws {
        guard let executable else {
            print("SKIP: the lakemark executable is not next to the test bundle (run `swift build` first)")
            return
        }
        let port = freePort()
        let sink = try TestEnvironment.temporaryDirectory()
        let service = try launch(
            ["serve"],
            environment: ["LAKEMARK_LISTEN": "127.0.0.1:\(port)", "LAKEMARK_SINK": sink.path]
        )
        defer { if service.isRunning { service.terminate() } }
        #expect(waitForHealth(port: port))

        let input = Pipe()
        let output = Pipe()
        let sender = Process()
        sender.executableURL = executable
        sender.arguments = ["send", "--gzip", "--url", "http://127.0.0.1:\(port)/", "-"]
        sender.environment = [:]
        sender.standardInput = input
        sender.standardOutput = output
        sender.standardError = FileHandle.nullDevice
        try sender.run()
        let events = #"{"eventName":"ConsoleLogin","eventSource":"signin.amazonaws.com"}"# + "\n"
            + #"{"eventName":"StopLogging","eventSource":"cloudtrail.amazonaws.com"}"# + "\n"
        input.fileHandleForWriting.write(Data(events.utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        sender.waitUntilExit()
        #expect(sender.terminationStatus == 0)
        #expect(printed.contains("sent 2 records from 1 files in 1 requests"), "\(printed)")
        service.terminate()
        service.waitUntilExit()
    }

    @Test func badConfigurationStopsStartUpNamingTheOption() throws {
        guard executable != nil else {
            print("SKIP: the lakemark executable is not next to the test bundle")
            return
        }
        let pipe = Pipe()
        guard let executable else { return }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"]
        process.environment = ["SECBERUS_TOPK": "zero"]
        process.standardError = pipe
        try process.run()
        process.waitUntilExit()
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(message.contains("topk") && message.contains("SECBERUS_TOPK") && message.contains("1...50"))
    }

    @Test func mapCommandReadsStdinAndPrintsTheResponse() throws {
        guard let executable else {
            print("SKIP: the lakemark executable is not next to the test bundle")
            return
        }
        let input = Pipe()
        let output = Pipe()
        let process = Process()
        process.executableURL = executable
        process.arguments = ["map"]
        process.environment = [:]
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let request = #"{"frameworks":["soc2"],"min_confidence":"Low","topk":2,"#
            + #""documents":[{"id":"a","document":"S3 bucket is public"}]}"#
        input.fileHandleForWriting.write(Data(request.utf8))
        try input.fileHandleForWriting.close()
        let body = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let tape = try JSONTape(parsing: [UInt8](body))
        let frameworks = try #require(tape.value(forKey: "frameworks", in: 0))
        #expect(tape.count(frameworks) == 1)
    }

    @Test func anUnusableModelDirectoryStopsStartUpNamingTheOption() throws {
        guard executable != nil else {
            print("SKIP: the lakemark executable is not next to the test bundle")
            return
        }
        for (arguments, environment) in [
            (["map", "--model", "/nonexistent/model"], [String: String]()),
            (["map"], ["LAKEMARK_MODEL_DIR": "/nonexistent/model"]),
        ] {
            let errors = Pipe()
            let process = try launch(arguments, environment: environment, errors: errors)
            process.waitUntilExit()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus == 2)
            #expect(message.contains("model_dir") && message.contains("/nonexistent/model"), "\(message)")
        }
    }
}
