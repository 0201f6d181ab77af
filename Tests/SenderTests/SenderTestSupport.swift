import Foundation
import NetworkTestSupport
import Synchronization
import Testing

/// A fresh directory for test files, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/sender-test-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: try #require(created))
    }

    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, Array(text.utf8))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The shared reference data directory, or `nil` (tests then cancel themselves with a message).
func sharedEventsDirectory() -> String? {
    ReferenceMaterial.sharedDirectory(holding: "data/events")?.appendingPathComponent("data/events").path
}

func requireSharedEvents() throws -> String {
    guard let events = sharedEventsDirectory() else {
        try Test.cancel("skipped: shared data/events not found (set LAKEMARK_SHARED)")
    }
    return events
}

/// Collects printed lines.
final class LineCollector: Sendable {
    private let lines = Mutex<[String]>([])

    func append(_ line: String) {
        lines.withLock { $0.append(line) }
    }

    var text: String {
        lines.withLock { $0.joined(separator: "\n") }
    }
}
