import JSONBytes

extension JSONTape {
    /// Visits every node a dotted path reaches from `node`, member names matched exactly first, then ignoring
    /// ASCII case; a segment that lands on an array visits every element (`findings.Title`). A trailing `[]` on
    /// a segment is allowed and means the same. No allocation per step.
    /// - Parameters:
    ///   - path: e.g. `detail.findings[].Title`; empty visits `node` itself.
    ///   - node: where to start.
    ///   - body: called per node reached; return `false` to stop.
    func visit(path: String, from node: Int, _ body: (Int) -> Bool) {
        var path = path
        path.withUTF8 { bytes in
            _ = visit(bytes, segmentStart: 0, node: node, body)
        }
    }

    /// Returns `false` when the visit was stopped.
    private func visit(
        _ path: UnsafeBufferPointer<UInt8>,
        segmentStart: Int,
        node: Int,
        _ body: (Int) -> Bool
    ) -> Bool {
        if segmentStart >= path.count {
            if kind(node) == .array {
                for element in children(node) where !body(element) { return false }
                return true
            }
            return body(node)
        }
        switch kind(node) {
        case .object:
            var segmentEnd = segmentStart
            while segmentEnd < path.count, path[segmentEnd] != UInt8(ascii: ".") { segmentEnd += 1 }
            var nameEnd = segmentEnd
            if nameEnd - segmentStart >= 2, path[nameEnd - 1] == UInt8(ascii: "]"), path[nameEnd - 2] == UInt8(ascii: "[") {
                nameEnd -= 2
            }
            let name = UnsafeBufferPointer(rebasing: path[segmentStart..<nameEnd])
            guard let next = value(forKeyUTF8: name, in: node, caseInsensitive: true) else { return true }
            return visit(path, segmentStart: segmentEnd + 1, node: next, body)
        case .array:
            for element in children(node) where !visit(path, segmentStart: segmentStart, node: element, body) {
                return false
            }
            return true
        default:
            return true
        }
    }

    /// The first node a dotted path reaches, if any.
    func first(path: String, from node: Int) -> Int? {
        var found: Int?
        visit(path: path, from: node) { reached in
            found = reached
            return false
        }
        return found
    }
}
