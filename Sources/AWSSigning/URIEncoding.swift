/// SigV4 `UriEncode`: percent-encoding with the strict unreserved set of RFC 3986.
///
/// Every byte of the UTF-8 form outside `A–Z a–z 0–9 - . _ ~` becomes `%XX` with upper-case hex; `/` is kept only
/// where the caller asks (paths). A space is `%20`, never `+`.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical URI and query).
enum URIEncoding {
    /// Whether `byte` is in the unreserved set `A–Z a–z 0–9 - . _ ~`.
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// Appends the encoding of `bytes` to `out`.
    ///
    /// - Parameters:
    ///   - bytes: The raw bytes (UTF-8 of a string).
    ///   - keepingSlash: Whether `/` stays literal (paths) or becomes `%2F` (query names and values).
    ///   - out: The buffer to append to.
    static func append(_ bytes: String.UTF8View, keepingSlash: Bool, to out: inout [UInt8]) {
        let appended: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            append(buffer, keepingSlash: keepingSlash, to: &out)
        }
        if appended == nil {
            Array(bytes).withUnsafeBufferPointer { append($0, keepingSlash: keepingSlash, to: &out) }
        }
    }

    /// Appends the encoding of `bytes` to `out`, copying runs of bytes that need no escape in one step.
    ///
    /// - Parameters:
    ///   - bytes: The raw bytes.
    ///   - keepingSlash: Whether `/` stays literal.
    ///   - out: The buffer to append to.
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, keepingSlash: Bool, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + bytes.count)
        var runStart = 0
        for (index, byte) in bytes.enumerated()
        where !(isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/"))) {
            if runStart < index { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index])) }
            out.append(UInt8(ascii: "%"))
            out.append(upperHexDigits[Int(byte >> 4)])
            out.append(upperHexDigits[Int(byte & 0x0F)])
            runStart = index + 1
        }
        if runStart < bytes.count {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
        }
    }

    /// Encodes a string.
    ///
    /// - Parameters:
    ///   - string: The raw text.
    ///   - keepingSlash: Whether `/` stays literal.
    /// - Returns: The encoded text (ASCII).
    static func encode(_ string: String, keepingSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(string.utf8.count + 16)
        append(string.utf8, keepingSlash: keepingSlash, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes `%XX` escapes; every other byte is kept as it is (`+` stays `+`).
    ///
    /// - Parameter text: Percent-encoded text, such as one name or value of a query string.
    /// - Returns: The decoded text, or `nil` when an escape is malformed or the result is not valid UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            bytes.append(high << 4 | low)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    /// The value of one hexadecimal digit (either case), or `nil`.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// Upper-case hexadecimal digits as ASCII bytes.
    static let upperHexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
}
