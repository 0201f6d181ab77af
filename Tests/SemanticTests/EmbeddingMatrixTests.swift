import Foundation
import Semantic
import Testing

@Suite struct EmbeddingMatrixTests {
    static let ids = ["nist_800_53_r5\tAC-2", "nist_800_53_r5\tIA-2(1)", "pci_dss_v4\t8.4.2", "ünïcode id"]

    static func vectors(dimension: Int) -> [[Float]] {
        (0..<ids.count).map { row in (0..<dimension).map { Float(row * dimension + $0) / 100 - 1.5 } }
    }

    @Test(arguments: [1, 5, 16, 384])
    func writesAndReadsBackExactly(dimension: Int) throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/controls.emb"
        let vectors = Self.vectors(dimension: dimension)
        try EmbeddingMatrix.write(ids: Self.ids, vectors: vectors, to: path)
        let matrix = try EmbeddingMatrix(contentsOf: path)
        #expect(matrix.ids == Self.ids)
        #expect(matrix.dimension == dimension)
        #expect(matrix.values == vectors.flatMap { $0 })
        let query = (0..<dimension).map { Float($0 % 3) - 1 }
        let scores = matrix.dotProducts(with: query)
        for (row, vector) in vectors.enumerated() {
            let expected = zip(vector, query).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            #expect(abs(Double(scores[row]) - expected) <= 1e-4 * max(1, abs(expected)))
        }
        #expect(matrix.dotProducts(with: [1, 2]).allSatisfy { $0 == 0 } || dimension == 2)
    }

    @Test func emptyMatrixRoundTrips() throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try EmbeddingMatrix.write(ids: [], vectors: [], to: directory + "/empty.emb")
        let matrix = try EmbeddingMatrix(contentsOf: directory + "/empty.emb")
        #expect(matrix.ids.isEmpty)
        #expect(matrix.dotProducts(with: [1]).isEmpty)
    }

    @Test func refusesInconsistentInput() {
        let path = NSTemporaryDirectory() + "/never-written.emb"
        let cases: [(ids: [String], vectors: [[Float]])] = [
            (["a"], []),
            (["a", "b"], [[1, 2], [3]]),
            (["a"], [[]]),
            (["a\nb"], [[1]]),
        ]
        for item in cases {
            let code = ModelFixture.errorCode {
                try EmbeddingMatrix.write(ids: item.ids, vectors: item.vectors, to: path)
            }
            #expect(code == .invalidArgument)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func refusesMalformedFiles() throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/good.emb"
        try EmbeddingMatrix.write(ids: Self.ids, vectors: Self.vectors(dimension: 4), to: good)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: good)))
        var wrongMagic = bytes
        wrongMagic[0] = 0x41
        var wrongCount = bytes
        wrongCount[12] = 5
        var missingNewline = bytes
        let idEnd = 24 + Self.ids.reduce(0) { $0 + $1.utf8.count + 1 }
        missingNewline[idEnd - 1] = 0x20
        var badUTF8 = bytes
        badUTF8[24] = 0xFF
        let variants: [[UInt8]] = [
            [], Array(bytes.prefix(10)), wrongMagic, Array(bytes.dropLast()), bytes + [0], wrongCount,
            missingNewline, badUTF8,
        ]
        for (index, variant) in variants.enumerated() {
            let path = directory + "/bad\(index).emb"
            try ModelFixture.createFile(atPath: path, contents: Data(variant))
            #expect(throws: SemanticError.self, "variant \(index)") { try EmbeddingMatrix(contentsOf: path) }
        }
        #expect(ModelFixture.errorCode { try EmbeddingMatrix(contentsOf: directory + "/absent.emb") } == .readFailed)
    }
}
