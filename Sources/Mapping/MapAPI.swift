/// The JSON contract of `POST /v1/map`, `GET /v1/frameworks` and `lakemark map`.
///
/// Request:
/// ```json
/// {"frameworks": ["pci_dss_v4", "nist_800_53_r5"], "min_similarity": 0.3, "topk": 3,
///  "documents": [{"id": "d1", "document": "Root account login detected without MFA"}]}
/// ```
/// `frameworks` defaults to ``FrameworkID/defaultSet``; give at most one of `min_similarity`
/// (0.01...1.0) and `min_confidence` (`"High"`, `"Medium"`, `"Low"`, `"Very Low"`), default
/// ``MappingOptions/defaultThreshold``; `topk` is per framework and document, 1...50, default 3.
///
/// Response (frameworks in request order; controls by document, then by descending similarity):
/// ```json
/// {"frameworks": [{"framework_id": "pci_dss_v4", "controls": [{"document_id": "d1",
///   "control": {"id": "8.4.1", "family": "..."}, "similarity": 0.91, "confidence": "High"}]}]}
/// ```
/// Errors answer status 400 (500 for ``MappingError/Code/mapperFailed``) with
/// `{"error": {"code": "...", "message": "..."}}`.
public enum MapAPI {
    /// Largest accepted request body: 4 MiB.
    public static let maxRequestBytes = 4 * 1024 * 1024
    /// Most documents in one request: 1,000.
    public static let maxDocuments = 1_000
    /// Largest accepted document text, in UTF-8 bytes: 16 KiB.
    public static let maxDocumentBytes = 16 * 1024

    /// Handles a map request body.
    /// - Parameters:
    ///   - body: The request body (JSON).
    ///   - mapper: The mapper to use.
    /// - Returns: HTTP status (200, 400 or 500) and the JSON response body.
    public static func handleMapRequest(_ body: [UInt8], mapper: any ComplianceMapper) -> (status: Int, body: [UInt8]) {
        do {
            return (200, try map(body, mapper: mapper))
        } catch let error as MappingError {
            return (error.code == .mapperFailed ? 500 : 400, errorBody(error))
        } catch {
            return (500, errorBody(MappingError(.mapperFailed, "mapping failed: \(error)")))
        }
    }

