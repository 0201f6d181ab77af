/// The write side of the Thrift compact protocol, enough for Parquet's footer and page headers.
///
/// Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
/// - integers are zig-zag ULEB128 varints;
/// - a field header is `(id delta << 4) | type` for deltas 1–15, otherwise the type byte and the zig-zag id;
/// - booleans live in the field header's type nibble (1 true, 2 false);
/// - binary is a varint length and the bytes;
/// - a list header is `(size << 4) | element type` below 15 elements, otherwise `0xF0 | type` and a varint size;
/// - a struct ends with a stop byte `0x00`.
struct ThriftCompactWriter {
    /// Compact-protocol type codes.
    enum FieldType: UInt8 {
        /// A boolean field whose value is true (only in field headers).
        case booleanTrue = 1
        /// A boolean field whose value is false (only in field headers).
        case booleanFalse = 2
        /// A signed byte.
        case byte = 3
        /// A 16-bit integer.
        case i16 = 4
        /// A 32-bit integer (and enums).
        case i32 = 5
        /// A 64-bit integer.
        case i64 = 6
        /// A double.
        case double = 7
        /// Binary or string.
        case binary = 8
        /// A list.
        case list = 9
        /// A struct (and unions).
        case structure = 12
    }

    /// The encoded bytes.
    private(set) var bytes: [UInt8] = []
    /// The id of the last field written in the current struct.
    private var lastFieldID: Int16 = 0
    /// The last field ids of the enclosing structs.
    private var enclosingFieldIDs: [Int16] = []

    /// Creates an empty writer positioned inside a top-level struct.
    init() {}

    // MARK: - Structs

    /// Starts a struct field; end it with ``endStruct()``.
    /// - Parameter id: The field id.
    mutating func beginStruct(field id: Int16) {
        fieldHeader(id, .structure)
        beginStruct()
    }

    /// Starts a struct that is a list element (or the top-level struct); end it with ``endStruct()``.
    mutating func beginStruct() {
        enclosingFieldIDs.append(lastFieldID)
        lastFieldID = 0
    }

    /// Ends the current struct with a stop byte.
    mutating func endStruct() {
        bytes.append(0)
        lastFieldID = enclosingFieldIDs.popLast() ?? 0
    }

    /// Writes a struct field with no fields set (`StringType {}`, `MilliSeconds {}`, ...).
    /// - Parameter id: The field id.
    mutating func emptyStruct(field id: Int16) {
        beginStruct(field: id)
        endStruct()
    }

    // MARK: - Scalars

    /// Writes a boolean field.
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The value, carried in the header's type nibble.
    mutating func bool(field id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    /// Writes a signed byte field.
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The value.
    mutating func byte(field id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    /// Writes a 32-bit integer (or enum) field.
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The value.
    mutating func i32(field id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        varint(Self.zigZag(Int64(value)))
    }

    /// Writes a 64-bit integer field.
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The value.
    mutating func i64(field id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        varint(Self.zigZag(value))
    }

    /// Writes a binary field.
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The bytes.
    mutating func binary(field id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        binaryElement(value)
    }

    /// Writes a string field as UTF-8 binary.
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The text.
    mutating func string(field id: Int16, _ value: String) {
        fieldHeader(id, .binary)
        stringElement(value)
    }

    // MARK: - Lists

    /// Starts a list field; write exactly `count` elements of `elementType` next.
    /// - Parameters:
    ///   - id: The field id.
    ///   - elementType: The elements' type.
    ///   - count: The number of elements.
    mutating func beginList(field id: Int16, elementType: FieldType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | elementType.rawValue)
        } else {
            bytes.append(0xF0 | elementType.rawValue)
            varint(UInt64(count))
        }
    }

    /// Writes a 32-bit integer (or enum) list element.
    /// - Parameter value: The value.
    mutating func i32Element(_ value: Int32) {
        varint(Self.zigZag(Int64(value)))
    }

    /// Writes a binary list element.
    /// - Parameter value: The bytes.
    mutating func binaryElement(_ value: [UInt8]) {
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    /// Writes a string list element as UTF-8 binary.
    /// - Parameter value: The text.
    mutating func stringElement(_ value: String) {
        var text = value
        text.withUTF8 { utf8 in
            varint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    // MARK: - Encoding primitives

    /// Writes a field header: the id delta in the high nibble when it is 1–15, otherwise a zig-zag varint id.
    private mutating func fieldHeader(_ id: Int16, _ type: FieldType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            varint(Self.zigZag(Int64(id)))
        }
        lastFieldID = id
    }

    /// Appends an unsigned LEB128 varint.
    private mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Zig-zag maps signed to unsigned so that small magnitudes make short varints.
    static func zigZag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }
}
