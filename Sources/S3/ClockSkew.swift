import Foundation
import Synchronization

/// The difference between S3's clock and the local one, learned from a `RequestTimeTooSkewed` answer and then
/// applied to every signing time of the client.
final class ClockSkew: Sendable {
    private let clock: @Sendable () -> Date
    private let offsetMilliseconds = Atomic<Int64>(0)

    /// Creates a skew of zero over a local clock.
    /// - Parameter clock: The local clock.
    init(clock: @escaping @Sendable () -> Date) {
        self.clock = clock
    }

    /// The learned offset (server minus local), in seconds.
    var offset: Double {
        Double(self.offsetMilliseconds.load(ordering: .relaxed)) / 1_000
    }

    /// The local clock, uncorrected.
    var localNow: Date { self.clock() }

    /// The local clock corrected by the offset: the signing time.
    var correctedNow: Date { self.clock().addingTimeInterval(self.offset) }

    /// Learns the offset from a response's `Date`: the server time minus the midpoint of sending and
    /// receiving (local times).
    /// - Parameters:
    ///   - serverDate: The value of the response's `Date` header.
    ///   - sent: When the request was sent (local clock).
    ///   - received: When the response arrived (local clock).
    /// - Returns: Whether the offset changed by at least a second (a corrected retry is then worthwhile).
    func learn(serverDate: String, sent: Date, received: Date) -> Bool {
        guard let server = HTTPDateParser.parse(serverDate) else {
            return false
        }
        let midpoint = sent.addingTimeInterval(received.timeIntervalSince(sent) / 2)
        let milliseconds = Int64((server.timeIntervalSince(midpoint) * 1_000).rounded())
        let previous = self.offsetMilliseconds.exchange(milliseconds, ordering: .relaxed)
        return abs(previous - milliseconds) >= 1_000
    }
}
