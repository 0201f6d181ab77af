/// Statistics of a page or column chunk: the null count and, when known, the smallest and largest value.
///
/// Bounds are kept PLAIN-encoded as Parquet's `min_value` / `max_value` want them (little-endian numbers, raw bytes
/// for BYTE_ARRAY without the length prefix) and ordered as the column's `TypeDefinedOrder` says: signed for
/// integers, numeric for floating point (NaN left out, -0.0 as the minimum and +0.0 as the maximum of zeros),
/// unsigned lexicographic for byte arrays. Byte-array bounds longer than ``maximumBoundLength`` are truncated to
/// a shorter lower bound and a larger upper bound (not exact).
struct ColumnStatistics {
    /// The longest byte-array bound kept, in bytes.
    static let maximumBoundLength = 64

    /// The number of level entries without a value (nulls, and empty or null lists for nested columns).
    var nullCount: Int64 = 0
    /// The smallest value, if any value was seen and bounds are known.
    var minimum: [UInt8]?
    /// The largest value, if any value was seen and bounds are known.
    var maximum: [UInt8]?
    /// Whether ``minimum`` is a value of the column (not a truncated bound).
    var isMinimumExact = true
    /// Whether ``maximum`` is a value of the column (not a truncated bound).
    var isMaximumExact = true
    /// Whether some value was seen whose bound could not be recorded (for example only NaNs), which voids the
    /// bounds of everything this is merged into.
    var hasUnboundedValues = false

    /// Merges another page's statistics into these.
    /// - Parameters:
    ///   - other: The other statistics.
    ///   - physical: The column's physical type, which decides the order.
    mutating func merge(_ other: ColumnStatistics, physical: ParquetPhysicalType) {
        nullCount += other.nullCount
        hasUnboundedValues = hasUnboundedValues || other.hasUnboundedValues
        if let otherMinimum = other.minimum {
            if let current = minimum, !Self.isLess(otherMinimum, current, physical) {
                if otherMinimum == current { isMinimumExact = isMinimumExact || other.isMinimumExact }
            } else {
                minimum = otherMinimum
                isMinimumExact = other.isMinimumExact
            }
        }
        if let otherMaximum = other.maximum {
            if let current = maximum, !Self.isLess(current, otherMaximum, physical) {
                if otherMaximum == current { isMaximumExact = isMaximumExact || other.isMaximumExact }
            } else {
                maximum = otherMaximum
                isMaximumExact = other.isMaximumExact
            }
        }
    }

    /// Writes a `Statistics` struct field: null_count, min_value and max_value, the deprecated min and max for types
    /// whose order is signed (not byte arrays), and for byte arrays is_max_value_exact / is_min_value_exact.
    /// - Parameters:
    ///   - id: The field id of the struct.
    ///   - physical: The column's physical type.
    ///   - thrift: The writer.
    func write(field id: Int16, physical: ParquetPhysicalType, into thrift: inout ThriftCompactWriter) {
        thrift.beginStruct(field: id)
        let bounds: (minimum: [UInt8], maximum: [UInt8])? =
            if !hasUnboundedValues, let minimum, let maximum { (minimum, maximum) } else { nil }
        if let bounds, physical != .byteArray {
            thrift.binary(field: 1, bounds.maximum)
            thrift.binary(field: 2, bounds.minimum)
        }
        thrift.i64(field: 3, nullCount)
        if let bounds {
            thrift.binary(field: 5, bounds.maximum)
            thrift.binary(field: 6, bounds.minimum)
            if physical == .byteArray {
                thrift.bool(field: 7, isMaximumExact)
                thrift.bool(field: 8, isMinimumExact)
            }
        }
        thrift.endStruct()
    }

    /// Whether one PLAIN-encoded value orders before another.
    static func isLess(_ left: [UInt8], _ right: [UInt8], _ physical: ParquetPhysicalType) -> Bool {
        switch physical {
        case .boolean:
            return left[0] < right[0]
        case .int32:
            return Int32(littleEndianBytes: left) < Int32(littleEndianBytes: right)
        case .int64:
            return Int64(littleEndianBytes: left) < Int64(littleEndianBytes: right)
        case .float:
            return Float(bitPattern: UInt32(littleEndianBytes: left))
                < Float(bitPattern: UInt32(littleEndianBytes: right))
        case .double:
            return Double(bitPattern: UInt64(littleEndianBytes: left))
                < Double(bitPattern: UInt64(littleEndianBytes: right))
        case .byteArray:
            return left.lexicographicallyPrecedes(right)
        }
    }

    /// A lower bound of at most ``maximumBoundLength`` bytes for a byte-array value: the value itself, or a prefix
    /// cut at a UTF-8 character boundary.
    /// - Parameter value: The smallest value.
    /// - Returns: The bound.
    static func lowerBound(_ value: UnsafeRawBufferPointer) -> [UInt8] {
        guard value.count > maximumBoundLength else { return Array(value) }
        var end = maximumBoundLength
        while end > 0 && value[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(value[0..<end])
    }

    /// An upper bound of at most ``maximumBoundLength`` bytes for a byte-array value: the value itself, or a prefix
    /// cut at a UTF-8 character boundary whose last ASCII character below DEL is incremented, after dropping the
    /// characters behind it (so the bound stays valid UTF-8 and orders after every value with the prefix).
    /// - Parameter value: The largest value.
    /// - Returns: The bound, or `nil` when the prefix has no such character.
    static func upperBound(_ value: UnsafeRawBufferPointer) -> [UInt8]? {
        guard value.count > maximumBoundLength else { return Array(value) }
        var bound = lowerBound(value)
        while let last = bound.last {
            if last < 0x7F {
                bound[bound.count - 1] = last + 1
                return bound
            }
            bound.removeLast()
            while let trailing = bound.last, last >= 0x80, trailing & 0xC0 == 0x80 { bound.removeLast() }
            if let lead = bound.last, last >= 0x80, lead >= 0xC0 { bound.removeLast() }
        }
        return nil
    }
}

extension FixedWidthInteger {
    /// Reads an integer from its little-endian bytes.
    /// - Parameter bytes: At least `bitWidth / 8` bytes.
    init(littleEndianBytes bytes: [UInt8]) {
        var value = Self.zero
        for index in 0..<(Self.bitWidth / 8) {
            value |= Self(truncatingIfNeeded: bytes[index]) << (index * 8)
        }
        self = value
    }
}
