import JSONBytes
import Mapping

/// Reads the answer of one `POST /v1/map` call with a ``JSONTape``.
///
/// Expected: `{"frameworks":[{"framework_id":"…","controls":[{"document_id":"0","control":{"id":"…",
/// "family":"…"},"similarity":0.91,"confidence":"High"}]}]}`. Unknown members are ignored, and so are
/// frameworks that were not asked for. Missing documents mean "no match"; frameworks that were asked for but are
/// missing are reported in ``Answer/missingFrameworks``. Anything else that breaks the contract (a document id
/// that was not sent, a similarity outside 0...1, a wrong type) rejects the whole answer.
enum MapResponseDecoder {
    /// A decoded answer.
    struct Answer: Sendable {
        /// Per document, in request order: frameworks in option order, each by descending similarity, at most
        /// `topK` per framework.
        var matches: [[ControlMatch]]
        /// Frameworks that were asked for and are absent from the answer.
        var missingFrameworks: [FrameworkID]
    }

    private static let limits = JSONLimits(maxDepth: 32, maxNodes: 10_000_000)

    /// Decodes an answer.
    /// - Parameters:
    ///   - body: The response body.
    ///   - documentCount: How many documents the call sent (ids `"0"` … `"n-1"`).
    ///   - options: The call's options.
    /// - Returns: The answer.
    /// - Throws: ``RemoteMappingError`` with ``RemoteMappingError/Code/invalidResponse`` naming the problem.
    static func decode(
        _ body: [UInt8],
        documentCount: Int,
        options: MappingOptions
    ) throws(RemoteMappingError)
        -> Answer
    {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: body, limits: limits)
        } catch {
            throw invalid("the body is not JSON (\(error.code) at byte \(error.offset))")
        }
        guard tape.kind(tape.rootIndex) == .object,
            let list = tape.value(forKey: "frameworks", in: tape.rootIndex), tape.kind(list) == .array
        else { throw invalid("expected an object with a \"frameworks\" array") }
        var perFramework: [FrameworkID: [[ControlMatch]]] = [:]
        for (position, entry) in tape.children(list).enumerated() {
            guard tape.kind(entry) == .object,
                let idNode = tape.value(forKey: "framework_id", in: entry), let key = tape.string(idNode),
                let controls = tape.value(forKey: "controls", in: entry), tape.kind(controls) == .array
            else { throw invalid("frameworks[\(position)]: expected {\"framework_id\": string, \"controls\": array}") }
            guard let framework = FrameworkID(rawValue: key), options.frameworks.contains(framework) else { continue }
            var byDocument = perFramework[framework] ?? Array(repeating: [], count: documentCount)
            for control in tape.children(controls) {
                let (document, match) = try decodeControl(tape, control, framework, documentCount, key)
                byDocument[document].append(match)
            }
            perFramework[framework] = byDocument
        }
        var matches: [[ControlMatch]] = Array(repeating: [], count: documentCount)
        for framework in options.frameworks {
            guard let byDocument = perFramework[framework] else { continue }
            for document in 0..<documentCount where !byDocument[document].isEmpty {
                // The configured threshold holds whatever the API does with the one it was sent.
                let ranked = stableDescending(byDocument[document].filter(options.accepts))
                matches[document].append(contentsOf: ranked.prefix(options.topK))
            }
        }
        let missing = options.frameworks.filter { perFramework[$0] == nil }
        return Answer(matches: matches, missingFrameworks: missing)
    }

    /// One element of a `controls` array: its document index and match.
    private static func decodeControl(
        _ tape: JSONTape,
        _ node: Int,
        _ framework: FrameworkID,
        _ documentCount: Int,
        _ key: String
    ) throws(RemoteMappingError) -> (Int, ControlMatch) {
        let place = "framework \(key)"
        guard tape.kind(node) == .object else { throw invalid("\(place): a control is not an object") }
        guard let documentNode = tape.value(forKey: "document_id", in: node), let documentID = tape.string(documentNode)
        else { throw invalid("\(place): a control has no string document_id") }
        guard let document = Int(documentID), (0..<documentCount).contains(document), String(document) == documentID
        else { throw invalid("\(place): document_id \"\(documentID.prefix(40))\" was not sent") }
        guard let control = tape.value(forKey: "control", in: node), tape.kind(control) == .object,
            let idNode = tape.value(forKey: "id", in: control), let controlID = tape.string(idNode), !controlID.isEmpty
        else { throw invalid("\(place): a control has no {\"id\": string}") }
        var family = ""
        if let familyNode = tape.value(forKey: "family", in: control), tape.kind(familyNode) != .null {
            guard let text = tape.string(familyNode) else { throw invalid("\(place): control.family is not a string") }
            family = text
        }
        guard let similarityNode = tape.value(forKey: "similarity", in: node),
            let similarity = tape.double(similarityNode), similarity.isFinite, (0...1).contains(similarity)
        else { throw invalid("\(place): control \(controlID.prefix(40)) has no similarity in 0...1") }
        var confidence: Confidence?
        if let confidenceNode = tape.value(forKey: "confidence", in: node) {
            guard let name = tape.string(confidenceNode), let level = Confidence(rawValue: name) else {
                throw invalid("\(place): control \(controlID.prefix(40)) has an unknown confidence")
            }
            confidence = level
        }
        // The API's own confidence is kept; only an answer without one gets the bucket of its similarity.
        let match = ControlMatch(
            frameworkID: framework,
            controlID: controlID,
            family: family,
            similarity: similarity,
            confidence: confidence
        )
        return (document, match)
    }

    /// Matches by descending similarity, keeping the answer's order among equals.
    private static func stableDescending(_ matches: [ControlMatch]) -> [ControlMatch] {
        matches.enumerated().sorted {
            $0.element.similarity != $1.element.similarity
                ? $0.element.similarity > $1.element.similarity : $0.offset < $1.offset
        }.map(\.element)
    }

    private static func invalid(_ message: String) -> RemoteMappingError {
        RemoteMappingError(.invalidResponse, "malformed /v1/map answer: \(message)")
    }
}
