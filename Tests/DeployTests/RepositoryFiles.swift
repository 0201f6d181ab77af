import Foundation
import NetworkTestSupport

/// Where the deployment files and the built `lakemark` executable are.
enum RepositoryFiles {
    /// The repository root (three levels above this file).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file or folder of the repository.
    /// - Parameter relativePath: the path from the root, for example `deploy/kubernetes`.
    /// - Returns: its URL.
    static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The text of a repository file.
    /// - Parameter relativePath: the path from the root.
    /// - Returns: the file as UTF-8 text.
    /// - Throws: when it cannot be read.
    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// The files of a folder whose names end in `suffix`, sorted by name.
    /// - Parameters:
    ///   - relativePath: the folder, from the root.
    ///   - suffix: for example `.yaml`.
    /// - Returns: their URLs; empty when the folder is missing.
    static func files(in relativePath: String, endingIn suffix: String) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url(relativePath).path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { url(relativePath).appendingPathComponent($0) }
    }

    /// The `lakemark` executable SwiftPM built next to the test bundle, when there is one.
    static var executable: URL? { LakemarkExecutable.url }
}
