import Foundation
import NetworkTestSupport
import Testing

@testable import Mapping

/// The bundled-catalog mapper shared by the tests (loaded once per test process).
let sharedMapper: Result<EmbeddedMapper, any Error> = Result { try EmbeddedMapper(cacheCapacity: 0) }

/// The shared mapper, or a test failure when the catalogs do not load.
func loadMapper() throws -> EmbeddedMapper {
    try sharedMapper.get()
}

/// A fresh copy of the bundled catalog directory in the temporary directory (the caller removes it).
/// - Parameter label: Part of the copy's name, for whoever finds one left behind.
func bundledCatalogCopy(_ label: String) throws -> URL {
    let bundled = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("lakemark-\(label)-test-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: bundled, to: directory)
    return directory
}

/// Maps one text to one framework with the given top-k and no threshold.
func topControls(_ text: String, _ framework: FrameworkID, topK: Int = 3) throws -> [String] {
    let options = MappingOptions(frameworks: [framework], threshold: .minSimilarity(0.01), topK: topK)
    return try loadMapper().map([text], options: options)[0].map(\.controlID)
}

/// Decodes JSON test output with Foundation (tests only).
func jsonObject(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

/// A mapper that returns fixed matches, records its calls and can fail.
final class StubMapper: ComplianceMapper, @unchecked Sendable {
    var received: [[String]] = []
    let result: (String) -> [ControlMatch]
    let failure: (any Error)?

    init(failure: (any Error)? = nil, result: @escaping (String) -> [ControlMatch] = { _ in [] }) {
        self.failure = failure
        self.result = result
    }

    func map(_ texts: [String], options: MappingOptions) throws -> [[ControlMatch]] {
        received.append(texts)
        if let failure {
            throw failure
        }
        return texts.map(result)
    }
}

/// The shared reference folder (`LAKEMARK_SHARED`, else `<repo>/../shared`, else `/work/shared`), if present.
let sharedDirectory: URL? = ReferenceMaterial.sharedDirectory(holding: "eval/mapping-dev")
