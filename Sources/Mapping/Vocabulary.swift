/// The security vocabulary: stop words, normalisation rules (applied to catalog text and queries)
/// and query expansions, read from `vocabulary.tsv` in the catalog directory.
///
/// File format (UTF-8, TAB-separated, `#` starts a comment line):
/// `stop<TAB>words`, `norm<TAB>phrase<TAB>words`, `expand<TAB>phrase<TAB>words`.
struct Vocabulary: Sendable {
    /// Rewrites applied to all text (`mfa` -> `multi factor authentication`).
    private(set) var normalizations = PhraseRules()
    /// Additions applied to queries only (`cloudtrail` -> `audit logging trail ...`).
    private(set) var expansions = PhraseRules()

    /// Reads the vocabulary and registers its words in the lexicon (stop words first).
    /// - Parameters:
    ///   - bytes: The file contents.
    ///   - lexicon: The lexicon under construction.
    /// - Returns: The vocabulary.
    /// - Throws: ``MappingError/Code/catalogInvalid`` for a malformed line.
    static func load(_ bytes: [UInt8], into lexicon: inout Lexicon) throws(MappingError) -> Vocabulary {
        let lines = TabFile.lines(bytes)
        for line in lines where line.fields.first == "stop" {
            for word in line.fields.dropFirst() {
                WordSplitter.forEachWord(in: word) { lexicon.addStopWord($0) }
            }
        }
        var vocabulary = Vocabulary()
        for line in lines {
            let kind = line.fields[0]
            if kind == "stop" || kind.hasPrefix("#") {
                continue
            }
            guard line.fields.count == 3, kind == "norm" || kind == "expand" else {
                throw MappingError(
                    .catalogInvalid,
                    "vocabulary.tsv line \(line.number): expected norm|expand, phrase, words"
                )
            }
            let phrase = lexicon.internTokens(line.fields[1]).map(\.stem)
            let words = lexicon.internTokens(line.fields[2])
            guard !phrase.isEmpty else {
                throw MappingError(.catalogInvalid, "vocabulary.tsv line \(line.number): empty phrase")
            }
            let rule = PhraseRule(phrase: phrase, words: words)
            if kind == "norm" {
                vocabulary.normalizations.add(rule)
            } else {
                vocabulary.expansions.add(rule)
            }
        }
        return vocabulary
    }
}
