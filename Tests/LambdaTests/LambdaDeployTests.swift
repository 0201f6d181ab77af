import Foundation
import NetworkTestSupport
import Testing

/// The SAM template of `deploy/lambda` and the package script agree, and cfn-lint accepts the template.
@Suite struct LambdaDeployTests {
    private static let template = LambdaHarness.repositoryRoot.appendingPathComponent(
        "deploy/lambda/lakemark-lambda.yaml"
    )

    private static var hasCfnLint: Bool {
        (try? ChildProcess.run("cfn-lint", ["--version"]).status) == 0
    }

    @Test func templateHasNoCfnLintErrors() throws {
        guard Self.hasCfnLint else {
            print("SKIP: cfn-lint is not installed (scripts/deps.sh test installs it)")
            return
        }
        let result = try ChildProcess.run("cfn-lint", ["--format", "parseable", Self.template.path])
        // cfn-lint's exit status is a bit set: 1 fatal, 2 error, 4 warning, 8 informational.
        #expect(result.status & 0b0011 == 0, "cfn-lint:\n\(result.output)")
    }

    @Test func templateRunsThePackagedBootstrapOnAL2023WithKnownVariables() throws {
        let text = try String(contentsOf: Self.template, encoding: .utf8)
        let script = try String(
            contentsOf: LambdaHarness.repositoryRoot.appendingPathComponent("scripts/package_lambda.sh"),
            encoding: .utf8
        )
        #expect(text.contains("Runtime: provided.al2023") && text.contains("Handler: bootstrap"))
        #expect(text.contains("CodeUri: ../../.build/lambda/lakemark-lambda-x86_64.zip"))
        #expect(script.contains(#"out=${1:-.build/lambda}"#) && script.contains("lakemark-lambda-$arch.zip"))
        #expect(text.contains("- Type: Lambda") && text.contains("ParameterName: LambdaArn"))
        let readme = try String(
            contentsOf: LambdaHarness.repositoryRoot.appendingPathComponent("README.md"),
            encoding: .utf8
        )
        let variables = text.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("SECBERUS_") || trimmed.hasPrefix("LAKEMARK_"),
                let colon = trimmed.firstIndex(of: ":")
            else { return nil }
            return String(trimmed[..<colon])
        }
        #expect(variables.count >= 4)
        for variable in variables {
            #expect(readme.contains("`\(variable)`"), "\(variable) is not a documented option")
        }
    }
}
