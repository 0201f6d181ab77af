/// The Porter suffix-stripping stemmer for English words in lowercase ASCII.
///
/// Follows the five steps of M. F. Porter, "An algorithm for suffix stripping", Program 14(3),
/// 1980 (definition: https://tartarus.org/martin/PorterStemmer/def.txt). `encryption`,
/// `encrypted` and `encrypting` become `encrypt`; `logging` and `logs` become `log`. Words of one or
/// two letters and words with other bytes than `a`-`z` are returned unchanged.
enum PorterStemmer {
    /// The stem of a word.
    /// - Parameter word: A lowercase word.
    /// - Returns: Its stem.
    static func stem(_ word: [UInt8]) -> [UInt8] {
        guard word.count > 2, word.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else {
            return word
        }
        var state = Stemming(word)
        state.step1a()
        state.step1b()
        state.step1c()
        state.step2()
        state.step3()
        state.step4()
        state.step5()
        return state.word
    }
}

/// A suffix rule: when the word ends with `suffix` and the remaining stem satisfies the step's
/// condition, the suffix becomes `replacement`.
private struct SuffixRule {
    let suffix: [UInt8]
    let replacement: [UInt8]

    init(_ suffix: String, _ replacement: String) {
        self.suffix = Array(suffix.utf8)
        self.replacement = Array(replacement.utf8)
    }
}

/// Rules of steps 2 to 4, longest suffix first so the longest match is the one considered.
private enum SuffixRules {
    static let step2: [SuffixRule] = [
        SuffixRule("ational", "ate"), SuffixRule("tional", "tion"), SuffixRule("enci", "ence"),
        SuffixRule("anci", "ance"), SuffixRule("izer", "ize"), SuffixRule("abli", "able"),
        SuffixRule("alli", "al"), SuffixRule("entli", "ent"), SuffixRule("eli", "e"),
        SuffixRule("ousli", "ous"), SuffixRule("ization", "ize"), SuffixRule("ation", "ate"),
        SuffixRule("ator", "ate"), SuffixRule("alism", "al"), SuffixRule("iveness", "ive"),
        SuffixRule("fulness", "ful"), SuffixRule("ousness", "ous"), SuffixRule("aliti", "al"),
        SuffixRule("iviti", "ive"), SuffixRule("biliti", "ble"),
    ].sorted { $0.suffix.count > $1.suffix.count }

    static let step3: [SuffixRule] = [
        SuffixRule("icate", "ic"), SuffixRule("ative", ""), SuffixRule("alize", "al"),
        SuffixRule("iciti", "ic"), SuffixRule("ical", "ic"), SuffixRule("ful", ""), SuffixRule("ness", ""),
    ].sorted { $0.suffix.count > $1.suffix.count }

    static let step4: [SuffixRule] = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou",
        "ism", "ate", "iti", "ous", "ive", "ize",
    ].map { SuffixRule($0, "") }.sorted { $0.suffix.count > $1.suffix.count }
}

/// The word being stemmed and the measures the steps test.
private struct Stemming {
    var word: [UInt8]

    init(_ word: [UInt8]) {
        self.word = word
    }

    private static let letterE: UInt8 = 0x65
    private static let letterI: UInt8 = 0x69
    private static let letterL: UInt8 = 0x6C
    private static let letterS: UInt8 = 0x73
    private static let letterT: UInt8 = 0x74
    private static let letterY: UInt8 = 0x79

    /// Whether the letter at `index` is a consonant: not a vowel, and `y` only after a vowel.
    private func isConsonant(_ index: Int) -> Bool {
        switch word[index] {
        case 0x61, 0x65, 0x69, 0x6F, 0x75:
            return false
        case Stemming.letterY:
            return index == 0 ? true : !isConsonant(index - 1)
        default:
            return true
        }
    }

    /// The measure m of `word[0..<end]`: the number of vowel-consonant sequences in [C](VC)^m[V].
    private func measure(_ end: Int) -> Int {
        var count = 0
        var i = 0
        while i < end && isConsonant(i) {
            i += 1
        }
        while i < end {
            while i < end && !isConsonant(i) {
                i += 1
            }
            if i >= end {
                break
            }
            while i < end && isConsonant(i) {
                i += 1
            }
            count += 1
        }
        return count
    }

    private func hasVowel(_ end: Int) -> Bool {
        (0..<end).contains { !isConsonant($0) }
    }

