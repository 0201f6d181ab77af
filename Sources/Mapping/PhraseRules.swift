/// A rule of the security vocabulary: a phrase (a sequence of stems) and the words it stands for.
struct PhraseRule: Sendable {
    /// The stems the text must contain, in order.
    let phrase: [Int32]
    /// The tokens that replace (normalisation) or are added for (expansion) the phrase.
    let words: [Token]
}

/// Phrase rules indexed by their first stem, longest phrase first.
struct PhraseRules: Sendable {
    private var byFirstStem: [Int32: [PhraseRule]] = [:]
    /// Whether a stem starts some rule, by stem id: most tokens start none, and this answers without hashing.
    private var startsRule: [Bool] = []

    /// Number of rules.
    private(set) var count = 0

    /// Adds a rule; among rules that match at the same place, the longest phrase wins.
    /// - Parameter rule: The rule (its phrase must not be empty).
    mutating func add(_ rule: PhraseRule) {
        guard let first = rule.phrase.first else {
            return
        }
        if first >= 0 {
            if Int(first) >= startsRule.count {
                startsRule += repeatElement(false, count: Int(first) + 1 - startsRule.count)
            }
            startsRule[Int(first)] = true
        }
        var list = byFirstStem[first] ?? []
        list.append(rule)
        list.sort { $0.phrase.count > $1.phrase.count }
        byFirstStem[first] = list
        count += 1
    }

    /// The longest rule whose phrase starts at `index`.
    /// - Parameters:
    ///   - tokens: The text's tokens.
    ///   - index: Where the phrase must start.
    /// - Returns: The rule, or nil.
    func match(in tokens: [Token], at index: Int) -> PhraseRule? {
        guard mayStartRule(tokens[index].stem), let candidates = byFirstStem[tokens[index].stem] else {
            return nil
        }
        return candidates.first { matches($0, in: tokens, at: index) }
    }

    /// Whether some rule may start with the stem (false only when none does; negative ids are looked up).
    private func mayStartRule(_ stem: Int32) -> Bool {
        guard stem >= 0 else {
            return true
        }
        return Int(stem) < startsRule.count && startsRule[Int(stem)]
    }

    private func matches(_ rule: PhraseRule, in tokens: [Token], at index: Int) -> Bool {
        guard index + rule.phrase.count <= tokens.count else {
            return false
        }
        for k in 1..<max(rule.phrase.count, 1) where tokens[index + k].stem != rule.phrase[k] {
            return false
        }
        return true
    }

    /// The tokens with every matching phrase replaced by its rule's words (left to right, longest first).
    /// - Parameter tokens: The text's tokens.
    /// - Returns: The rewritten tokens.
    func rewrite(_ tokens: [Token]) -> [Token] {
        guard count > 0 else {
            return tokens
        }
        var out: [Token] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        while i < tokens.count {
            if let rule = match(in: tokens, at: i) {
                out.append(contentsOf: rule.words)
                i += rule.phrase.count
            } else {
                out.append(tokens[i])
                i += 1
            }
        }
        return out
    }

    /// The words of every rule whose phrase occurs in the tokens, overlapping phrases included
    /// (`public read` and `public` both add their words).
    /// - Parameter tokens: The text's tokens.
    /// - Returns: The added tokens.
    func additions(for tokens: [Token]) -> [Token] {
        guard count > 0 else {
            return []
        }
        var out: [Token] = []
        for i in tokens.indices {
            guard mayStartRule(tokens[i].stem), let candidates = byFirstStem[tokens[i].stem] else {
                continue
            }
            for rule in candidates where matches(rule, in: tokens, at: i) {
                out.append(contentsOf: rule.words)
            }
        }
        return out
    }
}
