/// The best `limit` candidates of a ranking seen one at a time, kept in a binary heap whose root is the worst
/// kept candidate (so a full list rejects a candidate with one comparison, and admits one in O(log limit)).
///
/// The order is total: a higher score first, equal scores in index order. The result is therefore the same
/// whatever order the candidates arrive in.
struct TopCandidates {
    /// A ranked candidate: control index, fused score and lexical similarity.
    typealias Entry = (index: Int, score: Float, lexical: Float)

    /// How many candidates are kept at most.
    let limit: Int
    private var heap: [Entry] = []

    /// Creates an empty list.
    /// - Parameter limit: How many candidates to keep at most.
    init(limit: Int) {
        self.limit = max(limit, 0)
        heap.reserveCapacity(self.limit)
    }

    /// Whether `score` at control `index` ranks before the candidate at `other`.
    static func ranksBefore(_ score: Float, _ index: Int, _ other: Entry) -> Bool {
        score > other.score || (score == other.score && index < other.index)
    }

    /// Whether a candidate with this score (or any lower one) at control `index` would be kept: false once the
    /// list is full and its worst candidate ranks before it.
    /// - Parameters:
    ///   - score: The candidate's score, or an upper bound of it.
    ///   - index: The candidate's control index.
    func admits(_ score: Float, index: Int) -> Bool {
        heap.count < limit || TopCandidates.ranksBefore(score, index, heap[0])
    }

    /// Offers a candidate; it is kept when it ranks among the best `limit` seen so far.
    /// - Parameter entry: The candidate.
    mutating func offer(_ entry: Entry) {
        guard limit > 0 else {
            return
        }
        if heap.count < limit {
            heap.append(entry)
            siftUp(heap.count - 1)
        } else if TopCandidates.ranksBefore(entry.score, entry.index, heap[0]) {
            heap[0] = entry
            siftDown(0)
        }
    }

    /// The kept candidates, best first: the heap emptied worst first into the back of the result.
    func sorted() -> [Entry] {
        var heap = self.heap
        var out = heap
        heap.withUnsafeMutableBufferPointer { heap in
            out.withUnsafeMutableBufferPointer { out in
                var count = heap.count
                while count > 0 {
                    count -= 1
                    out[count] = heap[0]
                    heap[0] = heap[count]
                    TopCandidates.siftDown(heap, from: 0, count: count)
                }
            }
        }
        return out
    }

    /// Whether `a` is worse than `b` (the heap's order: the worst candidate at the root).
    @inline(__always)
    private static func worse(_ a: Entry, _ b: Entry) -> Bool {
        ranksBefore(b.score, b.index, a)
    }

    private mutating func siftUp(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            var child = start
            while child > 0 {
                let parent = (child - 1) / 2
                guard TopCandidates.worse(heap[child], heap[parent]) else {
                    return
                }
                heap.swapAt(child, parent)
                child = parent
            }
        }
    }

    private mutating func siftDown(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            TopCandidates.siftDown(heap, from: start, count: heap.count)
        }
    }

    /// Moves the entry at `start` down until the first `count` entries form a heap again.
    private static func siftDown(_ heap: UnsafeMutableBufferPointer<Entry>, from start: Int, count: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < count else {
                return
            }
            var worst = left
            if left + 1 < count, worse(heap[left + 1], heap[left]) {
                worst = left + 1
            }
            guard worse(heap[worst], heap[parent]) else {
                return
            }
            heap.swapAt(worst, parent)
            parent = worst
        }
    }
}
