#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Page statistics, computed over the values of a page when it is written (see ``ColumnStatistics`` for the order).
extension ColumnChunkWriter {
    /// The bounds of the first `values` values of the page being filled (the null count is left to the caller).
    /// - Parameters:
    ///   - values: The number of values.
    ///   - usesDictionary: Whether byte arrays are held as dictionary indices.
    ///   - plainByteCount: The PLAIN bytes of those values (PLAIN byte-array mode).
    /// - Returns: The statistics without the null count.
    func statistics(values: Int, usesDictionary: Bool, plainByteCount: Int) -> ColumnStatistics {
        var result = ColumnStatistics()
        guard values > 0 else { return result }
        switch physical {
        case .boolean:
            let slice = booleans[0..<values]
            let minimum: UInt8 = slice.contains(false) ? 0 : 1
            let maximum: UInt8 = slice.contains(true) ? 1 : 0
            result.minimum = [minimum]
            result.maximum = [maximum]
        case .int32:
            let slice = int32s[0..<values]
            result.minimum = Self.littleEndian(slice.min()!)
            result.maximum = Self.littleEndian(slice.max()!)
        case .int64:
            let slice = int64s[0..<values]
            result.minimum = Self.littleEndian(slice.min()!)
            result.maximum = Self.littleEndian(slice.max()!)
        case .float:
            let bounds = Self.floatingBounds(floats[0..<values])
            result.minimum = bounds.map { Self.littleEndian($0.minimum.bitPattern) }
            result.maximum = bounds.map { Self.littleEndian($0.maximum.bitPattern) }
            result.hasUnboundedValues = bounds == nil
        case .double:
            let bounds = Self.floatingBounds(doubles[0..<values])
            result.minimum = bounds.map { Self.littleEndian($0.minimum.bitPattern) }
            result.maximum = bounds.map { Self.littleEndian($0.maximum.bitPattern) }
            result.hasUnboundedValues = bounds == nil
        case .byteArray:
            let extremes = usesDictionary ? dictionaryExtremes(values) : plainExtremes(plainByteCount)
            let limit = ColumnStatistics.maximumBoundLength
            result.minimum = extremes.minimum.withUnsafeBytes(ColumnStatistics.lowerBound)
            result.maximum = extremes.maximum.withUnsafeBytes(ColumnStatistics.upperBound)
            result.isMinimumExact = extremes.minimum.count <= limit
            result.isMaximumExact = extremes.maximum.count <= limit
            result.hasUnboundedValues = result.maximum == nil
        }
        return result
    }

    /// The smallest and largest of PLAIN-encoded byte arrays (at least one).
    private func plainExtremes(_ byteCount: Int) -> (minimum: [UInt8], maximum: [UInt8]) {
        plainBytes.withUnsafeBytes { all in
            var offset = 0
            var minimum: UnsafeRawBufferPointer?
            var maximum: UnsafeRawBufferPointer?
            while offset < byteCount {
                let length = Int(all.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
                let value = UnsafeRawBufferPointer(rebasing: all[(offset + 4)..<(offset + 4 + length)])
                if minimum.map({ Self.compare(value, $0) < 0 }) ?? true { minimum = value }
                if maximum.map({ Self.compare(value, $0) > 0 }) ?? true { maximum = value }
                offset += 4 + length
            }
            return (minimum.map { Array($0) } ?? [], maximum.map { Array($0) } ?? [])
        }
    }

    /// The smallest and largest of dictionary-encoded byte arrays (at least one).
    private func dictionaryExtremes(_ values: Int) -> (minimum: [UInt8], maximum: [UInt8]) {
        dictionary.plainBody.withUnsafeBytes { all in
            let entries = dictionary.entries
            func entry(_ index: Int) -> UnsafeRawBufferPointer {
                let location = entries[index]
                return UnsafeRawBufferPointer(rebasing: all[location.start..<(location.start + location.length)])
            }
            var minimumIndex = Int(indices[0])
            var maximumIndex = minimumIndex
            for position in 1..<values {
                let index = Int(indices[position])
                if index == minimumIndex || index == maximumIndex { continue }
                if Self.compare(entry(index), entry(minimumIndex)) < 0 { minimumIndex = index }
                if Self.compare(entry(index), entry(maximumIndex)) > 0 { maximumIndex = index }
            }
            return (Array(entry(minimumIndex)), Array(entry(maximumIndex)))
        }
    }

    /// The bounds of floating-point values without NaN, with -0.0 as a zero minimum and +0.0 as a zero maximum.
    private static func floatingBounds<Value: BinaryFloatingPoint>(
        _ values: ArraySlice<Value>
    ) -> (minimum: Value, maximum: Value)? {
        var bounds: (minimum: Value, maximum: Value)?
        for value in values where !value.isNaN {
            if let current = bounds {
                bounds = (Swift.min(current.minimum, value), Swift.max(current.maximum, value))
            } else {
                bounds = (value, value)
            }
        }
        guard var result = bounds else { return nil }
        if result.minimum == 0 { result.minimum = -0.0 }
        if result.maximum == 0 { result.maximum = 0.0 }
        return result
    }

    /// Unsigned lexicographic comparison: negative, zero or positive.
    static func compare(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
        let common = Swift.min(left.count, right.count)
        if common > 0 {
            let result = memcmp(left.baseAddress!, right.baseAddress!, common)
            if result != 0 { return Int(result) }
        }
        return left.count - right.count
    }

    /// The little-endian bytes of an integer.
    private static func littleEndian<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        (0..<(Value.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
