import Foundation
import Glibc
import Synchronization

/// A tiny HTTP `CONNECT` proxy on `127.0.0.1`: it tunnels to loopback destinations only and records every
/// `CONNECT` target it was asked for.
public final class ConnectProxy: Sendable {
    /// The listening port.
    public var port: Int { self.listener.port }
    private let listener: LoopbackListener
    private let log = RequestLog()

    /// What clients asked the proxy for.
    private final class RequestLog: Sendable {
        let targets = Mutex<[String]>([])
        let authorizations = Mutex<[String]>([])
    }

    /// Starts the proxy.
    /// - Parameter refusal: When set, every `CONNECT` is answered with this status (for example 407) instead.
    /// - Throws: ``TestFailure`` when the socket cannot be bound.
    public init(refusal: Int? = nil) throws {
        self.listener = try LoopbackListener()
        self.listener.serve { [log] client in
            Self.handle(client, refusal: refusal, log: log)
        }
    }

    deinit {
        self.listener.close()
    }

    /// The `CONNECT` targets requested so far (`host:port`).
    public var requestedTargets: [String] { self.log.targets.withLock { $0 } }

    /// The `Proxy-Authorization` values received so far.
    public var receivedAuthorizations: [String] { self.log.authorizations.withLock { $0 } }

    /// Stops accepting.
    public func close() {
        self.listener.close()
    }

    private static func handle(
        _ client: Int32,
        refusal: Int?,
        log: RequestLog
    ) {
        var head: [UInt8] = []
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        while !head.ends(with: terminator) {
            guard let chunk = SocketIO.readSome(client), !chunk.isEmpty else {
                Glibc.close(client)
                return
            }
            head += chunk
        }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let words = lines[0].split(separator: " ")
        guard words.count == 3, words[0] == "CONNECT" else {
            SocketIO.writeAll(client, Array("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".utf8))
            Glibc.close(client)
            return
        }
        let target = String(words[1])
        log.targets.withLock { $0.append(target) }
        for line in lines where line.lowercased().hasPrefix("proxy-authorization:") {
            let value = line.dropFirst("proxy-authorization:".count).trimmingCharacters(in: .whitespaces)
            log.authorizations.withLock { $0.append(value) }
        }
        let port = target.split(separator: ":").last.flatMap { Int($0) }
        let isLoopback = target.hasPrefix("localhost:") || target.hasPrefix("127.0.0.1:")
        guard refusal == nil, isLoopback, let port, let upstream = try? SocketIO.connect(port: port) else {
            let status = refusal ?? 502
            SocketIO.writeAll(client, Array("HTTP/1.1 \(status) Refused\r\nContent-Length: 0\r\n\r\n".utf8))
            Glibc.close(client)
            return
        }
        SocketIO.writeAll(client, Array("HTTP/1.1 200 Connection established\r\n\r\n".utf8))
        SocketIO.relay(client, upstream)
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        self.count >= suffix.count && Array(self[(self.count - suffix.count)...]) == suffix
    }
}
