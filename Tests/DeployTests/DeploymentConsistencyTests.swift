import Foundation
import Pipeline
import Testing

/// The numbers and names the Dockerfile, the ECS template and the Kubernetes manifests must agree on. The files are
/// the repository's own, so a line scan (first `key:` after an anchor line) reads them reliably.
@Suite struct DeploymentConsistencyTests {
    private let image: DockerfileInstructions
    private let ecs: String
    private let deployment: String
    private let configMap: String

    init() throws {
        image = try DockerfileInstructions(parsing: RepositoryFiles.text("Dockerfile"))
        ecs = try RepositoryFiles.text("deploy/cloudformation/lakemark-ecs.yaml")
        deployment = try RepositoryFiles.text("deploy/kubernetes/deployment.yaml")
        configMap = try RepositoryFiles.text("deploy/kubernetes/configmap.yaml")
    }

    @Test func kubernetesWaitsLongerThanThePreStopPauseAndTheShutdownGrace() throws {
        let termination = try #require(Int(value(of: "terminationGracePeriodSeconds", in: deployment) ?? ""))
        let preStop = try #require(list(value(of: "command", in: deployment, after: "preStop:")))
        let pause = try #require(Int(preStop.last ?? ""))
        let grace = try #require(Int(value(of: "LAKEMARK_SHUTDOWN_GRACE_SECONDS", in: configMap) ?? ""))
        #expect(preStop.first == "/bin/sleep")
        #expect(termination > pause + grace, "\(termination) s <= \(pause) s pause + \(grace) s grace")
    }

    @Test func ecsWaitsLongerThanTheShutdownGrace() throws {
        let stopTimeout = try #require(Int(value(of: "Default", in: ecs, after: "StopTimeoutSeconds:") ?? ""))
        let grace = try #require(Int(value(of: "Default", in: ecs, after: "ShutdownGraceSeconds:") ?? ""))
        #expect(stopTimeout > grace)
        #expect(stopTimeout <= 120, "Fargate's largest stop timeout")
    }

    @Test func healthChecksPortsAndUserMatchTheImage() throws {
        let healthCommand = try #require(list(value(of: "Command", in: ecs, after: "HealthCheck:")))
        #expect(healthCommand == ["CMD"] + image.healthCheck)
        #expect(value(of: "HealthCheckPath", in: ecs) == "/healthz")
        #expect(value(of: "ContainerPort", in: ecs) == image.exposedPorts.first)
        #expect(value(of: "containerPort", in: deployment) == image.exposedPorts.first)
        #expect(value(of: "User", in: ecs) == image.user)
        let uid = image.user?.split(separator: ":").first.map(String.init)
        #expect(value(of: "runAsUser", in: deployment) == uid)
        #expect(value(of: "path", in: deployment, after: "readinessProbe:") == "/readyz")
        #expect(value(of: "path", in: deployment, after: "livenessProbe:") == "/healthz")
        #expect(value(of: "path", in: deployment, after: "startupProbe:") == "/healthz")
    }

    @Test func everyVariableTheDeploymentsSetIsAnOptionOfServe() throws {
        let configMapNames = matches(of: #"(?m)^  ([A-Z][A-Z0-9_]+):"#, in: configMap)
        let ecsNames = matches(of: #"Name: ([A-Z][A-Z0-9_]+)"#, in: ecs)
        #expect(configMapNames.contains("LAKEMARK_SINK") && ecsNames.contains("LAKEMARK_ACCESS_KEYS"))
        var names = Set(configMapNames + ecsNames + image.environment.map(\.name))
        // The S3 options exist only in builds with the S3 sink; check them once this build has it.
        let s3Probe = ["LAKEMARK_SINK": "s3://bucket/prefix"]
        let hasS3Sink = (try? ConfigurationLoader.load(path: nil, environment: s3Probe)) != nil
        if !hasS3Sink {
            print("DeployTests: this build has no S3 sink; LAKEMARK_S3_* names are not checked")
            names = names.filter { !$0.hasPrefix("LAKEMARK_S3_") }
        }
        let environment = Dictionary(uniqueKeysWithValues: names.map { ($0, "x") })
        #expect(ConfigurationLoader.unknownVariables(in: environment).isEmpty)
    }

    /// The value of the first `key:` line after the first line containing `anchor`, without quotes or comment.
    private func value(of key: String, in text: String, after anchor: String? = nil) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)[...]
        if let anchor {
            guard let start = lines.firstIndex(where: { $0.contains(anchor) }) else { return nil }
            lines = lines[lines.index(after: start)...]
        }
        for line in lines {
            var content = line.trimmingCharacters(in: .whitespaces)
            if content.hasPrefix("- ") { content = String(content.dropFirst(2)) }
            guard content.hasPrefix("\(key):") else { continue }
            var value = content.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            if let comment = value.range(of: " #") { value = String(value[..<comment.lowerBound]) }
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }

    /// A flow sequence of strings (`["a", "b"]`).
    private func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
    }

    /// The first capture group of every match.
    private func matches(of pattern: String, in text: String) -> [String] {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return expression.matches(in: text, range: range).compactMap {
            Range($0.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
