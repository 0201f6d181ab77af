import Foundation
import HTTPClient
import HTTPCore
import ServiceSupport
import Testing

@testable import Pipeline

/// `access_keys_file`: read at start, read again when it changes (rotation without a restart), an unusable new
/// version keeps the previous keys.
@Suite struct AccessKeyFileTests {
    private static func write(_ text: String, to file: URL) throws {
        // A new file moved into place, as a Kubernetes Secret volume or a sidecar replaces it.
        let next = file.appendingPathExtension("next")
        try Data(text.utf8).write(to: next)
        #expect(rename(next.path, file.path) == 0, "rename: errno \(errno)")
    }

    @Test func theFileIsReadAtStartAndConflictsWithAccessKeys() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("keys")
        try Data("first-key-1111\n second-key-2222 \n".utf8).write(to: file)
        let loaded = try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_ACCESS_KEYS_FILE": file.path])
        #expect(loaded.accessKeys == ["first-key-1111", "second-key-2222"])
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(
                path: nil,
                environment: ["LAKEMARK_ACCESS_KEYS_FILE": file.path, "LAKEMARK_ACCESS_KEYS": "other-key-3333"]
            )
        }
        for bad in ["", "short", "[1]"] {
            try Data(bad.utf8).write(to: file)
            let error = #expect(throws: ConfigurationError.self) {
                try ConfigurationLoader.load(path: nil, environment: ["LAKEMARK_ACCESS_KEYS_FILE": file.path])
            }
            #expect(error?.description.contains("access_keys_file") == true, "\(bad)")
            #expect(error?.description.contains("short") == false, "the file's contents are never shown")
        }
        #expect(throws: ConfigurationError.self) {
            try ConfigurationLoader.load(
                path: nil,
                environment: ["LAKEMARK_ACCESS_KEYS_FILE": directory.appendingPathComponent("absent").path]
            )
        }
    }

    @Test func aChangedFileReplacesTheKeysAndAnUnusableOneKeepsThem() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("keys")
        try Data("old-key-11111111".utf8).write(to: file)
        let configuration = try ConfigurationLoader.load(
            path: nil,
            environment: ["LAKEMARK_ACCESS_KEYS_FILE": file.path]
        )
        let changes = LockedValue<[String]>([])
        let store = AccessKeyStore(configuration: configuration, recheckInterval: .zero) { change in
            switch change {
            case .reloaded(let count): changes.withLock { $0.append("reloaded \(count)") }
            case .refused(let error): changes.withLock { $0.append("refused \(error.code.name)") }
            }
        }
        #expect(store.current.verify("old-key-11111111"))
        #expect(changes.withLock { $0 }.isEmpty, "nothing changed yet")
        try Self.write("old-key-11111111,new-key-22222222", to: file)
        #expect(store.current.verify("new-key-22222222") && store.current.verify("old-key-11111111"))
        try Self.write("new-key-22222222", to: file)
        #expect(!store.current.verify("old-key-11111111") && store.current.verify("new-key-22222222"))
        try Self.write("", to: file)
        #expect(store.current.verify("new-key-22222222"), "an empty file keeps the previous keys")
        #expect(changes.withLock { $0 } == ["reloaded 2", "reloaded 1", "refused config.invalid_value"])
    }

    @Test func theServiceAcceptsTheNewKeyWithoutARestart() throws {
        let directory = try TestEnvironment.temporaryDirectory()
        let file = directory.appendingPathComponent("keys")
        try Data("old-key-11111111".utf8).write(to: file)
        var configuration = TestEnvironment.configuration(sink: directory.appendingPathComponent("lake"))
        configuration.accessKeysFile = file.path
        configuration.accessKeys = ["old-key-11111111"]
        let service = try TestEnvironment.startService(configuration)
        defer { service.shutdown() }
        let client = HTTPClient()
        func status(_ key: String) throws -> Int {
            var headers: HTTPHeaders = ["X-Amz-Firehose-Request-Id": "keys-1", "X-Amz-Firehose-Access-Key": key]
            headers.add(name: "Content-Type", value: "application/json")
            let body = Array(#"{"requestId":"keys-1","timestamp":1733300000000,"records":[]}"#.utf8)
            let request = HTTPClientRequest(
                method: .post, host: "127.0.0.1", port: service.boundPort, target: "/", headers: headers, body: body
            )
            return try client.send(request).status.code
        }
        #expect(try status("old-key-11111111") == 200)
        try Self.write("new-key-22222222", to: file)
        // Looked at again within the recheck interval (5 s).
        let deadline = ContinuousClock.now + .seconds(15)
        var accepted = false
        while !accepted, ContinuousClock.now < deadline {
            accepted = try status("new-key-22222222") == 200
            if !accepted { Thread.sleep(forTimeInterval: 0.25) }
        }
        #expect(accepted, "the new key was not accepted within 15 s")
        #expect(try status("old-key-11111111") == 401)
    }
}
