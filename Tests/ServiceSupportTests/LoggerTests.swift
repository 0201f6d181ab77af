import Foundation
import ServiceSupport
import Testing

@Suite struct LoggerTests {
    /// Parses one rendered line back into a dictionary (tests only).
    func decode(_ line: String) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
        return try #require(object as? [String: Any])
    }

    @Test func filtersByLevelWithoutEvaluatingTheMessage() {
        let capture = CapturingLogHandler()
        let logger = Logger(label: "test", level: .warning, handler: capture)
        var evaluated = false
        logger.debug({ evaluated = true; return "hidden" }())
        logger.info("hidden too")
        logger.warning("shown")
        logger.critical("also shown")
        #expect(!evaluated)
        #expect(capture.records.map(\.level) == [.warning, .critical])
        #expect(capture.records.map(\.message) == ["shown", "also shown"])
    }

    @Test func levelsAreOrderedAndParseable() {
        #expect(LogLevel.allCases.map(\.name) == ["trace", "debug", "info", "notice", "warning", "error", "critical"])
        #expect(LogLevel.trace < .critical)
        #expect(LogLevel(name: "WARN") == .warning)
        #expect(LogLevel(name: "Error") == .error)
        #expect(LogLevel(name: "verbose") == nil)
        let logger = Logger(label: "l", level: .notice, handler: CapturingLogHandler())
        #expect(!logger.isEnabled(.info))
        #expect(logger.isEnabled(.notice))
        #expect(Logger.Level.error == LogLevel.error)
    }

    @Test func withAddsMetadataToACopyOnly() throws {
        let capture = CapturingLogHandler()
        let base = Logger(label: "lakemark.http", level: .trace, metadata: ["service": "lakemark"], handler: capture)
        let request = base.with("request.id", "abc-123")
        request.info("batch stored", ["records": 500, "ratio": 0.5, "ok": true, "service": "override"])
        base.info("plain")
        let records = capture.records
        #expect(records.count == 2)
        #expect(records[0].metadata == [
            "service": "override", "request.id": "abc-123", "records": 500, "ratio": 0.5, "ok": true,
        ])
        #expect(records[1].metadata == ["service": "lakemark"])
        #expect(base[metadataKey: "request.id"] == nil)
        #expect(request[metadataKey: "request.id"] == "abc-123")
    }

    @Test func rendersOneJSONObjectPerLine() throws {
        let record = LogRecord(
            timestampMillis: 1_796_402_824_123,
            level: .info,
            label: "lakemark.sink",
            message: "wrote \"a\"\nline\u{01}é",
            metadata: ["b": 2, "a": "x", "f": 1.5, "t": false, "msg": "clash", "nan": .double(.nan)]
        )
        let bytes = record.jsonLine()
        #expect(bytes.last == UInt8(ascii: "\n"))
        #expect(bytes.filter { $0 == UInt8(ascii: "\n") }.count == 1)
        let line = String(decoding: bytes.dropLast(), as: UTF8.self)
        #expect(line.hasPrefix(#"{"ts":"2026-12-04T16:47:04.123Z","level":"info","logger":"lakemark.sink","msg":"#))
        #expect(line.contains(#""a":"x","b":2,"f":1.5"#))
        let object = try decode(line)
        #expect(object["msg"] as? String == "wrote \"a\"\nline\u{01}é")
        #expect(object["meta.msg"] as? String == "clash")
        #expect(object["nan"] as? String == "nan")
        #expect(object["t"] as? Bool == false)
        #expect(object["level"] as? String == "info")
    }

    @Test func redactsSecretsInMessageAndMetadata() throws {
        let capture = CapturingLogHandler()
        let secret = "AKIA-very-secret-key"
        let logger = Logger(label: "auth", redactor: Redactor(secrets: [secret]), handler: capture)
        logger.error(
            "rejected key \(secret) twice: \(secret)!",
            [
                "header": "X-Amz-Firehose-Access-Key: \(secret)",
                "Authorization": "Basic abc",
                "X-API_KEY": "k",
                "db.Password": 42,
                "upstream_access_key_id": true,
                "tokens_used": 7,
                "path": "/ingest",
            ]
        )
        let record = try #require(capture.records.first)
        #expect(record.message == "rejected key *** twice: ***!")
        #expect(record.metadata["header"] == "X-Amz-Firehose-Access-Key: ***")
        #expect(record.metadata["Authorization"] == "***")
        #expect(record.metadata["X-API_KEY"] == "***")
        #expect(record.metadata["db.Password"] == "***")
        #expect(record.metadata["upstream_access_key_id"] == "***")
        #expect(record.metadata["tokens_used"] == "***")
        #expect(record.metadata["path"] == "/ingest")
        #expect(!capture.lines[0].contains(secret))
    }

    @Test func redactorPrefersTheLongestSecretAndIgnoresEmptyOnes() {
        let redactor = Redactor(secrets: ["abc", "", "abcdef"]).adding(secret: "zz")
        #expect(redactor.secrets == ["abcdef", "abc", "zz"])
        #expect(redactor.redact("xabcdefy abc zzz") == "x***y *** ***z")
        #expect(redactor.redact("nothing here") == "nothing here")
        #expect(Redactor().redact("abc") == "abc")
        #expect(Redactor().isSensitive(key: "SECRET_ACCESS"))
        #expect(!Redactor().isSensitive(key: "request.id"))
    }

    @Test func stderrHandlerWritesWholeLinesFromManyThreads() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)").path
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0o600)
        #expect(fd >= 0)
        defer {
            close(fd)
            unlink(path)
        }
        let logger = Logger(label: "threads", handler: StderrLogHandler(fileDescriptor: fd))
        let payload = String(repeating: "x", count: 9_000)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for index in 0..<50 {
                logger.info("line \(index) \(payload)", ["thread": .int(thread)])
            }
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 400)
        for line in lines {
            let object = try decode(String(line))
            #expect((object["msg"] as? String)?.hasSuffix(payload) == true)
        }
    }
}
