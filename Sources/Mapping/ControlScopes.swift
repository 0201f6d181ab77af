/// Controls that bind only some entities (PCI DSS's multi-tenant service providers, card issuers, wireless
/// networks, …): the engine answers them only for a text that names such an entity.
///
/// A catalogue declares them in its optional `#scope` header line. Each field after the key is
/// `ID ID…=PHRASE;PHRASE…`: control ids separated by spaces (an id also covers its sub-levels, `A1` covers
/// `A1.2.1`) and phrases of one or more words. A text unlocks a scope when every word of one of its phrases is
/// among the text's own words, compared by stem (`hosting providers` unlocks `hosting provider`); words a
/// vocabulary expansion added do not count. A locked control is left out of the ranking after scoring, so a
/// parent requirement still inherits what its scoped sub-requirement matched (PCI 3.5.1 from 3.5.1.1).
///
/// The organisation can say what it is (the `entities` setting, e.g. `service provider`): every scope that has that
/// phrase (the same words, by stem) is unlocked for every text.
struct ControlScopes: Sendable {
    /// Most scopes a catalogue may declare (the unlocked scopes of a text are bits of a `UInt64`).
    static let maxScopes = 64

    /// Scope number plus one of each control, by control index; 0 for a control that binds every entity.
    private let scopeOfControl: [UInt8]
    /// Each scope's phrases, as the stems all of which a text must have.
    private let phrases: [[[Int32]]]
    /// The phrases as the catalogue writes them, in order (for messages).
    let phraseTexts: [String]
    /// The scopes the organisation's entities unlock for every text.
    let alwaysUnlocked: UInt64
    /// The organisation's entities that unlock none of this catalogue's scopes.
    let entitiesUnlockingNothing: Set<String>

    /// No scopes: every control may be answered for every text.
    init() {
        scopeOfControl = []
        phrases = []
        phraseTexts = []
        alwaysUnlocked = 0
        entitiesUnlockingNothing = []
    }

    /// Reads a catalogue's `#scope` fields.
    /// - Parameters:
    ///   - fields: The header line's fields after `#scope` (none: no scoped controls).
    ///   - ids: The catalogue's control ids, in index order.
    ///   - catalog: The catalogue name, for errors.
    ///   - lexicon: The finished lexicon (every catalogue's words interned).
    ///   - vocabulary: The engine's vocabulary (its normalisations apply to phrases as to texts).
    ///   - entities: What the organisation is (phrases such as `service provider`): the scopes they unlock are
    ///     unlocked for every text.
    /// - Throws: ``MappingError/Code/catalogInvalid`` for a malformed field, an id that covers no control, a
    ///   control in two scopes, or a phrase word that no catalogue uses (no text could ever unlock it).
    init(
        fields: [String],
        ids: [String],
        catalog: String,
        lexicon: Lexicon,
        vocabulary: Vocabulary,
        entities: [String] = []
    ) throws(MappingError) {
        guard fields.count <= ControlScopes.maxScopes else {
            throw MappingError(.catalogInvalid, "\(catalog).tsv: more than \(ControlScopes.maxScopes) #scope fields")
        }
        var scopeOfControl = [UInt8](repeating: 0, count: fields.isEmpty ? 0 : ids.count)
        var phrases: [[[Int32]]] = []
        var phraseTexts: [String] = []
        for (number, field) in fields.enumerated() {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let prefixes = parts[0].split(separator: " ")
            let texts = parts.count == 2 ? parts[1].split(separator: ";") : []
            guard !prefixes.isEmpty, !texts.isEmpty else {
                throw MappingError(.catalogInvalid, "\(catalog).tsv: #scope field \"\(field)\" is not IDS=PHRASES")
            }
            for prefix in prefixes {
                let covered = ids.indices.filter { ids[$0] == prefix || ids[$0].hasPrefix(prefix + ".") }
                guard !covered.isEmpty else {
                    throw MappingError(.catalogInvalid, "\(catalog).tsv: #scope id \(prefix) covers no control")
                }
                for control in covered {
                    guard scopeOfControl[control] == 0 else {
                        throw MappingError(.catalogInvalid, "\(catalog).tsv: \(ids[control]) is in two #scope fields")
                    }
                    scopeOfControl[control] = UInt8(number + 1)
                }
            }
            phrases.append(try texts.map { text throws(MappingError) in
                let stems = ControlScopes.stems(of: String(text), lexicon: lexicon, vocabulary: vocabulary)
                guard let stems else {
                    throw MappingError(
                        .catalogInvalid,
                        "\(catalog).tsv: #scope phrase \"\(text)\" has a word no catalogue uses"
                    )
                }
                return stems
            })
            phraseTexts += texts.map(String.init)
        }
        self.scopeOfControl = scopeOfControl
        self.phrases = phrases
        self.phraseTexts = phraseTexts
        var unlocked: UInt64 = 0
        var unlockingNothing = Set<String>()
        for entity in entities {
            // An entity is one of the phrases (same words by stem), not any text that contains one.
            let stems = Set(ControlScopes.stems(of: entity, lexicon: lexicon, vocabulary: vocabulary) ?? [])
            var mask: UInt64 = 0
            for (number, scopePhrases) in phrases.enumerated() {
                if scopePhrases.contains(where: { Set($0) == stems }) {
                    mask |= 1 << UInt64(number)
                }
            }
            if mask == 0 {
                unlockingNothing.insert(entity)
            }
            unlocked |= mask
        }
        alwaysUnlocked = unlocked
        entitiesUnlockingNothing = unlockingNothing
    }

    /// Whether some control is scoped.
    var isEmpty: Bool { phrases.isEmpty }

    /// Whether a control is scoped.
    /// - Parameter control: A control index.
    func isScoped(_ control: Int) -> Bool {
        control < scopeOfControl.count && scopeOfControl[control] != 0
    }

    /// The scopes a text unlocks, with those the organisation's entities unlock, as bits (bit n: scope n).
    /// - Parameter query: The text's terms.
    func unlocked(by query: QueryTerms) -> UInt64 {
        var mask = alwaysUnlocked
        for (number, scopePhrases) in phrases.enumerated() {
            let named = scopePhrases.contains { phrase in
                phrase.allSatisfy { stem in
                    query.stems.indices.contains { query.stems[$0] == stem && query.weights[$0] >= 1 }
                }
            }
            if named {
                mask |= 1 << UInt64(number)
            }
        }
        return mask
    }

    /// Whether a control may be answered for a text.
    /// - Parameters:
    ///   - control: A control index.
    ///   - unlocked: The text's unlocked scopes (``unlocked(by:)``).
    func admits(_ control: Int, unlocked: UInt64) -> Bool {
        guard isScoped(control) else {
            return true
        }
        return unlocked & (1 << UInt64(scopeOfControl[control] - 1)) != 0
    }

    /// The stems of a phrase's words (stop words left out), or nil when one of its words has no known stem.
    private static func stems(of phrase: String, lexicon: Lexicon, vocabulary: Vocabulary) -> [Int32]? {
        var copy = phrase
        var unknownWords = UnknownWordCache()
        let raw = copy.withUTF8 { lexicon.tokens($0, unknownWords: &unknownWords) }
        let words = vocabulary.normalizations.rewrite(raw).filter { !$0.isStop }
        guard !words.isEmpty, words.allSatisfy({ $0.stem >= 0 }) else {
            return nil
        }
        return words.map(\.stem)
    }
}
