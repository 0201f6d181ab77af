/// The tokens of words the lexicon does not hold, remembered from text to text of one mapping call.
///
/// A word no catalogue uses (`amazonaws`, a host or user name) is stemmed to learn whether its stem is known, and the
/// stemmer is the costliest step of reading a short text; event texts repeat such words. Bounded: the cache forgets
/// everything when it holds ``capacity`` words.
struct UnknownWordCache {
    /// Words remembered at most.
    static let capacity = 4096

    private var words = ByteStringTable(capacity: 256)
    private var tokens: [Token] = []

    /// Creates an empty cache.
    init() {}

    /// The token of a word the lexicon does not hold, from the cache or from `compute`.
    /// - Parameters:
    ///   - word: A lowercase word.
    ///   - compute: Finds the word's token (the lexicon's stemming path).
    /// - Returns: The token.
    mutating func token(
        of word: UnsafeBufferPointer<UInt8>,
        compute: (UnsafeBufferPointer<UInt8>) -> Token
    ) -> Token {
        if let id = words.find(word) {
            return tokens[Int(id)]
        }
        let token = compute(word)
        if tokens.count >= UnknownWordCache.capacity {
            words = ByteStringTable(capacity: 256)
            tokens.removeAll(keepingCapacity: true)
        }
        _ = words.insert(word)
        tokens.append(token)
        return token
    }
}
