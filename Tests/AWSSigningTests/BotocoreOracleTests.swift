import AWSSigning
import Foundation
import Testing

/// Cross-checks the signer against botocore's `S3SigV4Auth` / `S3SigV4QueryAuth` (run offline by
/// `scripts/sigv4_oracle.py`) on generated requests with awkward keys, headers and query strings.
@Suite struct BotocoreOracleTests {
    static let caseCount = 1_200
    static let seed: UInt64 = 0x5167_5634_2026

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Whether `python3 -c 'import botocore'` succeeds.
    static func botocoreAvailable() -> Bool {
        (try? runPython(["-c", "import botocore"], stdout: nil)) == 0
    }

    /// Runs `python3` with `arguments`, sending standard output to `stdout` (or discarding it).
    static func runPython(_ arguments: [String], stdout: URL?) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = try stdout.map { try FileHandle(forWritingTo: $0) } ?? FileHandle.nullDevice
        process.standardError = stdout == nil ? FileHandle.nullDevice : FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(
        "Authorization matches botocore on generated requests",
        .enabled("botocore is not installed for python3 (pip install botocore)") { botocoreAvailable() }
    )
    func matchesBotocore() throws {
        var generator = OracleCaseGenerator(seed: Self.seed)
        let cases = try (0..<Self.caseCount).map { try generator.makeCase(id: $0) }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("sigv4-oracle-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let casesFile = directory.appendingPathComponent("cases.json")
        let resultsFile = directory.appendingPathComponent("results.json")
        try JSONSerialization.data(withJSONObject: ["cases": cases.map(\.json)]).write(to: casesFile)
        _ = FileManager.default.createFile(atPath: resultsFile.path, contents: nil)
        let script = Self.repositoryRoot.appendingPathComponent("scripts/sigv4_oracle.py")
        try #require(FileManager.default.fileExists(atPath: script.path), "missing \(script.path)")
        let status = try Self.runPython([script.path, casesFile.path], stdout: resultsFile)
        try #require(status == 0, "sigv4_oracle.py exited with status \(status)")

        let output = try JSONSerialization.jsonObject(with: Data(contentsOf: resultsFile)) as? [String: Any]
        let results = try #require(output?["results"] as? [[String: Any]])
        try #require(results.count == cases.count)

        var mismatches: [String] = []
        var counts = (header: 0, query: 0, token: 0, unsigned: 0)
        for (testCase, result) in zip(cases, results) {
            #expect(result["id"] as? Int == testCase.id)
            let expectedPath = result["path"] as? String
            let botocoreCanonical = result["canonical_request"] as? String ?? ""
            var problem: String?
            var swiftCanonical = ""
            if expectedPath != testCase.path {
                problem = "path \(testCase.path) != botocore \(expectedPath ?? "nil")"
            }
            switch testCase.mode {
            case .header:
                counts.header += 1
                let signature = try testCase.signer.sign(testCase.request(), at: testCase.date)
                swiftCanonical = signature.canonicalRequest
                if signature.authorization != result["authorization"] as? String {
                    problem = (problem ?? "") + " authorization differs"
                }
            case .query:
                counts.query += 1
                let presigned = try testCase.signer.presign(
                    testCase.request(),
                    at: testCase.date,
                    expiresIn: testCase.expires
                )
                swiftCanonical = presigned.canonicalRequest
                if presigned.signature != result["signature"] as? String
                    || presigned.signedHeaders != result["signed_headers"] as? String
                {
                    problem = (problem ?? "") + " presigned signature differs"
                }
            }
            if testCase.credentials.sessionToken != nil { counts.token += 1 }
            if testCase.unsignedPayload { counts.unsigned += 1 }
            if let problem {
                mismatches.append(
                    "case \(testCase.id):\(problem)\n--- swift\n\(swiftCanonical)\n--- botocore\n\(botocoreCanonical)"
                )
            }
        }
        let mismatchCount = mismatches.count
        let examples = mismatches.prefix(2).map { String($0.prefix(3_000)) }.joined(separator: "\n")
        #expect(mismatchCount == 0, "\(mismatchCount) of \(cases.count) differ from botocore; first:\n\(examples)")
        #expect(counts.header + counts.query == Self.caseCount)
        #expect(counts.query > 100 && counts.token > 200 && counts.unsigned > 300)
    }

    @Test func generationIsDeterministic() throws {
        var first = OracleCaseGenerator(seed: Self.seed)
        var second = OracleCaseGenerator(seed: Self.seed)
        for id in 0..<50 {
            let left = try first.makeCase(id: id)
            let right = try second.makeCase(id: id)
            #expect(left.path == right.path)
            #expect(left.headers.map { "\($0.name):\($0.value)" } == right.headers.map { "\($0.name):\($0.value)" })
            #expect(left.timestamp == right.timestamp)
        }
    }
}
