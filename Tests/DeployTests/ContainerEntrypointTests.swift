import Foundation
import Testing

/// The container as the Dockerfile defines it, without Docker: its `ENV`, `ENTRYPOINT` + `CMD`, `HEALTHCHECK` and
/// `STOPSIGNAL`, applied to the `lakemark` binary SwiftPM built. Only what cannot exist here is replaced: the sink is
/// a temporary directory, the port a free loopback one, the catalogs the repository's.
@Suite(.serialized) struct ContainerEntrypointTests {
    /// Signals a Dockerfile may name.
    static let signals: [String: Int32] = ["SIGTERM": SIGTERM, "SIGINT": SIGINT, "SIGQUIT": SIGQUIT]

    @Test func dockerfileDefinesTheRuntimeContract() throws {
        let image = try DockerfileInstructions(parsing: RepositoryFiles.text("Dockerfile"))
        let binary = try #require(image.entrypoint.first)
        #expect(binary == "/opt/lakemark/lakemark")
        #expect(image.command == ["serve"])
        #expect(image.healthCheck == [binary, "healthcheck"])
        // The check's own deadline is 2 s; Docker's timeout must leave room for it.
        #expect(image.healthCheckOptions["timeout"] == "3s")
        #expect(image.stopSignal == "SIGTERM")
        #expect(image.exposedPorts == ["8080"])
        let user = try #require(image.user)
        #expect(user.split(separator: ":").allSatisfy { Int($0).map { $0 > 0 } == true }, "numeric non-root: \(user)")
        let environment = image.environmentDictionary
        #expect(environment["LAKEMARK_LISTEN"] == "0.0.0.0:8080")
        #expect(environment["LAKEMARK_SINK"] == "/data/lake")
        #expect(environment["LAKEMARK_LOG_LEVEL"] != nil)
        // The catalogs sit next to the binary, where the build stage copies the resource bundle.
        #expect(environment["LAKEMARK_CATALOG_DIR"] == "/opt/lakemark/lakemark_Mapping.resources/Catalogs")
        // The model stage's output, so the semantic re-ranker is on in the image.
        #expect(environment["LAKEMARK_MODEL_DIR"] == "/opt/lakemark/models/all-minilm-l6-v2")
    }

    @Test(.needsExecutable)
    func entrypointServesPassesTheHealthCheckAndStopsCleanlyOnTheStopSignal() throws {
        let image = try DockerfileInstructions(parsing: RepositoryFiles.text("Dockerfile"))
        let executable = try #require(RepositoryFiles.executable)
        let signal = try #require(Self.signals[image.stopSignal ?? "SIGTERM"])
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-deploy-\(UUID().uuidString)")
        let sink = work.appendingPathComponent("lake")
        try FileManager.default.createDirectory(at: sink, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let port = try LoopbackPort.free()

        var environment = image.environmentDictionary
        for name in ["LAKEMARK_LISTEN", "LAKEMARK_SINK", "LAKEMARK_CATALOG_DIR"] {
            #expect(environment[name] != nil, "the image sets \(name)")
        }
        environment["LAKEMARK_LISTEN"] = "127.0.0.1:\(port)"
        environment["LAKEMARK_SINK"] = sink.path
        environment["LAKEMARK_CATALOG_DIR"] = RepositoryFiles.url("Sources/Mapping/Catalogs").path
        // The image's model path becomes the fetched model when there is one (scripts/fetch_model.sh), else the
        // engine runs without it.
        let model = RepositoryFiles.url("models/all-minilm-l6-v2")
        let hasModel = FileManager.default.fileExists(atPath: model.appendingPathComponent("model.safetensors").path)
        environment["LAKEMARK_MODEL_DIR"] = hasModel ? model.path : nil
        environment["PATH"] = "/usr/bin:/bin"
        // Docker runs both with the container's environment; the image path becomes the local binary.
        let serveArguments = Array(image.entrypoint.dropFirst()) + image.command
        let healthArguments = Array(image.healthCheck.dropFirst())
        let healthCheck = { try ChildProcess.run(executable, healthArguments, environment: environment) }

        let beforeStart = try healthCheck()
        #expect(beforeStart.status == 1, "nothing listens yet: \(beforeStart.output)")
        #expect(beforeStart.output.contains("127.0.0.1:\(port)/healthz"), "\(beforeStart.output)")

        let logFile = work.appendingPathComponent("serve.log")
        try Data().write(to: logFile)
        let log = try FileHandle(forWritingTo: logFile)
        defer { try? log.close() }
        let server = Process()
        server.executableURL = executable
        server.arguments = serveArguments
        server.environment = environment
        server.standardOutput = log
        server.standardError = log
        try server.run()
        defer { if server.isRunning { kill(server.processIdentifier, SIGKILL) } }

        var healthy: ChildProcess.Outcome?
        for _ in 0..<60 where server.isRunning {
            let attempt = try healthCheck()
            if attempt.status == 0 {
                healthy = attempt
                break
            }
            usleep(200_000)
        }
        let started = try String(contentsOf: logFile, encoding: .utf8)
        let answer = try #require(healthy, "the HEALTHCHECK command never passed; serve log:\n\(started)")
        #expect(answer.output.contains("answered 200"))
        #expect(!started.contains("ignoring unknown variables"), "the image sets an unknown variable:\n\(started)")

        let missing = try ChildProcess.run(
            executable,
            ["healthcheck", "--url", "http://127.0.0.1:\(port)/no-such-path"],
            environment: environment
        )
        #expect(missing.status == 1 && missing.output.contains("answered 404"), "\(missing.output)")

        kill(server.processIdentifier, signal)
        #expect(ChildProcess.waitForExit(server, seconds: 45), "serve outlived its shutdown grace")
        #expect(server.terminationReason == .exit && server.terminationStatus == 0)
        let stopped = try String(contentsOf: logFile, encoding: .utf8)
        #expect(stopped.contains("\"stopped\""), "serve log:\n\(stopped)")

        let afterStop = try healthCheck()
        #expect(afterStop.status == 1, "nothing listens any more: \(afterStop.output)")
    }

    @Test(.needsExecutable)
    func theImageRefusesToServeWithoutAccessKeys() throws {
        let image = try DockerfileInstructions(parsing: RepositoryFiles.text("Dockerfile"))
        let executable = try #require(RepositoryFiles.executable)
        var environment = image.environmentDictionary
        // The image's own non-loopback address, with a port nothing may use: the refusal comes before any bind.
        #expect(environment["LAKEMARK_LISTEN"]?.hasPrefix("0.0.0.0:") == true)
        environment["LAKEMARK_LISTEN"] = "0.0.0.0:1"
        environment["LAKEMARK_CATALOG_DIR"] = RepositoryFiles.url("Sources/Mapping/Catalogs").path
        environment["LAKEMARK_MODEL_DIR"] = nil
        environment["LAKEMARK_ACCESS_KEYS"] = nil
        let arguments = Array(image.entrypoint.dropFirst()) + image.command
        let refused = try ChildProcess.run(executable, arguments, environment: environment)
        #expect(refused.status == 2, "\(refused.output)")
        #expect(refused.output.contains("config.conflict") && refused.output.contains("allow_unauthenticated"))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only when the built `lakemark` executable is next to the test bundle.
    static var needsExecutable: Self {
        .enabled(
            if: RepositoryFiles.executable != nil,
            "the lakemark executable is not next to the test bundle (swift build first)"
        )
    }
}
