import HTTPServer
import Synchronization

/// Collects server events.
final class EventRecorder: Sendable {
    private let events = Mutex<[HTTPServerEvent]>([])

    var observer: HTTPServerObserver {
        { event in self.events.withLock { $0.append(event) } }
    }

    var all: [HTTPServerEvent] {
        self.events.withLock { $0 }
    }

    var openedCount: Int {
        self.all.filter { if case .connectionOpened = $0 { true } else { false } }.count
    }

    var finished: [HTTPServerRequestSummary] {
        self.all.compactMap { event in
            if case .requestFinished(let summary) = event { summary } else { nil }
        }
    }

    var startedCount: Int {
        self.all.filter { if case .requestStarted = $0 { true } else { false } }.count
    }
}
