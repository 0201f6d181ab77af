/// The weighted stems of one text to map.
struct QueryTerms: Sendable {
    /// Distinct stem ids.
    var stems: [Int32] = []
    /// Weight of each stem: 1 for words of the text (more for repeated words), ``expansionWeight``
    /// for words added by the vocabulary.
    var weights: [Float] = []

    /// Weight of a word added by a vocabulary expansion.
    static let expansionWeight: Float = 0.7
    /// Extra weight per repetition of a word in the text.
    static let repeatBonus: Float = 0.2
    /// Repetitions beyond this count add nothing.
    static let maxRepeats: Float = 4
    /// Tokens of a text that are analysed; later words are ignored.
    static let maxTokens = 512

    /// Analyses a text: tokens, normalisation, expansion, weights.
    ///
    /// A text without a single ASCII letter (only numbers, punctuation or symbols) names nothing a control covers:
    /// its terms are empty, so it gets no answer from its words (an event-type prior may still answer).
    /// - Parameters:
    ///   - text: The text.
    ///   - lexicon: The engine's lexicon.
    ///   - vocabulary: The engine's vocabulary.
    ///   - unknownWords: Tokens of words outside the lexicon's word table, remembered across texts.
    init(_ text: String, lexicon: Lexicon, vocabulary: Vocabulary, unknownWords: inout UnknownWordCache) {
        guard text.utf8.contains(where: { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else {
            return
        }
        var copy = text
        let raw = copy.withUTF8 { lexicon.tokens($0, limit: QueryTerms.maxTokens, unknownWords: &unknownWords) }
        let tokens = vocabulary.normalizations.rewrite(raw)
        let added = vocabulary.expansions.additions(for: tokens)
        var slots = StemSlots()
        var counts: [Float] = []
        for token in tokens where !token.isStop && token.stem >= 0 {
            if let i = slots.slot(of: token.stem, in: stems) {
                counts[i] += 1
            } else {
                stems.append(token.stem)
                counts.append(1)
            }
        }
        weights = counts.map { 1 + QueryTerms.repeatBonus * (min($0, QueryTerms.maxRepeats) - 1) }
        for token in added where !token.isStop && token.stem >= 0 {
            guard slots.slot(of: token.stem, in: stems) == nil else {
                continue
            }
            stems.append(token.stem)
            weights.append(QueryTerms.expansionWeight)
        }
    }

    /// Analyses a text with a cache of unknown words of its own (see ``init(_:lexicon:vocabulary:unknownWords:)``).
    init(_ text: String, lexicon: Lexicon, vocabulary: Vocabulary) {
        var unknownWords = UnknownWordCache()
        self.init(text, lexicon: lexicon, vocabulary: vocabulary, unknownWords: &unknownWords)
    }

    /// Whether the text has no word any catalog knows.
    var isEmpty: Bool { stems.isEmpty }

    /// Where each distinct stem of a text sits in ``stems``: a short text's few stems are searched in place, a long
    /// text's through a dictionary kept up to date with the stems appended since the last search.
    private struct StemSlots {
        static let linearLimit = 24
        private var positions: [Int32: Int] = [:]

        /// The position of `stem` in `stems` (distinct stems that only grow at the end), or nil.
        mutating func slot(of stem: Int32, in stems: [Int32]) -> Int? {
            guard stems.count > StemSlots.linearLimit else {
                return stems.firstIndex(of: stem)
            }
            for n in positions.count..<stems.count {
                positions[stems[n]] = n
            }
            return positions[stem]
        }
    }
}
