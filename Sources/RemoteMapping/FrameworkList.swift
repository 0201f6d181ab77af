import JSONBytes

/// Reads the answer of `GET /v1/frameworks`: `[{"id": "pci_dss_v4", "name": "…", …}]`, also accepted inside
/// `{"frameworks": […]}` and with `framework_id` instead of `id`.
enum FrameworkList {
    /// The framework ids of an answer.
    /// - Parameter body: The response body.
    /// - Returns: The ids, in answer order.
    /// - Throws: ``RemoteMappingError`` with ``RemoteMappingError/Code/invalidResponse``.
    static func ids(_ body: [UInt8]) throws(RemoteMappingError) -> [String] {
        guard let tape = try? JSONTape(parsing: body, limits: JSONLimits(maxDepth: 16, maxNodes: 100_000)) else {
            throw RemoteMappingError(.invalidResponse, "malformed /v1/frameworks answer: not JSON")
        }
        var list = tape.rootIndex
        if tape.kind(list) == .object, let inner = tape.value(forKey: "frameworks", in: list) { list = inner }
        guard tape.kind(list) == .array else {
            throw RemoteMappingError(.invalidResponse, "malformed /v1/frameworks answer: expected an array")
        }
        var ids: [String] = []
        for entry in tape.children(list) {
            let node =
                tape.kind(entry) == .object
                ? tape.value(forKey: "id", in: entry) ?? tape.value(forKey: "framework_id", in: entry) : entry
            guard let node, let id = tape.string(node) else {
                throw RemoteMappingError(.invalidResponse, "malformed /v1/frameworks answer: an entry has no id")
            }
            ids.append(id)
        }
        return ids
    }
}
