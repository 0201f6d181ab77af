/// Splits a batch's documents into calls bounded by a document count and a body size.
enum ChunkPlan {
    /// Consecutive ranges of documents, each within both limits; a document larger than the byte limit on its
    /// own still gets a call of its own.
    /// - Parameters:
    ///   - costs: The body bytes each document adds (see ``MapRequestBody/cost(of:)``).
    ///   - maxDocuments: The most documents per call (at least 1).
    ///   - maxBytes: The most body bytes per call, envelope included.
    /// - Returns: The ranges, covering every document in order.
    static func ranges(costs: [Int], maxDocuments: Int, maxBytes: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var bytes = MapRequestBody.envelopeBytes
        for (index, cost) in costs.enumerated() {
            let full = index - start >= max(1, maxDocuments) || bytes + cost > maxBytes
            if full && index > start {
                ranges.append(start..<index)
                start = index
                bytes = MapRequestBody.envelopeBytes
            }
            bytes += cost
        }
        if start < costs.count { ranges.append(start..<costs.count) }
        return ranges
    }
}
