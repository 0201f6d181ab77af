import Foundation

extension WordPieceTokenizer {
    /// `BertNormalizer` with `clean_text`, `handle_chinese_chars`, accent stripping and lower-casing.
    /// - Parameter scalars: Text without special-token literals.
    /// - Returns: The normalised scalars; whitespace is a single space, CJK ideographs have spaces around them.
    static func normalize(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var cleaned: [Unicode.Scalar] = []
        cleaned.reserveCapacity(scalars.count)
        var asciiOnly = true
        for scalar in scalars {
            let value = scalar.value
            if value == 0 || value == 0xFFFD || isControl(scalar) {
                continue
            }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJK(value) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
                asciiOnly = false
            } else {
                cleaned.append(scalar)
                asciiOnly = asciiOnly && value < 0x80
            }
        }
        if asciiOnly {
            for index in cleaned.indices where cleaned[index].value >= 0x41 && cleaned[index].value <= 0x5A {
                cleaned[index] = Unicode.Scalar(cleaned[index].value + 0x20)!
            }
            return cleaned
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: cleaned)
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(cleaned.count)
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars
        where scalar.properties.generalCategory != .nonspacingMark {
            if scalar.properties.changesWhenLowercased {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            } else {
                result.append(scalar)
            }
        }
        return result
    }

    /// Control and format characters, unassigned and private-use code points (tab, newline and carriage
    /// return count as whitespace instead).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D:
            return false
        default:
            switch scalar.properties.generalCategory {
            case .control, .format, .surrogate, .privateUse, .unassigned:
                return true
            default:
                return false
            }
        }
    }

    /// Space, tab, newline, carriage return and every Unicode `White_Space` character.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0A, 0x0D:
            return true
        default:
            return scalar.properties.isWhitespace
        }
    }

    /// ASCII punctuation and symbols (`!` to `/`, `:` to `@`, `[` to `` ` ``, `{` to `~`) and every Unicode
    /// punctuation category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value) || (0x5B...0x60).contains(value)
            || (0x7B...0x7E).contains(value)
        {
            return true
        }
        guard value >= 0x80 else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks and their extensions and compatibility blocks that BERT sets apart.
    static func isCJK(_ value: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(value) || (0x3400...0x4DBF).contains(value)
            || (0x20000...0x2A6DF).contains(value) || (0x2A700...0x2B73F).contains(value)
            || (0x2B740...0x2B81F).contains(value) || (0x2B920...0x2CEAF).contains(value)
            || (0xF900...0xFAFF).contains(value) || (0x2F800...0x2FA1F).contains(value)
    }

    /// Parses `vocab.txt`: one token a line (LF or CRLF), ids from 0.
    static func parseVocabularyLines(_ data: Data) -> [String: Int32] {
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(32_768)
        var id: Int32 = 0
        for line in [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false) {
            let token = String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
            if !token.isEmpty, vocabulary[token] == nil {
                vocabulary[token] = id
            }
            id += 1
        }
        return vocabulary
    }

    /// Parses the `model.vocab` object of a Hugging Face `tokenizer.json`.
    static func parseTokenizerJSON(_ data: Data, path: String) throws(SemanticError) -> [String: Int32] {
        guard let object = try? JSONSerialization.jsonObject(with: data),
            let root = object as? [String: Any], let model = root["model"] as? [String: Any],
            let vocab = model["vocab"] as? [String: Any]
        else {
            throw SemanticError(.modelInvalid, "\(path): no model.vocab object")
        }
        var vocabulary: [String: Int32] = [:]
        for (token, value) in vocab {
            guard let id = value as? Int, id >= 0, id <= Int(Int32.max) else {
                throw SemanticError(.modelInvalid, "\(path): vocabulary id of \(token) is not an integer")
            }
            vocabulary[token] = Int32(id)
        }
        return vocabulary
    }
}
