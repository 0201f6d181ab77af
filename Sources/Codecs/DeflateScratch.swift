/// The working memory of one ``GreedyDeflater`` compression (about 390 KiB), kept in a pool between compressions so
/// that a batch's objects do not each allocate, fault in and free it again.
final class DeflateScratch {
    /// The hash table's entries: 2^``GreedyDeflater/hashBits``.
    static let tableEntries = 1 << GreedyDeflater.hashBits
    /// The literal/length alphabet's size in a dynamic block (0-255, end of block, 29 length symbols).
    static let literalSymbols = 286
    /// The distance alphabet's size in a dynamic block.
    static let distanceSymbols = 30

    /// The last position seen for each hash, plus the ``positionBase`` of the compression that stored it.
    let table: UnsafeMutablePointer<UInt32>
    /// What the next compression adds to its positions in ``table``: above every value stored so far, so entries
    /// left by earlier compressions read as positions before the input and the table never needs clearing (only
    /// when the values would overflow).
    var positionBase: UInt32 = 1
    /// One block's tokens: at most one per input byte the block starts matches in.
    let tokens: UnsafeMutablePointer<UInt32>
    /// One block's literal/length symbol counts.
    let literalFrequencies: UnsafeMutablePointer<UInt32>
    /// One block's distance symbol counts.
    let distanceFrequencies: UnsafeMutablePointer<UInt32>

    /// Reserves the table's values for an input of `count` bytes.
    /// - Parameter count: The input's size (below 2^31).
    /// - Returns: The base to add to the input's positions.
    func reservePositions(_ count: Int) -> UInt32 {
        if Int(positionBase) + count >= Int(UInt32.max) {
            table.update(repeating: 0, count: Self.tableEntries)
            positionBase = 1
        }
        defer { positionBase += UInt32(count) + 1 }
        return positionBase
    }

    /// Allocates the memory (the encoder clears the frequencies it uses).
    init() {
        table = .allocate(capacity: Self.tableEntries)
        table.initialize(repeating: 0, count: Self.tableEntries)
        tokens = .allocate(capacity: GreedyDeflater.blockInputBytes)
        literalFrequencies = .allocate(capacity: Self.literalSymbols)
        literalFrequencies.initialize(repeating: 0, count: Self.literalSymbols)
        distanceFrequencies = .allocate(capacity: Self.distanceSymbols)
        distanceFrequencies.initialize(repeating: 0, count: Self.distanceSymbols)
    }

    deinit {
        table.deallocate()
        tokens.deallocate()
        literalFrequencies.deallocate()
        distanceFrequencies.deallocate()
    }
}
