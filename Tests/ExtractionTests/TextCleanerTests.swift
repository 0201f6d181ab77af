@testable import Extraction
import Testing

/// The cleaner's shortcut (a text that needs no change is kept as it is) agrees with writing a cleaned copy.
@Suite struct TextCleanerTests {
    /// Pieces that exercise every rule: marks, `#` at the start and after spaces, runs and ends of whitespace,
    /// controls, no-break space, a C1 control, multi-byte characters and the byte limit.
    static let pieces = ["a", "Zé", " ", "  ", "#", "*", "`", "\t", "\n", "\u{A0}", "\u{85}", "\u{7F}", "日本", "x#"]

    @Test func theShortcutAgreesWithTheCopyOnEveryCombination() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let count = Int.random(in: 0...6, using: &generator)
            let text = (0..<count).map { _ in Self.pieces.randomElement(using: &generator)! }.joined()
            for maxBytes in [4, 16, 2_048] {
                #expect(
                    TextCleaner.clean(text, maxBytes: maxBytes) == TextCleaner.cleanedCopy(text, maxBytes: maxBytes),
                    "\(Array(text.utf8)) within \(maxBytes) bytes"
                )
            }
        }
    }

    @Test func cleanTextIsKeptAndMarkedTextIsCleaned() {
        #expect(TextCleaner.clean("AWS iam CreateUser by root account", maxBytes: 2_048)
            == "AWS iam CreateUser by root account")
        #expect(TextCleaner.clean("C# and F# stay", maxBytes: 2_048) == "C# and F# stay")
        #expect(TextCleaner.clean("## **Root** used  `key` ", maxBytes: 2_048) == "Root used key")
        #expect(TextCleaner.clean("  \t ", maxBytes: 2_048) == nil)
        #expect(TextCleaner.clean("abcdef", maxBytes: 4) == "abcd")
    }
}
