import Codecs
import Dispatch
import ServiceSupport
import Synchronization

/// Compresses a batch's objects on several threads: each object of at least 2 MiB is cut into pieces of at least
/// 1 MiB (at most ``maximumPieces``), and all pieces are compressed at the same time. A cut object is a sequence of
/// complete gzip members (or zstd frames); gzip and zstd readers decompress such a sequence to the concatenation of
/// its parts (RFC 1952 §2.2, RFC 8878 §3), so the object holds exactly the same NDJSON. This halves the latency of a
/// large batch on two cores; under load the workers already keep every core busy and the pieces just queue. The cut
/// depends on the object's size only, never on the threads, so an object's bytes do not depend on how busy the
/// service was when it was written (a retry under load writes the same bytes). A compressor that does not cut
/// (`batch_threads` 1) writes every object as one member or frame.
struct ObjectCompressor: Sendable {
    /// The object codec and its level.
    enum Codec: Sendable {
        /// gzip members at a zlib level (1-9).
        case gzip(level: Int)
        /// zstd frames at a zstd level (1-19).
        case zstd(level: Int)
    }

    /// The smallest piece an object is cut into: 1 MiB.
    static let minimumPieceBytes = 1 << 20
    /// The most pieces one object is cut into.
    static let maximumPieces = 64

    /// The codec of every object.
    let codec: Codec
    /// The most threads the pieces are compressed on.
    let parallelism: Int
    /// Whether objects of 2 MiB or more are cut into pieces.
    let cutsObjects: Bool

    /// Creates a compressor.
    /// - Parameters:
    ///   - codec: The codec and level.
    ///   - parallelism: The most threads (values below 1 mean 1).
    ///   - cutsObjects: Whether objects of 2 MiB or more are cut into pieces. Default: `true`.
    init(codec: Codec, parallelism: Int, cutsObjects: Bool = true) {
        self.codec = codec
        self.parallelism = max(1, parallelism)
        self.cutsObjects = cutsObjects
    }

    /// Compresses each input into one object body.
    /// - Parameter inputs: The uncompressed objects.
    /// - Returns: The compressed bodies, in the same order.
    func compress(_ inputs: [[UInt8]]) -> [[UInt8]] {
        let bodies = LockedValue([[UInt8]](repeating: [], count: inputs.count))
        compress(inputs) { input, body in
            bodies.withLock { $0[input] = body }
        }
        return bodies.withLock { stored in
            var taken: [[UInt8]] = []
            swap(&taken, &stored)
            return taken
        }
    }

    /// Compresses each input into one object body and hands each body on as soon as all its pieces are compressed,
    /// on the thread that compressed its last piece (so the caller can store it while others are compressed).
    /// - Parameters:
    ///   - inputs: The uncompressed objects.
    ///   - deliver: Receives an input's position and its body, once per input; called from several threads.
    func compress(_ inputs: [[UInt8]], deliver: @escaping @Sendable (Int, [UInt8]) -> Void) {
        var cuts: [(input: Int, range: Range<Int>)] = []
        // Each input's pieces are next to each other in `cuts`: where they start, and how many.
        var firstPiece: [Int] = []
        var pieceCount: [Int] = []
        for (index, input) in inputs.enumerated() {
            let count = cutsObjects ? max(1, min(Self.maximumPieces, input.count / Self.minimumPieceBytes)) : 1
            let step = max(1, (input.count + count - 1) / count)
            var start = 0
            firstPiece.append(cuts.count)
            repeat {
                let end = min(input.count, start + step)
                cuts.append((index, start..<end))
                start = end
            } while start < input.count
            pieceCount.append(cuts.count - firstPiece[index])
        }
        let pieces = cuts
        let starts = firstPiece
        let counts = pieceCount
        // The last piece of an input compressed joins them.
        let progress = LockedValue((parts: [[UInt8]](repeating: [], count: pieces.count), left: counts))
        let work: @Sendable (Int) -> Void = { position in
            let piece = pieces[position]
            let body = inputs[piece.input].withUnsafeBytes { raw in
                compressPiece(UnsafeRawBufferPointer(rebasing: raw[piece.range]))
            }
            let finished: [[UInt8]]? = progress.withLock { progress in
                progress.parts[position] = body
                progress.left[piece.input] -= 1
                guard progress.left[piece.input] == 0 else { return nil }
                let first = starts[piece.input]
                return (first..<first + counts[piece.input]).map { index in
                    var part: [UInt8] = []
                    swap(&part, &progress.parts[index])
                    return part
                }
            }
            guard var parts = finished else { return }
            var joined: [UInt8] = []
            swap(&joined, &parts[0])
            for part in parts.dropFirst() { joined.append(contentsOf: part) }
            deliver(piece.input, joined)
        }
        let threads = min(parallelism, pieces.count)
        if threads == 1 {
            for position in pieces.indices { work(position) }
            return
        }
        // Each thread takes the largest piece left: the threads finish close together.
        let largestFirst = pieces.indices.sorted { pieces[$0].range.count > pieces[$1].range.count }
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            while true {
                let taken = next.add(1, ordering: .relaxed).oldValue
                guard taken < largestFirst.count else { return }
                work(largestFirst[taken])
            }
        }
    }

    private func compressPiece(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        switch codec {
        case .gzip(let level): Gzip.deflate(bytes, level: level)
        case .zstd(let level): Zstd.compress(bytes, level: level)
        }
    }
}
