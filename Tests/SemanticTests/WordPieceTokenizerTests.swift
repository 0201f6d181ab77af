import Foundation
import Semantic
import Testing

@Suite struct WordPieceTokenizerTests {
    /// A small vocabulary for rule tests that need no model.
    static let tiny: WordPieceTokenizer = {
        let tokens = [
            "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "cafe", "resume", "!", ",", ".",
            "the", "root", "login", "東", "京", "a", "##b", "##c", "$", "-",
        ]
        let vocabulary = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($0.element, Int32($0.offset)) })
        return try! WordPieceTokenizer(vocabulary: vocabulary)
    }()

    @Test func greedyLongestPiecesWithContinuationMarks() {
        #expect(Self.tiny.tokenize("unaffable", maxTokens: 16) == [2, 5, 6, 7, 3])
        #expect(Self.tiny.tokenize("abc", maxTokens: 16) == [2, 18, 19, 20, 3])
    }

    @Test func wordWithoutPiecesIsOneUnknown() {
        #expect(Self.tiny.tokenize("unx root", maxTokens: 16) == [2, 1, 14, 3])
    }

    @Test func lowerCasesStripsAccentsAndSplitsPunctuation() {
        #expect(Self.tiny.tokenize("CAFÉ, Résumé!", maxTokens: 16) == [2, 8, 11, 9, 10, 3])
        #expect(Self.tiny.tokenize("$root-login.", maxTokens: 16) == [2, 21, 14, 22, 15, 12, 3])
    }

    @Test func ideographsStandAloneAndControlsVanish() {
        #expect(Self.tiny.tokenize("root東京login", maxTokens: 16) == [2, 14, 16, 17, 15, 3])
        #expect(Self.tiny.tokenize("ro\u{0}ot\u{200B}", maxTokens: 16) == [2, 14, 3])
    }

    @Test func specialTokenLiteralsKeepTheirIds() {
        #expect(Self.tiny.tokenize("the[SEP]root [MASK]", maxTokens: 16) == [2, 13, 3, 14, 4, 3])
        #expect(Self.tiny.tokenize("[sep]", maxTokens: 16) == [2, 1, 1, 1, 3])
    }

    @Test func truncatesToTheLimitIncludingClassifierAndSeparator() {
        #expect(Self.tiny.tokenize("the root login the root", maxTokens: 4) == [2, 13, 14, 3])
        #expect(Self.tiny.tokenize("unaffable", maxTokens: 3) == [2, 5, 3])
        #expect(Self.tiny.tokenize("root", maxTokens: 2) == [2, 3])
        #expect(Self.tiny.tokenize("", maxTokens: 128) == [2, 3])
    }

    @Test func overlongWordIsUnknown() {
        #expect(Self.tiny.tokenize(String(repeating: "a", count: 100), maxTokens: 8) == [2, 1, 3])
        #expect(Self.tiny.tokenize(String(repeating: "a", count: 101), maxTokens: 8) == [2, 1, 3])
        #expect(Self.tiny.tokenize("a" + String(repeating: "b", count: 99), maxTokens: 200).count == 102)
    }

    @Test func vocabularyWithoutSpecialTokensIsRefused() {
        #expect(throws: SemanticError.self) { try WordPieceTokenizer(vocabulary: ["a": 0]) }
        let sparse: [String: Int32] = ["[UNK]": 0, "[CLS]": 1, "[SEP]": 2, "far": 99_999]
        #expect(ModelFixture.errorCode { try WordPieceTokenizer(vocabulary: sparse) } == .modelInvalid)
    }

    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func matchesHuggingFaceTokenizerOnEveryReferenceCase() throws {
        let cases = ModelFixture.cases
        #expect(cases.count >= 200)
        let tokenizer = try WordPieceTokenizer(modelDirectory: ModelFixture.directory)
        var mismatches: [String] = []
        for item in cases {
            let ids = tokenizer.tokenize(item.text, maxTokens: item.maxTokens)
            if ids != item.ids {
                mismatches.append("\(item.id) \(item.text.debugDescription.prefix(60)): \(ids) != \(item.ids)")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches:\n\(mismatches.prefix(10).joined(separator: "\n"))")
    }

    @Test(.enabled(if: ModelFixture.available, ModelFixture.missing))
    func vocabularyFromTokenizerJSONEqualsVocabTxt() throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.copyItem(
            atPath: ModelFixture.directory + "/tokenizer.json",
            toPath: directory + "/tokenizer.json"
        )
        let fromJSON = try WordPieceTokenizer(modelDirectory: directory)
        let fromText = try WordPieceTokenizer(modelDirectory: ModelFixture.directory)
        #expect(fromJSON.vocabularySize == fromText.vocabularySize)
        for item in ModelFixture.cases.prefix(80) {
            #expect(fromJSON.tokenize(item.text, maxTokens: 128) == fromText.tokenize(item.text, maxTokens: 128))
        }
    }

    @Test func vocabTxtWithWindowsLineEndingsKeepsIds() throws {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = "[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nroot\r\n##s\r\n"
        try ModelFixture.createFile(atPath: directory + "/vocab.txt", contents: Data(lines.utf8))
        let tokenizer = try WordPieceTokenizer(modelDirectory: directory)
        #expect(tokenizer.vocabularySize == 6)
        #expect(tokenizer.tokenize("Roots", maxTokens: 8) == [2, 4, 5, 3])
    }

    @Test func missingVocabularyIsModelNotFound() {
        let directory = ModelFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(ModelFixture.errorCode { try WordPieceTokenizer(modelDirectory: directory) } == .modelNotFound)
    }
}
