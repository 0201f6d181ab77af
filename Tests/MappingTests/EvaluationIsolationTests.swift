import Foundation
import Testing

@testable import Mapping

/// The team-written catalog text must not reuse the evaluation texts (which may not be bundled).
@Suite struct EvaluationIsolationTests {
    private static let shingleLength = 8

    private func shingles(_ text: String) -> Set<String> {
        var words: [String] = []
        WordSplitter.forEachWord(in: text) { words.append(String(decoding: $0, as: UTF8.self)) }
        guard words.count >= Self.shingleLength else {
            return []
        }
        var out = Set<String>()
        for start in 0...(words.count - Self.shingleLength) {
            out.insert(words[start..<(start + Self.shingleLength)].joined(separator: " "))
        }
        return out
    }

    @Test(.enabled(if: sharedDirectory != nil, "shared/eval/mapping-dev not found (set LAKEMARK_SHARED)"))
    func teamTextSharesNoPassageWithDevelopmentSets() throws {
        let shared = try #require(sharedDirectory)
        let catalogs = try EmbeddedMapper.bundledCatalogDirectory(environment: [:])
        var team = Set<String>()
        for name in ["pci_dss_v4", "iso_27001", "tsc_2017"] {
            let text = try String(contentsOf: catalogs.appendingPathComponent(name + ".tsv"), encoding: .utf8)
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                team.formUnion(shingles(fields[2] + " " + fields[4]))
            }
        }
        #expect(team.count > 1000)
        let dev = shared.appendingPathComponent("eval/mapping-dev")
        var checked = 0
        for file in try FileManager.default.contentsOfDirectory(atPath: dev.path) where file.hasSuffix(".jsonl") {
            let content = try String(contentsOf: dev.appendingPathComponent(file), encoding: .utf8)
            for line in content.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let text = try #require(object?["text"] as? String)
                let common = shingles(text).intersection(team)
                #expect(common.isEmpty, "\(file): \(common.prefix(2))")
                checked += 1
            }
        }
        #expect(checked > 1000)
    }
}