    private func endsWithDoubleConsonant(_ end: Int) -> Bool {
        end >= 2 && word[end - 1] == word[end - 2] && isConsonant(end - 1)
    }

    /// Consonant-vowel-consonant at the end, the last consonant not `w`, `x` or `y`.
    private func endsWithCVC(_ end: Int) -> Bool {
        guard end >= 3, isConsonant(end - 3), !isConsonant(end - 2), isConsonant(end - 1) else {
            return false
        }
        let last = word[end - 1]
        return last != 0x77 && last != 0x78 && last != Stemming.letterY
    }

    private func ends(with suffix: [UInt8]) -> Bool {
        guard suffix.count <= word.count else {
            return false
        }
        let offset = word.count - suffix.count
        for i in 0..<suffix.count where word[offset + i] != suffix[i] {
            return false
        }
        return true
    }

    private mutating func replaceSuffix(of length: Int, with replacement: [UInt8]) {
        word.removeLast(length)
        word.append(contentsOf: replacement)
    }

    /// Plurals: `sses` -> `ss`, `ies` -> `i`, `s` -> ``.
    mutating func step1a() {
        if ends(with: Array("sses".utf8)) || ends(with: Array("ies".utf8)) {
            word.removeLast(2)
        } else if ends(with: Array("ss".utf8)) {
            return
        } else if word.last == Stemming.letterS {
            word.removeLast()
        }
    }

    /// Past tense and gerunds: `eed`, `ed`, `ing`, with repairs (`at` -> `ate`, double consonants).
    mutating func step1b() {
        if ends(with: Array("eed".utf8)) {
            if measure(word.count - 3) > 0 {
                word.removeLast()
            }
            return
        }
        var removed = false
        if ends(with: Array("ed".utf8)) && hasVowel(word.count - 2) {
            word.removeLast(2)
            removed = true
        } else if ends(with: Array("ing".utf8)) && hasVowel(word.count - 3) {
            word.removeLast(3)
            removed = true
        }
        guard removed else {
            return
        }
        if ends(with: Array("at".utf8)) || ends(with: Array("bl".utf8)) || ends(with: Array("iz".utf8)) {
            word.append(Stemming.letterE)
        } else if endsWithDoubleConsonant(word.count),
            let last = word.last, last != Stemming.letterL, last != Stemming.letterS, last != 0x7A
        {
            word.removeLast()
        } else if measure(word.count) == 1 && endsWithCVC(word.count) {
            word.append(Stemming.letterE)
        }
    }

    /// Terminal `y` -> `i` when the stem has a vowel.
    mutating func step1c() {
        if word.last == Stemming.letterY && hasVowel(word.count - 1) {
            word[word.count - 1] = Stemming.letterI
        }
    }

    /// Double suffixes to single ones (`ization` -> `ize`), when m > 0.
    mutating func step2() {
        apply(SuffixRules.step2, minimumMeasure: 1)
    }

    /// `icate`, `ative`, `alize`, `iciti`, `ical`, `ful`, `ness`, when m > 0.
    mutating func step3() {
        apply(SuffixRules.step3, minimumMeasure: 1)
    }

    /// Remaining suffixes, when m > 1 (`ion` only after `s` or `t`).
    mutating func step4() {
        guard let rule = SuffixRules.step4.first(where: { ends(with: $0.suffix) }) else {
            return
        }
        let stemEnd = word.count - rule.suffix.count
        if rule.suffix == Array("ion".utf8) {
            guard stemEnd > 0, word[stemEnd - 1] == Stemming.letterS || word[stemEnd - 1] == Stemming.letterT else {
                return
            }
        }
        if measure(stemEnd) > 1 {
            word.removeLast(rule.suffix.count)
        }
    }

    /// Final `e` and double `l`.
    mutating func step5() {
        if word.last == Stemming.letterE {
            let m = measure(word.count - 1)
            if m > 1 || (m == 1 && !endsWithCVC(word.count - 1)) {
                word.removeLast()
            }
        }
        if word.last == Stemming.letterL && endsWithDoubleConsonant(word.count) && measure(word.count) > 1 {
            word.removeLast()
        }
    }

    private mutating func apply(_ rules: [SuffixRule], minimumMeasure: Int) {
        guard let rule = rules.first(where: { ends(with: $0.suffix) }) else {
            return
        }
        if measure(word.count - rule.suffix.count) >= minimumMeasure {
            replaceSuffix(of: rule.suffix.count, with: rule.replacement)
        }
    }
}
