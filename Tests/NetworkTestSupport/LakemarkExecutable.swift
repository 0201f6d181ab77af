import Foundation
import Glibc

/// The `lakemark` binary SwiftPM built next to the test bundle, and a way to wait for a served instance.
public enum LakemarkExecutable {
    /// The executable found in the test bundle's directory or one of its four parents; `nil` when there is none
    /// (the tests that need it then skip).
    public static var url: URL? {
        let testBinary = URL(
            fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                ?? CommandLine.arguments[0]
        )
        var directory = testBinary.deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("lakemark")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Polls `GET /healthz` on `127.0.0.1:port` until it answers 200.
    /// - Parameters:
    ///   - port: The service's port.
    ///   - seconds: The longest wait: a debug build loads its catalogs in ~2 s, and took 6.5 s on the two-core
    ///     machine while a test run and a build shared it.
    /// - Returns: Whether the service answered 200 in time.
    public static func waitForHealth(port: Int, seconds: Double = 30) -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        repeat {
            if statusLine(port: port, path: "/healthz")?.hasPrefix("HTTP/1.1 200") == true {
                return true
            }
            usleep(50_000)
        } while ContinuousClock.now < deadline
        return false
    }

    /// The status line of a `GET path` on `127.0.0.1:port`, or `nil` when nothing answered.
    private static func statusLine(port: Int, path: String) -> String? {
        guard let fd = try? SocketIO.connect(port: port) else {
            return nil
        }
        defer { Glibc.close(fd) }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        guard SocketIO.writeAll(fd, Array(request.utf8)), let head = SocketIO.readSome(fd, timeout: .seconds(2)) else {
            return nil
        }
        return String(decoding: head, as: UTF8.self).split(separator: "\r\n").first.map(String.init)
    }
}
