import Dispatch
import Foundation
import HTTPClient
import HTTPCore
import ServiceSupport

/// `lakemark healthcheck [--url URL] [--timeout SECONDS]`: one `GET`, exit 0 when it is answered `200`.
///
/// Meant for a container's health check (the image carries no curl). Without `--url` it probes
/// `http://<host>:<port>/healthz` where host and port come from the `listen` option as `serve` resolves it
/// (`LAKEMARK_LISTEN`, `LAKEMARK_CONFIG`, else `127.0.0.1:8080`); a wildcard listen address is probed on
/// loopback (`0.0.0.0` → `127.0.0.1`, `::` → `::1`).
///
/// Every failure exits 1 with one line on standard error, since Docker reserves exit code 2.
public enum HealthCheckCommand {
    /// The path probed when no URL is given.
    static let defaultPath = "/healthz"
    /// The whole check's deadline when `--timeout` is not given: 2 seconds.
    static let defaultTimeout: Duration = .seconds(2)
    /// Most bytes of a response read; `/healthz` answers a few dozen.
    static let maxResponseBytes = 65_536

    /// Runs the command.
    /// - Parameters:
    ///   - arguments: the arguments after `healthcheck`.
    ///   - environment: the process environment (for the `listen` option).
    /// - Returns: 0 when the URL answered `200` in time, 1 otherwise (bad arguments included).
    public static func run(
        arguments: [String],
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Int32 {
        var urlText: String?
        var timeout = defaultTimeout
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--url" where index + 1 < arguments.count:
                urlText = arguments[index + 1]
                index += 2
            case "--timeout" where index + 1 < arguments.count:
                guard let seconds = Double(arguments[index + 1]), seconds > 0, seconds <= 600 else {
                    return fail("--timeout expects seconds in (0, 600], got \(arguments[index + 1])")
                }
                timeout = .milliseconds(Int((seconds * 1_000).rounded(.up)))
                index += 2
            case "--help", "-h":
                print(
                    "usage: lakemark healthcheck [--url URL] [--timeout SECONDS]\n\n"
                        + "GETs URL (default: /healthz on the listen address) and exits 0 on 200, else 1.\n"
                        + "The timeout (default 2 s) covers connecting, sending and reading."
                )
                return 0
            default:
                return fail("unknown argument \(arguments[index]) (see `lakemark healthcheck --help`)")
            }
        }
        let url: HTTPURL
        do {
            url = try HTTPURL(parsing: urlText ?? defaultURL(environment: environment))
        } catch {
            return fail("\(error)")
        }
        if let reason = failureReason(probing: url, timeout: timeout) {
            return fail(reason)
        }
        print("lakemark healthcheck: \(url) answered 200")
        return 0
    }

    /// The URL probed without `--url`: ``defaultPath`` on the address `serve` would listen on.
    /// - Parameter environment: the process environment.
    /// - Returns: for example `http://127.0.0.1:8080/healthz`.
    /// - Throws: ``ConfigurationError`` when the configuration cannot be loaded or listens on port 0.
    static func defaultURL(environment: [String: String]) throws(ConfigurationError) -> String {
        let configuration = try ConfigurationLoader.load(path: nil, environment: environment)
        guard configuration.listenPort != 0 else {
            throw ConfigurationError(.invalidValue, key: "listen", "port 0 cannot be probed; pass --url")
        }
        let host: String
        switch configuration.listenHost {
        case "0.0.0.0": host = "127.0.0.1"
        case "::": host = "[::1]"
        case let literal where literal.contains(":"): host = "[\(literal)]"
        case let literal: host = literal
        }
        return "http://\(host):\(configuration.listenPort)\(defaultPath)"
    }

    /// Probes a URL once within a deadline.
    /// - Parameters:
    ///   - url: an `http` URL.
    ///   - timeout: the deadline for the whole exchange.
    /// - Returns: `nil` when the answer was `200`, else why the check failed (one line).
    static func failureReason(probing url: HTTPURL, timeout: Duration) -> String? {
        guard !url.isTLS else {
            return "https is not supported; probe the service's plain HTTP port (for example http://127.0.0.1:8080)"
        }
        var configuration = HTTPClient.Configuration()
        configuration.connectTimeout = timeout
        configuration.readTimeout = timeout
        configuration.writeTimeout = timeout
        configuration.maxIdleConnectionsPerEndpoint = 0
        configuration.maxResponseBodyBytes = maxResponseBytes
        let client = HTTPClient(configuration: configuration)
        let outcome = LockedValue<String??>(nil)
        let finished = DispatchSemaphore(value: 0)
        let request = HTTPClientRequest(method: .get, url: url, headers: ["User-Agent": "lakemark-healthcheck"])
        DispatchQueue.global().async {
            let reason: String?
            do {
                let response = try client.send(request)
                reason = response.status.code == 200 ? nil : "\(url) answered \(response.status.code)"
            } catch {
                reason = "\(url): \(error)"
            }
            outcome.withLock { $0 = .some(reason) }
            finished.signal()
        }
        let milliseconds = Int((timeout / .milliseconds(1)).rounded(.up))
        let answered = finished.wait(timeout: .now() + .milliseconds(milliseconds)) == .success
        guard answered, let reason = outcome.value else {
            return "\(url) did not answer within \(milliseconds) ms"
        }
        return reason
    }

    /// Writes one line to standard error.
    /// - Parameter reason: why the check failed.
    /// - Returns: 1, the exit code of an unhealthy check.
    private static func fail(_ reason: String) -> Int32 {
        StandardStream.error.write("lakemark healthcheck: \(reason)\n")
        return 1
    }
}
