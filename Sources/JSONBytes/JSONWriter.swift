/// Appends JSON text to a byte buffer; strings are escaped per RFC 8259.
public struct JSONWriter: Sendable {
    /// The text written so far.
    public var bytes: [UInt8]

    /// Creates a writer.
    /// - Parameter capacity: bytes to reserve up front.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends a quoted, escaped string.
    /// - Parameter string: the value.
    public mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { appendString(utf8: $0) }
    }

    /// Appends a quoted, escaped string given as UTF-8 bytes (invalid UTF-8 is copied as is).
    /// - Parameter utf8: the value's bytes.
    public mutating func appendString(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
            appendEscape(byte)
            runStart = index + 1
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends bytes that are already JSON text.
    /// - Parameter raw: the text.
    public mutating func appendRaw(_ raw: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: raw.utf8Start, count: raw.utf8CodeUnitCount))
    }

    /// Appends bytes that are already JSON text.
    /// - Parameter raw: the text.
    public mutating func appendRaw<Bytes: Sequence>(_ raw: Bytes) where Bytes.Element == UInt8 {
        bytes.append(contentsOf: raw)
    }

    /// Appends an integer.
    /// - Parameter value: the number.
    public mutating func appendInt(_ value: Int64) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Appends a number rounded to a fixed count of decimals, without trailing zeros (`0.9`, `1`, `0.25`).
    /// - Parameters:
    ///   - value: a finite number (non-finite values are written as `0`).
    ///   - decimals: digits after the point, 0…9.
    public mutating func appendDecimal(_ value: Double, decimals: Int) {
        guard value.isFinite else {
            bytes.append(UInt8(ascii: "0"))
            return
        }
        let clampedDecimals = max(0, min(9, decimals))
        var scale: Int64 = 1
        for _ in 0..<clampedDecimals { scale *= 10 }
        let scaled = Int64((abs(value) * Double(scale)).rounded())
        if value < 0 && scaled != 0 { bytes.append(UInt8(ascii: "-")) }
        bytes.append(contentsOf: String(scaled / scale).utf8)
        var fraction = scaled % scale
        guard fraction != 0 else { return }
        var digits = clampedDecimals
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        bytes.append(UInt8(ascii: "."))
        let text = String(fraction)
        for _ in text.count..<digits { bytes.append(UInt8(ascii: "0")) }
        bytes.append(contentsOf: text.utf8)
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): bytes.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
        }
    }
}
