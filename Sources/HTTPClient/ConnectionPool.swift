import Synchronization

/// Idle keep-alive connections per `host:port`, bounded in number and age.
final class ConnectionPool: Sendable {
    private struct IdleConnection {
        let connection: any HTTPTransportConnection
        let since: ContinuousClock.Instant
    }

    private let maxPerEndpoint: Int
    private let idleTimeout: Duration
    private let idle = Mutex<[String: [IdleConnection]]>([:])

    /// Creates a pool.
    /// - Parameters:
    ///   - maxPerEndpoint: The most idle connections kept per endpoint.
    ///   - idleTimeout: How long a connection may stay idle before it is discarded.
    init(maxPerEndpoint: Int, idleTimeout: Duration) {
        self.maxPerEndpoint = maxPerEndpoint
        self.idleTimeout = idleTimeout
    }

    /// Takes the most recently used idle connection to `endpoint` that is still usable.
    /// - Parameter endpoint: The `host:port` key.
    /// - Returns: A connection, or `nil` when none is available.
    func take(_ endpoint: String) -> (any HTTPTransportConnection)? {
        while true {
            let now = ContinuousClock.now
            let (candidate, expired) = self.idle.withLock {
                pool -> ((any HTTPTransportConnection)?, [any HTTPTransportConnection]) in
                var list = pool[endpoint] ?? []
                var expired: [any HTTPTransportConnection] = []
                list.removeAll { entry in
                    let isExpired = now - entry.since >= self.idleTimeout
                    if isExpired {
                        expired.append(entry.connection)
                    }
                    return isExpired
                }
                let candidate = list.popLast()?.connection
                pool[endpoint] = list.isEmpty ? nil : list
                return (candidate, expired)
            }
            for connection in expired {
                connection.close()
            }
            guard let candidate else {
                return nil
            }
            if candidate.isReusable {
                return candidate
            }
            candidate.close()
        }
    }

    /// Returns a connection for reuse, or closes it when the endpoint already has enough idle ones.
    /// - Parameters:
    ///   - connection: A connection whose last response was complete.
    ///   - endpoint: The `host:port` key.
    func put(_ connection: any HTTPTransportConnection, endpoint: String) {
        let kept = self.idle.withLock { pool in
            var list = pool[endpoint] ?? []
            guard list.count < self.maxPerEndpoint else {
                return false
            }
            list.append(IdleConnection(connection: connection, since: .now))
            pool[endpoint] = list
            return true
        }
        if !kept {
            connection.close()
        }
    }

    /// Closes every idle connection.
    func closeAll() {
        let all = self.idle.withLock { pool in
            let all = pool.values.flatMap { $0.map(\.connection) }
            pool = [:]
            return all
        }
        for connection in all {
            connection.close()
        }
    }
}
