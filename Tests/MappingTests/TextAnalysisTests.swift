import Testing

@testable import Mapping

@Suite struct TextAnalysisTests {
    private func words(_ text: String) -> [String] {
        var out: [String] = []
        WordSplitter.forEachWord(in: text) { out.append(String(decoding: $0, as: UTF8.self)) }
        return out
    }

    private func stem(_ word: String) -> String {
        String(decoding: PorterStemmer.stem(Array(word.utf8)), as: UTF8.self)
    }

    @Test func splitsWordsAndCamelCase() {
        #expect(words("cloudtrail.amazonaws.com StopLogging") == ["cloudtrail", "amazonaws", "com", "stop", "logging"])
        #expect(words("iam.amazonaws.com CreateAccessKey") == ["iam", "amazonaws", "com", "create", "access", "key"])
        #expect(words("MFAEnabled ACLs IMDSv2 IPv6") == ["mfa", "enabled", "acls", "imdsv2", "ipv6"])
        #expect(words("DBInstance") == ["db", "instance"])
        #expect(words("0.0.0.0/0 to port 22") == ["0", "0", "0", "0", "0", "to", "port", "22"])
        #expect(words("multi-factor, organization's") == ["multi", "factor", "organization"])
        #expect(words("“quoted” café") == ["quoted", "caf"])
        #expect(words("") == [])
    }

    @Test func cutsVeryLongWords() {
        let long = String(repeating: "x", count: 200)
        #expect(words(long).first?.count == WordSplitter.maxWordLength)
    }

    @Test func porterStems() {
        let cases = [
            ("encryption", "encrypt"), ("encrypted", "encrypt"), ("encrypting", "encrypt"), ("logging", "log"),
            ("logs", "log"), ("policies", "polici"), ("policy", "polici"), ("authentication", "authent"),
            ("authenticate", "authent"), ("privileged", "privileg"), ("privileges", "privileg"),
            ("configuration", "configur"), ("configured", "configur"), ("monitoring", "monitor"),
            ("caresses", "caress"), ("ponies", "poni"), ("agreed", "agre"), ("hopping", "hop"),
            ("relational", "relat"), ("generalization", "gener"), ("rational", "ration"), ("controll", "control"),
            ("s3", "s3"), ("as", "as"),
        ]
        for (word, expected) in cases {
            #expect(stem(word) == expected, "\(word)")
        }
    }

    @Test func britishSpellingsMeetAmerican() {
        let pairs = [("authorisation", "authorization"), ("behaviour", "behavior"), ("analysed", "analyzed"),
                     ("organisations", "organizations"), ("minimising", "minimizing")]
        for (british, american) in pairs {
            let a = british.utf8.withContiguousStorageIfAvailable { Lexicon.stem(of: $0) }
            let b = american.utf8.withContiguousStorageIfAvailable { Lexicon.stem(of: $0) }
            #expect(a == b, "\(british)")
        }
    }

    @Test func vocabularyNormalisesAndExpands() throws {
        var lexicon = Lexicon()
        let file = "stop\tthe of\nnorm\tmfa\tmulti factor authentication\nexpand\tcloud trail\taudit logging\n"
        let vocabulary = try Vocabulary.load(Array(file.utf8), into: &lexicon)
        let stems = { (text: String) -> [String] in
            QueryTerms(text, lexicon: lexicon, vocabulary: vocabulary).stems.map { lexicon.stemText($0) }
        }
        #expect(stems("MFA") == ["multi", "factor", "authent"])
        #expect(stems("the CloudTrail") == ["cloud", "trail", "audit", "log"])
        let weights = QueryTerms("CloudTrail", lexicon: lexicon, vocabulary: vocabulary).weights
        #expect(weights == [1, 1, QueryTerms.expansionWeight, QueryTerms.expansionWeight])
        #expect(QueryTerms("the of zzz", lexicon: lexicon, vocabulary: vocabulary).isEmpty)
    }

    @Test func aTextOfNumbersAloneHasNoTerms() throws {
        for text in ["1 2 3", "2 3", "10.0.0.1 443", "!!! 42 ???"] {
            #expect(try topControls(text, .pciDSSv4).isEmpty, "\(text)")
        }
        #expect(try !topControls("TLS 1 2 in transit", .pciDSSv4).isEmpty)
    }

