import Foundation
import NetworkTestSupport
import Testing

@testable import Pipeline

/// `lakemark embed`: TSV input rules, JSON lines output, and a run of the binary when the model is there.
@Suite struct EmbedCommandTests {
    @Test func idIsEverythingBeforeTheLastTabAndTextsAreUnescaped() throws {
        let input = "nist_800_53_r5\tAC-2\tAccount management\r\n\nplain\tline one\\nline two \\\\ \\t tab \\q\n"
        let rows = try EmbedCommand.parse(Data(input.utf8)).get()
        #expect(rows.map(\.id) == ["nist_800_53_r5\tAC-2", "plain"])
        #expect(rows.map(\.text) == ["Account management", "line one\nline two \\ \t tab \\q"])
        #expect(EmbedCommand.unescape("ends with \\") == "ends with \\")
        #expect(try EmbedCommand.parse(Data("a\t\n".utf8)).get().map(\.text) == [""])
    }

    @Test func linesWithoutIdOrNotUTF8AreRefusedWithTheirLineNumber() {
        #expect(throws: EmbedCommand.InputProblem.self) { try EmbedCommand.parse(Data("a\tb\nno tab\n".utf8)).get() }
        #expect(throws: EmbedCommand.InputProblem.self) { try EmbedCommand.parse(Data("\ttext\n".utf8)).get() }
        #expect(throws: EmbedCommand.InputProblem.self) { try EmbedCommand.parse(Data([0xFF, 0x09, 0x41])).get() }
        if case .failure(let problem) = EmbedCommand.parse(Data("a\tb\nno tab\n".utf8)) {
            #expect(problem.text.hasPrefix("line 2:"))
        }
    }

    @Test func jsonLinesCarryIdsAndExactFloats() throws {
        let bytes = EmbedCommand.jsonLines(ids: ["x\t\"y\""], vectors: [[0.1, -2.5e-8, 3]])
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(object["id"] as? String == "x\t\"y\"")
        let vector = try #require(object["vector"] as? [Double]).map { Float($0) }
        #expect(vector == [0.1, -2.5e-8, 3])
    }

    @Test func badArgumentsExitTwo() {
        #expect(EmbedCommand.run(arguments: []) == 2)
        #expect(EmbedCommand.run(arguments: ["--model"]) == 2)
        #expect(EmbedCommand.run(arguments: ["--model", "m", "--batch", "0"]) == 2)
        #expect(EmbedCommand.run(arguments: ["--model", "m", "--threads", "x"]) == 2)
        #expect(EmbedCommand.run(arguments: ["--model", "m", "--unknown"]) == 2)
    }

    @Test func binaryEmbedsTSVWhenTheModelIsThere() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let model = ProcessInfo.processInfo.environment["LAKEMARK_MODEL_DIR"]
            ?? root.appendingPathComponent("models/all-minilm-l6-v2").path
        let executable = LakemarkExecutable.url
        guard let executable, FileManager.default.fileExists(atPath: model + "/model.safetensors") else {
            print("SKIP: lakemark embed needs the built binary and models/all-minilm-l6-v2 (scripts/fetch_model.sh)")
            return
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = ["embed", "--model", model, "--json", "--batch", "1", "--threads", "3"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data("f\tAC-2\tRoot login without MFA\nb\t\nc\tPublic S3 bucket\n".utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = data.split(separator: 0x0A)
        #expect(lines.count == 3)
        var ids: [String] = []
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let vector = try #require(object["vector"] as? [Double])
            #expect(vector.count == 384)
            #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4)
            ids.append(try #require(object["id"] as? String))
        }
        #expect(ids == ["f\tAC-2", "b", "c"])
    }
}
