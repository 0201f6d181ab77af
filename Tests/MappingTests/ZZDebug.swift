import Foundation
import Testing

@testable import Mapping

@Suite struct ZZDebug {
    @Test func explain() throws {
        guard let text = ProcessInfo.processInfo.environment["DEBUG_QUERY"] else { return }
        let fw = FrameworkID(rawValue: ProcessInfo.processInfo.environment["DEBUG_FW"] ?? "nist_800_53_r5")!
        let m = try loadMapper()
        let q = QueryTerms(text, lexicon: m.debugLexicon, vocabulary: m.debugVocabulary)
        let index = m.debugIndex(fw)
        print("QUERY", zip(q.stems, q.weights).map { "\(m.debugLexicon.stemText($0.0))=\($0.1)" }.joined(separator: " "))
        let full = index.rank(q, limit: 10)
        for hit in full {
            var parts: [String] = []
            for (s, w) in zip(q.stems, q.weights) {
                var one = q; one.stems = [s]; one.weights = [w]
                let r = index.rank(one, limit: 2000)
                if let h = r.first(where: { $0.index == hit.index }) { parts.append("\(m.debugLexicon.stemText(s)):\(String(format: "%.2f", h.score))") }
            }
            print(String(format: "%-10@ %.2f sim=%.2f ", index.ids[hit.index], hit.score, SimilarityCalibration.similarity(score: hit.score)), index.titles[hit.index].prefix(50), parts.joined(separator: " "))
        }
    }
}

@Suite struct ZZDump {
    @Test func dump() throws {
        guard let path = ProcessInfo.processInfo.environment["DUMP_IN"] else { return }
        let fw = FrameworkID(rawValue: ProcessInfo.processInfo.environment["DEBUG_FW"] ?? "nist_800_53_r5")!
        let m = try loadMapper()
        let index = m.debugIndex(fw)
        var out = ""
        for line in try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            let q = QueryTerms(String(parts[1]), lexicon: m.debugLexicon, vocabulary: m.debugVocabulary)
            let r = index.rank(q, limit: 3)
            let tops = r.map { "\(index.ids[$0.index])\t\($0.score)" }.joined(separator: "\t")
            out += "\(parts[0])\t1\t\(q.stems.count)\t\(tops)\n"
        }
        try out.write(toFile: ProcessInfo.processInfo.environment["DUMP_OUT"]!, atomically: true, encoding: .utf8)
    }
}
