/// A word after normalisation: its stem id and whether it is a stop word.
struct Token: Sendable, Hashable {
    /// Stem id in the ``Lexicon``, or ``unknownStem`` for a word no catalog or rule contains.
    var stem: Int32
    /// Whether the surface word is a stop word (kept for phrase matching, never scored).
    var isStop: Bool

    /// The stem id of words unknown to every catalog.
    static let unknownStem: Int32 = -1
}

/// The engine's word list: surface words to stems, built while loading the vocabulary and the
/// catalogs and read-only afterwards.
///
/// Stems are the Porter stems of the words after British spellings are rewritten to American ones
/// (`authorisation` -> `authorization`, `behaviour` -> `behavior`, `analyse` -> `analyze`).
struct Lexicon: Sendable {
    private var words = ByteStringTable(capacity: 32_768)
    private var wordTokens: [Token] = []
    private var stems = ByteStringTable(capacity: 16_384)
    private var stopWords = ByteStringTable(capacity: 512)

    /// Number of distinct stems.
    var stemCount: Int { stems.count }

    /// Marks a surface word as a stop word. Call before the word is first interned.
    /// - Parameter word: A lowercase word.
    mutating func addStopWord(_ word: UnsafeBufferPointer<UInt8>) {
        _ = stopWords.insert(word)
    }

    /// The token of a word, adding the word and its stem when new.
    /// - Parameter word: A lowercase word.
    /// - Returns: Its token.
    mutating func intern(_ word: UnsafeBufferPointer<UInt8>) -> Token {
        let (id, inserted) = words.insert(word)
        if !inserted {
            return wordTokens[Int(id)]
        }
        let stem = Lexicon.stem(of: word)
        let stemID = stem.withUnsafeBufferPointer { stems.insert($0).id }
        let token = Token(stem: stemID, isStop: stopWords.find(word) != nil)
        wordTokens.append(token)
        return token
    }

    /// The token of a word the word table does not hold: its stem may still be known (else ``Token/unknownStem``).
    private func unknownWordToken(_ word: UnsafeBufferPointer<UInt8>) -> Token {
        let stem = Lexicon.stem(of: word)
        let stemID = stem.withUnsafeBufferPointer { stems.find($0) } ?? Token.unknownStem
        return Token(stem: stemID, isStop: stopWords.find(word) != nil)
    }

    /// Tokens of a text, adding new words.
    /// - Parameter text: UTF-8 bytes.
    /// - Returns: The tokens in order.
    mutating func internTokens(_ text: UnsafeBufferPointer<UInt8>) -> [Token] {
        var out: [Token] = []
        WordSplitter.forEachWord(in: text) { out.append(intern($0)) }
        return out
    }

    /// Tokens of a text, adding new words.
    /// - Parameter text: The text.
    /// - Returns: The tokens in order.
    mutating func internTokens(_ text: String) -> [Token] {
        var copy = text
        return copy.withUTF8 { internTokens($0) }
    }

    /// Tokens of a text without changing the lexicon.
    /// - Parameters:
    ///   - text: UTF-8 bytes.
    ///   - limit: At most this many tokens are returned.
    ///   - unknownWords: Tokens of words outside the word table, remembered across texts.
    /// - Returns: The tokens in order.
    func tokens(
        _ text: UnsafeBufferPointer<UInt8>,
        limit: Int = .max,
        unknownWords: inout UnknownWordCache
    ) -> [Token] {
        var out: [Token] = []
        WordSplitter.forEachWord(in: text) { word in
            guard out.count < limit else {
                return
            }
            if let id = words.find(word) {
                out.append(wordTokens[Int(id)])
            } else {
                out.append(unknownWords.token(of: word, compute: unknownWordToken))
            }
        }
        return out
    }

    /// The stem text of a stem id (for diagnostics and tests).
    /// - Parameter id: A stem id.
    /// - Returns: The stem, or `"?"` for ``Token/unknownStem``.
    func stemText(_ id: Int32) -> String {
        guard id >= 0 else {
            return "?"
        }
        return String(decoding: stems.bytes(id), as: UTF8.self)
    }

    /// The stem of a surface word: American spelling, then the Porter stemmer.
    static func stem(of word: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        PorterStemmer.stem(americanSpelling(Array(word)))
    }

    /// British suffixes rewritten to American ones: `-isation`, `-ise(d/s)`, `-ising`, `-iser(s)`,
    /// `-yse(d/s)`, `-ysing`, `-iour(s)`.
    static func americanSpelling(_ word: [UInt8]) -> [UInt8] {
        guard word.count > 5 else {
            return word
        }
        for (british, american) in spellingRules where word.count > british.count + 2 {
            let offset = word.count - british.count
            if word[offset...].elementsEqual(british) {
                return Array(word[..<offset]) + american
            }
        }
        return word
    }

    private static let spellingRules: [([UInt8], [UInt8])] = [
        ("isations", "izations"), ("isation", "ization"), ("ising", "izing"), ("ised", "ized"),
        ("ises", "izes"), ("isers", "izers"), ("iser", "izer"), ("ise", "ize"), ("ysing", "yzing"),
        ("ysed", "yzed"), ("yses", "yzes"), ("yse", "yze"), ("iours", "iors"), ("iour", "ior"),
    ].map { (Array($0.0.utf8), Array($0.1.utf8)) }
}
