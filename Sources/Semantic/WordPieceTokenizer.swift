import Foundation

/// The uncased BERT WordPiece tokenizer of all-MiniLM-L6-v2, as Hugging Face's `BertNormalizer`,
/// `BertPreTokenizer` and `WordPiece` model define it.
///
/// Steps: the special-token literals (`[CLS]`, `[SEP]`, `[PAD]`, `[UNK]`, `[MASK]`) written in the text are kept
/// as their own ids; the rest is cleaned (NUL, U+FFFD and other control or format characters removed, every
/// whitespace character made a space), CJK ideographs are set apart, accents are stripped (NFD, nonspacing
/// marks removed) and letters lower-cased; words are split at whitespace and every punctuation character
/// stands alone; each word becomes the longest vocabulary pieces from the left (`##` marks a continuation),
/// or `[UNK]` when a part has no piece or the word is longer than 100 characters.
public struct WordPieceTokenizer: Sendable {
    /// Longest word split into pieces, in Unicode scalars; longer words become `[UNK]`.
    public static let maxCharactersPerWord = 100

    /// Id of `[CLS]`, which starts every sequence.
    public let classifierID: Int32
    /// Id of `[SEP]`, which ends every sequence.
    public let separatorID: Int32
    /// Id of `[UNK]`.
    public let unknownID: Int32
    /// Number of entries in the vocabulary.
    public let vocabularySize: Int

    private let vocabulary: [String: Int32]
    private let specialTokens: [(text: [Unicode.Scalar], id: Int32)]

    /// Loads the vocabulary of a model directory: `vocab.txt` (one token a line, the line number is the id),
    /// else the `model.vocab` object of `tokenizer.json`.
    /// - Parameter modelDirectory: The directory `scripts/fetch_model.sh` makes.
    /// - Throws: `SemanticError.modelNotFound` when neither file exists, `.modelInvalid` when the vocabulary
    ///   lacks `[CLS]`, `[SEP]` or `[UNK]` or its ids are not `0..<count`.
    public init(modelDirectory: String) throws(SemanticError) {
        let vocabularyFile = modelDirectory + "/vocab.txt"
        let tokenizerFile = modelDirectory + "/tokenizer.json"
        if let data = FileManager.default.contents(atPath: vocabularyFile) {
            try self.init(vocabulary: Self.parseVocabularyLines(data), source: vocabularyFile)
        } else if let data = FileManager.default.contents(atPath: tokenizerFile) {
            try self.init(vocabulary: Self.parseTokenizerJSON(data, path: tokenizerFile), source: tokenizerFile)
        } else {
            throw SemanticError(.modelNotFound, "\(modelDirectory): neither vocab.txt nor tokenizer.json")
        }
    }

    /// Creates a tokenizer from a vocabulary.
    /// - Parameters:
    ///   - vocabulary: Token → id; must hold `[CLS]`, `[SEP]` and `[UNK]`, ids exactly `0..<count`.
    ///   - source: Where it came from, for messages.
    /// - Throws: `SemanticError.modelInvalid` when a required special token is missing or the ids have gaps.
    public init(vocabulary: [String: Int32], source: String = "vocabulary") throws(SemanticError) {
        guard let classifier = vocabulary["[CLS]"], let separator = vocabulary["[SEP]"],
            let unknown = vocabulary["[UNK]"]
        else {
            throw SemanticError(.modelInvalid, "\(source): [CLS], [SEP] or [UNK] is missing")
        }
        // Ids index the embedding table, which has one row per entry: they must be 0..<count.
        guard vocabulary.values.allSatisfy({ $0 >= 0 && Int($0) < vocabulary.count }) else {
            throw SemanticError(.modelInvalid, "\(source): ids are not 0..<\(vocabulary.count) (gaps or duplicates)")
        }
        self.vocabulary = vocabulary
        classifierID = classifier
        separatorID = separator
        unknownID = unknown
        vocabularySize = vocabulary.count
        specialTokens = ["[CLS]", "[SEP]", "[PAD]", "[UNK]", "[MASK]"].compactMap { token in
            vocabulary[token].map { (Array(token.unicodeScalars), $0) }
        }
    }

    /// The ids the model reads for a text: `[CLS]`, the word pieces, `[SEP]`.
    /// - Parameters:
    ///   - text: Any text; an empty text gives `[CLS] [SEP]`.
    ///   - maxTokens: Limit of the whole sequence including `[CLS]` and `[SEP]` (at least 2); pieces past it
    ///     are dropped.
    /// - Returns: Between 2 and `maxTokens` ids.
    public func tokenize(_ text: String, maxTokens: Int) -> [Int32] {
        let limit = max(maxTokens, 2) - 2
        var ids: [Int32] = [classifierID]
        ids.reserveCapacity(min(limit, text.utf8.count) + 2)
        var segment: [Unicode.Scalar] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count, ids.count - 1 < limit {
            if scalars[index] == "[", let special = specialToken(in: scalars, at: index) {
                appendPieces(of: segment, to: &ids, limit: limit)
                segment.removeAll(keepingCapacity: true)
                if ids.count - 1 < limit {
                    ids.append(special.id)
                }
                index += special.length
                continue
            }
            segment.append(scalars[index])
            index += 1
        }
        appendPieces(of: segment, to: &ids, limit: limit)
        ids.append(separatorID)
        return ids
    }

    private func specialToken(in scalars: [Unicode.Scalar], at start: Int) -> (id: Int32, length: Int)? {
        for special in specialTokens where start + special.text.count <= scalars.count {
            if scalars[start..<start + special.text.count].elementsEqual(special.text) {
                return (special.id, special.text.count)
            }
        }
        return nil
    }

    /// Normalises, splits and word-pieces one stretch of text without special tokens.
    private func appendPieces(of segment: [Unicode.Scalar], to ids: inout [Int32], limit: Int) {
        guard !segment.isEmpty else { return }
        var word: [Unicode.Scalar] = []
        for scalar in Self.normalize(segment) {
            if scalar.properties.isWhitespace {
                appendWord(word, to: &ids, limit: limit)
                word.removeAll(keepingCapacity: true)
            } else if Self.isPunctuation(scalar) {
                appendWord(word, to: &ids, limit: limit)
                word.removeAll(keepingCapacity: true)
                appendWord([scalar], to: &ids, limit: limit)
            } else {
                word.append(scalar)
            }
            if ids.count - 1 >= limit { return }
        }
        appendWord(word, to: &ids, limit: limit)
    }

    /// Greedy longest-match-first pieces of one word.
    private func appendWord(_ word: [Unicode.Scalar], to ids: inout [Int32], limit: Int) {
        guard !word.isEmpty, ids.count - 1 < limit else { return }
        guard word.count <= Self.maxCharactersPerWord else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var found: Int32?
            while end > start {
                var candidate = start > 0 ? "##" : ""
                candidate.unicodeScalars.append(contentsOf: word[start..<end])
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                ids.append(unknownID)
                return
            }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces.prefix(limit - (ids.count - 1)))
    }
}
