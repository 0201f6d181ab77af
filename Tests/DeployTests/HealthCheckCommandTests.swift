import Foundation
import HTTPClient
import Testing

@testable import Pipeline

/// `lakemark healthcheck` in process: which URL it probes, and that every failure is reported.
@Suite struct HealthCheckCommandTests {
    @Test func probesTheListenPortOnLoopback() throws {
        #expect(try HealthCheckCommand.defaultURL(environment: [:]) == "http://127.0.0.1:8080/healthz")
        let cases = [
            "0.0.0.0:9090": "http://127.0.0.1:9090/healthz",
            "127.0.0.1:8181": "http://127.0.0.1:8181/healthz",
            "[::]:8081": "http://[::1]:8081/healthz",
            "[::1]:8082": "http://[::1]:8082/healthz",
            "localhost:8083": "http://127.0.0.1:8083/healthz",
        ]
        for (listen, url) in cases {
            #expect(try HealthCheckCommand.defaultURL(environment: ["LAKEMARK_LISTEN": listen]) == url, "\(listen)")
        }
    }

    @Test func readsTheListenAddressFromTheConfigurationFileToo() throws {
        let name = "lakemark-healthcheck-\(UUID().uuidString).json"
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(name)
        try Data(#"{"listen":"0.0.0.0:9444"}"#.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(
            try HealthCheckCommand.defaultURL(environment: ["LAKEMARK_CONFIG": file.path])
                == "http://127.0.0.1:9444/healthz"
        )
    }

    @Test func refusesWhatCannotBeProbed() throws {
        #expect(throws: ConfigurationError.self) {
            try HealthCheckCommand.defaultURL(environment: ["LAKEMARK_LISTEN": "127.0.0.1:0"])
        }
        #expect(throws: ConfigurationError.self) {
            try HealthCheckCommand.defaultURL(environment: ["LAKEMARK_LISTEN": "8080"])
        }
        let https = try HTTPURL(parsing: "https://127.0.0.1:8443/healthz")
        #expect(HealthCheckCommand.failureReason(probing: https, timeout: .seconds(1))?.contains("https") == true)
        #expect(HealthCheckCommand.run(arguments: ["--bogus"], environment: [:]) == 1)
        #expect(HealthCheckCommand.run(arguments: ["--timeout", "0"], environment: [:]) == 1)
        #expect(HealthCheckCommand.run(arguments: ["--url", "ftp://127.0.0.1/"], environment: [:]) == 1)
    }

    @Test func failsWhenNothingListens() throws {
        let port = try LoopbackPort.free()
        let url = try HTTPURL(parsing: "http://127.0.0.1:\(port)/healthz")
        let reason = try #require(HealthCheckCommand.failureReason(probing: url, timeout: .seconds(2)))
        #expect(reason.contains("connectFailed"), "\(reason)")
        #expect(HealthCheckCommand.run(arguments: [], environment: ["LAKEMARK_LISTEN": "127.0.0.1:\(port)"]) == 1)
    }

    @Test func failsWhenTheServerNeverAnswers() throws {
        let listener = try LoopbackPort.silentListener()
        defer { close(listener.socket) }
        let url = try HTTPURL(parsing: "http://127.0.0.1:\(listener.port)/healthz")
        let reason = try #require(HealthCheckCommand.failureReason(probing: url, timeout: .milliseconds(300)))
        #expect(reason.contains("300 ms") || reason.contains("timeout"), "\(reason)")
    }
}
