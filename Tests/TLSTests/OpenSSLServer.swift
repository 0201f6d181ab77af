import Foundation
import NetworkTestSupport

/// `openssl s_server` on `127.0.0.1` with an ephemeral port: an independent TLS peer.
struct OpenSSLServer {
    /// How the server answers once the handshake is done.
    enum Mode {
        /// `-www`: answers `GET /` with an HTTP status page, then closes with `close_notify`.
        case statusPage
        /// Interactive: sends nothing (its standard input stays open and empty).
        case silent
    }

    let process: ChildProcess
    let port: Int

    /// Starts the server and waits for its `ACCEPT` line.
    /// - Parameters:
    ///   - certificate: The server certificate (PEM).
    ///   - key: Its key.
    ///   - mode: How it answers.
    ///   - options: Further `s_server` options (protocol versions, ciphers).
    init(certificate: String, key: String, mode: Mode, options: [String] = []) throws {
        var arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", certificate, "-key", key]
        if mode == .statusPage {
            arguments.append("-www")
        }
        let process = try ChildProcess("openssl", arguments + options)
        let output = try process.waitForOutput(containing: "ACCEPT", seconds: 10)
        guard let line = output.split(separator: "\n").first(where: { $0.hasPrefix("ACCEPT") }),
            let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) })
        else {
            throw TestFailure("cannot read the s_server port from: \(output)")
        }
        self.process = process
        self.port = port
    }
}
