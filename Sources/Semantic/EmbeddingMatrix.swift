import Foundation

/// Precomputed embeddings (for example of every control text), loaded whole and scored against a query.
///
/// File format, little-endian: the 8 bytes `LMEMB001`; UInt32 dimension; UInt32 row count; UInt64 byte length
/// of the id block; the id block (UTF-8 ids, each followed by a newline; ids may hold tabs, never newlines);
/// then row count × dimension Float32 values, one row per id in the same order.
public struct EmbeddingMatrix: Sendable {
    /// The file's first 8 bytes.
    public static let magic: [UInt8] = Array("LMEMB001".utf8)

    /// Row ids, e.g. `"nist_800_53_r5\tAC-2"`.
    public let ids: [String]
    /// Floats per row.
    public let dimension: Int
    /// `ids.count × dimension` floats, row-major.
    public let values: [Float]

    /// Reads a file written by ``write(ids:vectors:to:)``.
    /// - Parameter path: The file.
    /// - Throws: `SemanticError.readFailed` when it cannot be read, `.matrixInvalid` when it is malformed.
    public init(contentsOf path: String) throws(SemanticError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SemanticError(.readFailed, "\(path): cannot read the embedding matrix")
        }
        let bytes = [UInt8](data)
        let headerSize = 8 + 4 + 4 + 8
        guard bytes.count >= headerSize, Array(bytes[0..<8]) == Self.magic else {
            throw SemanticError(.matrixInvalid, "\(path): not an embedding matrix (bad magic)")
        }
        let (dimension, count, idBytes) = bytes.withUnsafeBytes { raw in
            (
                Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self))),
                Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: UInt32.self))),
                UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self))
            )
        }
        let available = UInt64(bytes.count - headerSize)
        guard dimension > 0, idBytes <= available,
            available - idBytes == UInt64(count) * UInt64(dimension) * 4
        else {
            throw SemanticError(.matrixInvalid, "\(path): sizes in the header do not match the file length")
        }
        let idEnd = headerSize + Int(idBytes)
        guard idBytes > 0 || count == 0, count == 0 || bytes[idEnd - 1] == 0x0A else {
            throw SemanticError(.matrixInvalid, "\(path): the id block does not end with a newline")
        }
        let lines = count == 0 ? [] : bytes[headerSize..<(idEnd - 1)].split(
            separator: 0x0A,
            omittingEmptySubsequences: false
        )
        guard lines.count == count else {
            throw SemanticError(.matrixInvalid, "\(path): \(lines.count) ids for \(count) rows")
        }
        var ids: [String] = []
        ids.reserveCapacity(count)
        for line in lines {
            guard let id = String(validating: line, as: UTF8.self) else {
                throw SemanticError(.matrixInvalid, "\(path): an id is not valid UTF-8")
            }
            ids.append(id)
        }
        let floatCount = count * dimension
        let values = bytes.withUnsafeBytes { raw in
            [Float](unsafeUninitializedCapacity: floatCount) { buffer, initialized in
                for index in 0..<floatCount {
                    buffer[index] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(
                        fromByteOffset: idEnd + index * 4,
                        as: UInt32.self
                    )))
                }
                initialized = floatCount
            }
        }
        self.ids = ids
        self.dimension = dimension
        self.values = values
    }

    /// Creates a matrix in memory.
    /// - Parameters:
    ///   - ids: Row ids.
    ///   - vectors: One vector per id, all of the same non-zero length.
    /// - Throws: `SemanticError.invalidArgument` when the counts or lengths disagree or an id has a newline.
    public init(ids: [String], vectors: [[Float]]) throws(SemanticError) {
        guard ids.count == vectors.count else {
            throw SemanticError(.invalidArgument, "\(ids.count) ids for \(vectors.count) vectors")
        }
        let dimension = vectors.first?.count ?? 0
        guard dimension > 0 || ids.isEmpty, dimension <= Int(UInt32.max), vectors.allSatisfy({ $0.count == dimension })
        else {
            throw SemanticError(.invalidArgument, "vectors must all have the same non-zero length")
        }
        if let bad = ids.first(where: { $0.utf8.contains(0x0A) }) {
            throw SemanticError(.invalidArgument, "id \(bad.debugDescription) contains a newline")
        }
        self.ids = ids
        self.dimension = max(dimension, 1)
        values = vectors.flatMap { $0 }
    }

    /// Writes ids and vectors as a matrix file, atomically (temporary file, then rename).
    /// - Parameters:
    ///   - ids: Row ids (no newlines).
    ///   - vectors: One vector per id, all of the same non-zero length.
    ///   - path: Destination file, replaced if it exists.
    /// - Throws: `SemanticError.invalidArgument` as ``init(ids:vectors:)``, `.writeFailed` on I/O errors.
    public static func write(ids: [String], vectors: [[Float]], to path: String) throws(SemanticError) {
        let matrix = try EmbeddingMatrix(ids: ids, vectors: vectors)
        var bytes = magic
        var idBlock: [UInt8] = []
        for id in ids {
            idBlock.append(contentsOf: id.utf8)
            idBlock.append(0x0A)
        }
        Self.append(UInt32(matrix.dimension), to: &bytes)
        Self.append(UInt32(ids.count), to: &bytes)
        Self.append(UInt64(idBlock.count), to: &bytes)
        bytes.append(contentsOf: idBlock)
        bytes.reserveCapacity(bytes.count + matrix.values.count * 4)
        for value in matrix.values {
            Self.append(value.bitPattern, to: &bytes)
        }
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw SemanticError(.writeFailed, "\(temporary): cannot create the file")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw SemanticError(.writeFailed, "\(path): \(reason)")
        }
    }

    /// The dot product of every row with a query (the cosine similarity when both have unit length).
    /// - Parameter query: ``dimension`` floats.
    /// - Returns: One score per id, in the order of ``ids``; all zero when the query has another length.
    public func dotProducts(with query: [Float]) -> [Float] {
        var scores = [Float](repeating: 0, count: ids.count)
        guard query.count == dimension else { return scores }
        let chunks = dimension / 16
        values.withUnsafeBytes { rows in
            query.withUnsafeBytes { q in
                for row in 0..<ids.count {
                    let base = row * dimension * 4
                    var sum = SIMD16<Float>()
                    for chunk in 0..<chunks {
                        sum += rows.loadUnaligned(fromByteOffset: base + chunk * 64, as: SIMD16<Float>.self)
                            * q.loadUnaligned(fromByteOffset: chunk * 64, as: SIMD16<Float>.self)
                    }
                    var total = sum.sum()
                    for index in (chunks * 16)..<dimension {
                        total += rows.load(fromByteOffset: base + index * 4, as: Float.self)
                            * q.load(fromByteOffset: index * 4, as: Float.self)
                    }
                    scores[row] = total
                }
            }
        }
        return scores
    }

    private static func append<Value: FixedWidthInteger>(_ value: Value, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