    /// The body of `GET /v1/frameworks`: `[{"id": "...", "name": "...", "region": "..."}]`.
    /// - Returns: JSON bytes.
    public static func frameworksResponse() -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (i, info) in FrameworkInfo.all.enumerated() {
            if i > 0 {
                out.append(UInt8(ascii: ","))
            }
            JSONOutput.appendRaw("{\"id\":", to: &out)
            JSONOutput.appendString(info.id.rawValue, to: &out)
            JSONOutput.appendRaw(",\"name\":", to: &out)
            JSONOutput.appendString(info.name, to: &out)
            JSONOutput.appendRaw(",\"region\":", to: &out)
            JSONOutput.appendString(info.region, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The `secberus_compliance` array of one event:
    /// `[{"framework_id": "...", "control_id": "...", "family": "...", "similarity": 0.91, "confidence": "High"}]`.
    /// - Parameter matches: The event's matches.
    /// - Returns: JSON bytes (`[]` when there are none).
    public static func complianceArrayJSON(_ matches: [ControlMatch]) -> [UInt8] {
        var out: [UInt8] = [UInt8(ascii: "[")]
        out.reserveCapacity(2 + matches.count * 120)
        for (i, match) in matches.enumerated() {
            if i > 0 {
                out.append(UInt8(ascii: ","))
            }
            JSONOutput.appendRaw("{\"framework_id\":", to: &out)
            JSONOutput.appendString(match.frameworkID.rawValue, to: &out)
            JSONOutput.appendRaw(",\"control_id\":", to: &out)
            JSONOutput.appendString(match.controlID, to: &out)
            JSONOutput.appendRaw(",\"family\":", to: &out)
            JSONOutput.appendString(match.family, to: &out)
            appendScore(match, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// The error body `{"error": {"code": "...", "message": "..."}}`.
    /// - Parameter error: The error.
    /// - Returns: JSON bytes.
    public static func errorBody(_ error: MappingError) -> [UInt8] {
        var out: [UInt8] = []
        JSONOutput.appendRaw("{\"error\":{\"code\":", to: &out)
        JSONOutput.appendString(error.code.name, to: &out)
        JSONOutput.appendRaw(",\"message\":", to: &out)
        JSONOutput.appendString(error.message, to: &out)
        JSONOutput.appendRaw("}}", to: &out)
        return out
    }

    /// Parses and validates a request, maps it and renders the response.
    private static func map(_ body: [UInt8], mapper: any ComplianceMapper) throws -> [UInt8] {
        guard body.count <= maxRequestBytes else {
            throw MappingError(.requestTooLarge, "request body: at most \(maxRequestBytes) bytes, got \(body.count)")
        }
        let request = try MapRequest(parsing: body)
        let options = try MappingOptions.parse(
            frameworks: request.frameworks,
            minSimilarity: request.minSimilarity,
            minConfidence: request.minConfidence,
            topK: request.topk
        )
        guard let documents = request.documents else {
            throw MappingError(
                .invalidRequest,
                "documents: required, an array of {\"id\": string, \"document\": string}"
            )
        }
        guard documents.count <= maxDocuments else {
            throw MappingError(
                .tooManyDocuments,
                "documents: at most \(maxDocuments) per request, got \(documents.count)"
            )
        }
        for (i, document) in documents.enumerated() where document.document.utf8.count > maxDocumentBytes {
            throw MappingError(
                .documentTooLarge,
                "documents[\(i)].document: at most \(maxDocumentBytes) UTF-8 bytes, got \(document.document.utf8.count)"
            )
        }
        var firstIndexOfID: [String: Int] = [:]
        for (i, document) in documents.enumerated() {
            if let first = firstIndexOfID.updateValue(i, forKey: document.id) {
                throw MappingError(
                    .invalidRequest,
                    "documents[\(i)].id: repeats documents[\(first)].id (each id names its answers)"
                )
            }
        }
        let results = try mapper.map(documents.map(\.document), options: options)
        return render(documents.map(\.id), results, options.frameworks)
    }

    private static func render(_ ids: [String], _ results: [[ControlMatch]], _ frameworks: [FrameworkID]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + results.count * frameworks.count * 360)
        JSONOutput.appendRaw("{\"frameworks\":[", to: &out)
        for (f, framework) in frameworks.enumerated() {
            if f > 0 {
                out.append(UInt8(ascii: ","))
            }
            JSONOutput.appendRaw("{\"framework_id\":", to: &out)
            JSONOutput.appendString(framework.rawValue, to: &out)
            JSONOutput.appendRaw(",\"controls\":[", to: &out)
            var first = true
            for (id, matches) in zip(ids, results) {
                for match in matches where match.frameworkID == framework {
                    if !first {
                        out.append(UInt8(ascii: ","))
                    }
                    first = false
                    JSONOutput.appendRaw("{\"document_id\":", to: &out)
                    JSONOutput.appendString(id, to: &out)
                    JSONOutput.appendRaw(",\"control\":{\"id\":", to: &out)
                    JSONOutput.appendString(match.controlID, to: &out)
                    JSONOutput.appendRaw(",\"family\":", to: &out)
                    JSONOutput.appendString(match.family, to: &out)
                    out.append(UInt8(ascii: "}"))
                    appendScore(match, to: &out)
                    out.append(UInt8(ascii: "}"))
                }
            }
            JSONOutput.appendRaw("]}", to: &out)
        }
        JSONOutput.appendRaw("]}", to: &out)
        return out
    }

    private static func appendScore(_ match: ControlMatch, to out: inout [UInt8]) {
        JSONOutput.appendRaw(",\"similarity\":", to: &out)
        JSONOutput.appendSimilarity(match.similarity, to: &out)
        JSONOutput.appendRaw(",\"confidence\":", to: &out)
        JSONOutput.appendString(match.confidence.rawValue, to: &out)
    }
}
