import Codecs
import Foundation
import NetworkTestSupport
import Pipeline
import ServiceSupport

/// Shared helpers: locating reference data, temporary directories, a running service.
enum TestEnvironment {
    /// The repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The bundled sample events (always present).
    static let samples = repositoryRoot.appendingPathComponent("Tests/Fixtures/samples")

    /// `../shared` (or `$LAKEMARK_SHARED`, or `/work/shared`) when present.
    static var shared: URL? { ReferenceMaterial.sharedDirectory(holding: "data/events") }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("lakemark-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// A configuration listening on an ephemeral loopback port and writing under `sink`.
    static func configuration(sink: URL, _ adjust: (inout Configuration) -> Void = { _ in }) -> Configuration {
        var configuration = Configuration()
        configuration.listenHost = "127.0.0.1"
        configuration.listenPort = 0
        configuration.sink = .directory(sink.path)
        configuration.shutdownGraceSeconds = 5
        adjust(&configuration)
        return configuration
    }

    /// Starts a service; the caller shuts it down.
    static func startService(_ configuration: Configuration) throws -> Service {
        let logger = Logger(label: "test", level: .warning)
        let service = try Service(configuration: configuration, logger: logger)
        try service.start()
        return service
    }

    /// Every object under a directory, decompressed, as lines.
    static func outputLines(under root: URL) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for file in try objectFiles(under: root) {
            let data = try Data(contentsOf: file)
            let inflated = try Gzip.inflate([UInt8](data), limit: 1 << 30)
            lines += inflated.split(separator: 0x0A).map(Array.init)
        }
        return lines
    }

    /// Paths of every `.json.gz` object under a directory, sorted.
    static func objectFiles(under root: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else {
            return []
        }
        var files: [URL] = []
        while let url = enumerator.nextObject() as? URL {
            if url.path.hasSuffix(".json.gz") { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }
}
