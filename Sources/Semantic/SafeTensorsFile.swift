import Foundation
import Glibc

/// A read-only memory map of a `.safetensors` file: an 8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the tensor data.
///
/// The header is parsed once with `JSONSerialization` (it is small and read only at load). The header and the small
/// tensors copied at load are read with `pread`, so no page of the mapping is touched before a text is embedded
/// (a touched page maps its neighbours too, and the service's idle memory would carry them); the dense weights stay
/// in the mapping and are paged in on use. The mapping and the descriptor live as long as this object.
final class SafeTensorsFile: @unchecked Sendable {
    // @unchecked: the mapping is read-only and never unmapped before deinit, so sharing it is safe.

    /// One tensor's entry in the header.
    struct Entry: Sendable {
        /// `"F32"`, `"I64"`, ...
        let dtype: String
        /// Dimensions, outermost first.
        let shape: [Int]
        /// Byte offset of the first element from the start of the file.
        let offset: Int
        /// Length in bytes.
        let length: Int
    }

    /// Largest header accepted, in bytes.
    static let maxHeaderBytes = 16 * 1_048_576

    /// The file's path, for messages.
    let path: String
    /// Tensors by name.
    let entries: [String: Entry]
    private let base: UnsafeRawPointer
    private let size: Int
    private let descriptor: Int32

    /// Maps the file and parses its header.
    /// - Parameter path: The `.safetensors` file.
    /// - Throws: `SemanticError` `.modelNotFound`, `.readFailed` or `.modelInvalid`.
    init(path: String) throws(SemanticError) {
        self.path = path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code: SemanticError.Code = errno == ENOENT ? .modelNotFound : .readFailed
            throw SemanticError(code, "\(path): \(String(cString: strerror(errno)))")
        }
        // Kept open for the object's life once it is built; closed on every way out before that.
        var isKept = false
        defer { if !isKept { close(descriptor) } }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_size > 8 else {
            throw SemanticError(.modelInvalid, "\(path): not a safetensors file (too short)")
        }
        let size = Int(status.st_size)
        let parsed = try Self.parseHeader(descriptor: descriptor, size: size, path: path)
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            throw SemanticError(.readFailed, "\(path): mmap failed: \(String(cString: strerror(errno)))")
        }
        isKept = true
        entries = parsed
        base = UnsafeRawPointer(mapped)
        self.size = size
        self.descriptor = descriptor
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: base), size)
        close(descriptor)
    }

    /// The header entry of a `F32` tensor of the expected shape.
    /// - Parameters:
    ///   - name: The tensor's name, e.g. `"embeddings.LayerNorm.weight"`.
    ///   - shape: The shape the model expects.
    /// - Returns: The entry, to read with ``bytes(of:)``.
    /// - Throws: `SemanticError.modelInvalid` when the tensor is missing, not `F32` or of another shape.
    func entry(_ name: String, shape: [Int]) throws(SemanticError) -> Entry {
        guard let entry = entries[name] else {
            throw SemanticError(.modelInvalid, "\(path): tensor \(name) is missing")
        }
        guard entry.dtype == "F32", entry.shape == shape else {
            throw SemanticError(
                .modelInvalid,
                "\(path): tensor \(name) is \(entry.dtype) \(entry.shape), expected F32 \(shape)"
            )
        }
        return entry
    }

    /// The mapped bytes of a tensor (little-endian elements, possibly unaligned).
    /// - Parameter entry: An entry of this file.
    /// - Returns: A view valid while this object lives.
    func bytes(of entry: Entry) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + entry.offset, count: entry.length)
    }

    /// Copies a `F32` tensor into an array.
    /// - Parameters:
    ///   - name: The tensor's name.
    ///   - shape: The shape the model expects.
    /// - Returns: The elements in row-major order.
    /// - Throws: `SemanticError.modelInvalid` as ``entry(_:shape:)``, `.readFailed` when the file cannot be read.
    func array(_ name: String, shape: [Int]) throws(SemanticError) -> [Float] {
        let entry = try entry(name, shape: shape)
        let raw = try Self.read(descriptor, count: entry.length, at: entry.offset, path: path)
        return raw.withUnsafeBytes { raw in
            (0..<(raw.count / 4)).map { index in
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        }
    }

    /// Reads `count` bytes at `offset` of the file, without the mapping.
    private static func read(
        _ descriptor: Int32,
        count: Int,
        at offset: Int,
        path: String
    ) throws(SemanticError) -> [UInt8] {
        var failure: Int32 = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            while initialized < count {
                let read = pread(
                    descriptor,
                    buffer.baseAddress! + initialized,
                    count - initialized,
                    off_t(offset + initialized)
                )
                if read > 0 {
                    initialized += read
                } else if read < 0 && errno == EINTR {
                    continue
                } else {
                    failure = read == 0 ? EIO : errno
                    return
                }
            }
        }
        guard failure == 0 else {
            throw SemanticError(.readFailed, "\(path): read failed: \(String(cString: strerror(failure)))")
        }
        return bytes
    }

    private static func parseHeader(
        descriptor: Int32,
        size: Int,
        path: String
    ) throws(SemanticError) -> [String: Entry] {
        let lengthBytes = try read(descriptor, count: 8, at: 0, path: path)
        let headerLength = lengthBytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard headerLength <= UInt64(min(maxHeaderBytes, size - 8)) else {
            throw SemanticError(.modelInvalid, "\(path): header length \(headerLength) does not fit the file")
        }
        let dataStart = 8 + Int(headerLength)
        let header = Data(try read(descriptor, count: Int(headerLength), at: 8, path: path))
        guard let object = try? JSONSerialization.jsonObject(with: header), let root = object as? [String: Any] else {
            throw SemanticError(.modelInvalid, "\(path): header is not a JSON object")
        }
        var entries: [String: Entry] = [:]
        for (name, value) in root where name != "__metadata__" {
            guard let fields = value as? [String: Any],
                let dtype = fields["dtype"] as? String,
                let shape = fields["shape"] as? [Int],
                let offsets = fields["data_offsets"] as? [Int], offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= size - dataStart
            else {
                throw SemanticError(.modelInvalid, "\(path): header entry \(name) is malformed or out of range")
            }
            let elementSize = dtype == "F32" ? 4 : (dtype == "I64" ? 8 : 0)
            let elements = shape.reduce(1) { $0 &* max($1, 0) }
            if elementSize > 0, elements * elementSize != offsets[1] - offsets[0] {
                throw SemanticError(.modelInvalid, "\(path): tensor \(name) length does not match its shape")
            }
            entries[name] = Entry(
                dtype: dtype,
                shape: shape,
                offset: dataStart + offsets[0],
                length: offsets[1] - offsets[0]
            )
        }
        return entries
    }
}