    @Test func repeatedWordsWeighMore() throws {
        var lexicon = Lexicon()
        let vocabulary = try Vocabulary.load(Array("norm\tkey\tkey\n".utf8), into: &lexicon)
        let terms = QueryTerms("key key key", lexicon: lexicon, vocabulary: vocabulary)
        #expect(terms.weights == [1 + 2 * QueryTerms.repeatBonus])
    }

    @Test func longTextsCountRepeatsLikeShortOnes() throws {
        var lexicon = Lexicon()
        let names = (0..<40).map { "word\($0)" }
        _ = lexicon.internTokens(names.joined(separator: " "))
        let vocabulary = try Vocabulary.load(Array("norm\tkey\tkey\n".utf8), into: &lexicon)
        // Word n appears n % 5 + 1 times, interleaved, so more than `StemSlots.linearLimit` stems are counted.
        var text: [String] = []
        for round in 0..<5 {
            text += names.enumerated().filter { $0.offset % 5 >= round }.map(\.element)
        }
        let terms = QueryTerms(text.joined(separator: " "), lexicon: lexicon, vocabulary: vocabulary)
        #expect(terms.stems.map { lexicon.stemText($0) } == names)
        let expected = (0..<40).map { 1 + QueryTerms.repeatBonus * (min(Float($0 % 5 + 1), QueryTerms.maxRepeats) - 1) }
        #expect(terms.weights == expected)
    }

    @Test func unknownWordsAreRememberedWithinBounds() {
        var cache = UnknownWordCache()
        var computed = 0
        func token(_ word: String) -> Token {
            Array(word.utf8).withUnsafeBufferPointer { buffer in
                cache.token(of: buffer) { bytes in
                    computed += 1
                    return Token(stem: Int32(bytes.count), isStop: false)
                }
            }
        }
        #expect(token("amazonaws") == Token(stem: 9, isStop: false))
        #expect(token("amazonaws") == Token(stem: 9, isStop: false))
        #expect(computed == 1)
        for n in 0..<(UnknownWordCache.capacity + 10) {
            #expect(token("host-\(n)") == Token(stem: Int32("host-\(n)".utf8.count), isStop: false))
        }
        #expect(computed == 1 + UnknownWordCache.capacity + 10)
        // Forgotten when the cache filled up, then computed again with the same answer.
        #expect(token("amazonaws") == Token(stem: 9, isStop: false))
        #expect(computed == 2 + UnknownWordCache.capacity + 10)
    }

    @Test func aSharedWordCacheChangesNoTerms() throws {
        let mapper = try loadMapper()
        let texts = [
            "iam.amazonaws.com CreateAccessKey accessed by zqxhost", "zqxhost accessed amazonaws again",
            "Encrypted buckets accessed", "encrypted zqxhost", "", "42", "the of",
        ]
        var shared = UnknownWordCache()
        for text in texts + texts {
            let alone = QueryTerms(text, lexicon: mapper.lexicon, vocabulary: mapper.vocabulary)
            let cached = QueryTerms(text, lexicon: mapper.lexicon, vocabulary: mapper.vocabulary, unknownWords: &shared)
            #expect(alone.stems == cached.stems, "\(text)")
            #expect(alone.weights == cached.weights, "\(text)")
        }
    }

    @Test func rejectsMalformedVocabulary() {
        var lexicon = Lexicon()
        #expect(throws: MappingError.self) {
            _ = try Vocabulary.load(Array("synonym\tmfa\tmulti factor\n".utf8), into: &lexicon)
        }
        #expect(throws: MappingError.self) {
            _ = try Vocabulary.load(Array("norm\tmfa\n".utf8), into: &lexicon)
        }
    }

    @Test func byteStringTableGrows() {
        var table = ByteStringTable(capacity: 4)
        var ids: [Int32] = []
        for i in 0..<500 {
            let key = Array("word\(i)".utf8)
            let id = key.withUnsafeBufferPointer { table.insert($0) }
            #expect(id.inserted)
            ids.append(id.id)
        }
        #expect(table.count == 500)
        for i in stride(from: 0, to: 500, by: 37) {
            let key = Array("word\(i)".utf8)
            #expect(key.withUnsafeBufferPointer { table.find($0) } == ids[i])
            #expect(Array(table.bytes(ids[i])) == key)
        }
        #expect(Array("absent".utf8).withUnsafeBufferPointer { table.find($0) } == nil)
    }
}
