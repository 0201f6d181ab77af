/// Firehose request ids: random (version 4) UUIDs in lowercase 8-4-4-4-12 form.
public enum RequestID {
    /// Makes a new random UUID from the system's cryptographic random source.
    ///
    /// - Returns: For example `"1f0e2d3c-4b5a-4697-8887-a9b0c1d2e3f4"`.
    public static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    /// Makes a version 4 UUID from `generator` (RFC 9562 §5.4: version bits `0100`, variant bits `10`).
    ///
    /// - Parameter generator: The random source.
    /// - Returns: The UUID text.
    public static func make<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            bytes[index] = generator.next()
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(36)
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 {
                text.append(UInt8(ascii: "-"))
            }
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
