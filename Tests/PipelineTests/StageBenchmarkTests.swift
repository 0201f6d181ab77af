import Testing

@testable import Pipeline

/// `bench-stages` reads its corpus as the non-empty lines `split(separator:)` gives.
@Suite struct StageBenchmarkTests {
    @Test(arguments: ["", "\n", "a", "a\n", "\n\na\n\nbc\r\n{}", "x\ny\n\n\nz"])
    func linesAreTheNonEmptyLinesOfTheCorpus(text: String) {
        let corpus = Array(("#" + text).utf8)
        let slice = corpus[1...]
        let lines = StageBenchmark.nonEmptyLines(slice)
        #expect(lines.map(Array.init) == slice.split(separator: 0x0A).map(Array.init))
        #expect(lines.allSatisfy { $0.startIndex >= slice.startIndex && $0.endIndex <= slice.endIndex })
    }
}
