import JSONBytes

/// The body of `POST /v1/map`, read from a ``JSONTape`` (no Foundation decoding): optional `frameworks`,
/// `min_similarity`, `min_confidence`, `topk`, and `documents` as `{"id": string, "document": string}`. Unknown
/// members are ignored and `null` counts as absent for the optional ones; a member of the wrong type is an error
/// that names its path (`documents[3].document`), with the code of the setting it belongs to.
struct MapRequest {
    /// One text to map and the id its answers carry.
    struct Document {
        /// The caller's id.
        let id: String
        /// The text.
        let document: String
    }

    /// Framework ids, or nil for the default set.
    let frameworks: [String]?
    /// `min_similarity`, if given.
    let minSimilarity: Double?
    /// `min_confidence`, if given.
    let minConfidence: String?
    /// `topk`, if given.
    let topk: Int?
    /// The documents, or nil when the member is absent.
    let documents: [Document]?

    /// Parses a request body.
    /// - Parameter body: The JSON bytes.
    /// - Throws: ``MappingError`` (`invalid_request`, `invalid_threshold` or `invalid_topk`) naming the field.
    init(parsing body: [UInt8]) throws(MappingError) {
        let tape: JSONTape
        do {
            // A UTF-8 byte order mark may be ignored (RFC 8259, section 8.1); editors on Windows write one.
            let hasByteOrderMark = body.starts(with: [0xEF, 0xBB, 0xBF])
            tape = hasByteOrderMark ? try JSONTape(parsing: body[3...]) : try JSONTape(parsing: body)
        } catch {
            throw MappingError(.invalidRequest, "request body: not valid JSON (UTF-8) for the map request")
        }
        let root = tape.rootIndex
        guard tape.kind(root) == .object else {
            throw Reader(tape: tape).wrongType("request body", root)
        }
        let reader = Reader(tape: tape)
        frameworks = try reader.optional("frameworks", in: root) { node throws(MappingError) in
            try reader.array(node, "frameworks") { element, path throws(MappingError) in
                try reader.string(element, path)
            }
        }
        minSimilarity = try reader.optional("min_similarity", in: root) { node throws(MappingError) in
            guard let value = tape.double(node) else {
                throw reader.wrongType("min_similarity", node)
            }
            return value
        }
        minConfidence = try reader.optional("min_confidence", in: root) { node throws(MappingError) in
            try reader.string(node, "min_confidence")
        }
        topk = try reader.optional("topk", in: root) { node throws(MappingError) in
            // An integer, also when written with a fraction or exponent (`3.0`, `1e1`).
            if let value = tape.int64(node), let exact = Int(exactly: value) {
                return exact
            }
            guard tape.kind(node) == .number else {
                throw reader.wrongType("topk", node)
            }
            guard let value = tape.double(node), value.magnitude <= 1_000_000, let exact = Int(exactly: value) else {
                let text = String(decoding: tape.rawBytes(node).prefix(40), as: UTF8.self)
                throw MappingError(.invalidTopK, "topk: must be an integer from 1 to 50, got \(text)")
            }
            return exact
        }
        documents = try reader.optional("documents", in: root) { node throws(MappingError) in
            try reader.array(node, "documents") { element, path throws(MappingError) in
                guard tape.kind(element) == .object else {
                    throw reader.wrongType(path, element)
                }
                return Document(
                    id: try reader.string(reader.required("id", in: element, path), path + ".id"),
                    document: try reader.string(reader.required("document", in: element, path), path + ".document")
                )
            }
        }
    }

    /// Typed access to the tape with errors that name the field.
    private struct Reader {
        let tape: JSONTape

        /// The member's value read by `read`, or nil when absent or null.
        func optional<Value>(
            _ key: String,
            in object: Int,
            _ read: (Int) throws(MappingError) -> Value
        ) throws(MappingError) -> Value? {
            guard let node = tape.value(forKey: key, in: object), tape.kind(node) != .null else {
                return nil
            }
            return try read(node)
        }

        /// The member's node; absent is an error.
        func required(_ key: String, in object: Int, _ path: String) throws(MappingError) -> Int {
            guard let node = tape.value(forKey: key, in: object) else {
                throw MappingError(.invalidRequest, "\(path).\(key): required")
            }
            return node
        }

        /// The elements of an array, each read by `read` with its path (`frameworks[2]`).
        func array<Element>(
            _ node: Int,
            _ path: String,
            _ read: (Int, String) throws(MappingError) -> Element
        ) throws(MappingError) -> [Element] {
            guard tape.kind(node) == .array else {
                throw wrongType(path, node)
            }
            var out: [Element] = []
            for (i, element) in tape.children(node).enumerated() {
                out.append(try read(element, "\(path)[\(i)]"))
            }
            return out
        }

        /// A string value; a `\u` escape of half a surrogate pair is refused (decoding would change the text).
        func string(_ node: Int, _ path: String) throws(MappingError) -> String {
            guard let decoded = tape.decodedString(node) else {
                throw wrongType(path, node)
            }
            if decoded.hadLoneSurrogate {
                throw MappingError(.invalidRequest, "\(path): a \\u escape is half of a surrogate pair")
            }
            return decoded.value
        }

        /// The error for a value of the wrong type (or null where a value is required), with the code and hint
        /// of the setting the path belongs to.
        func wrongType(_ path: String, _ node: Int) -> MappingError {
            let problem = tape.kind(node) == .null ? "must not be null" : "has the wrong type"
            switch path.prefix(while: { $0 != "[" && $0 != "." }) {
            case "topk":
                return MappingError(.invalidTopK, "topk: \(problem); must be an integer from 1 to 50")
            case "min_similarity":
                return MappingError(.invalidThreshold, "min_similarity: \(problem); must be a number from 0.01 to 1.0")
            case "min_confidence":
                return MappingError(
                    .invalidThreshold,
                    "min_confidence: \(problem); must be one of \"High\", \"Medium\", \"Low\", \"Very Low\""
                )
            case "frameworks":
                return MappingError(.invalidRequest, "\(path): \(problem); must be an array of framework ids")
            default:
                return MappingError(.invalidRequest, "\(path): \(problem)")
            }
        }
    }
}
