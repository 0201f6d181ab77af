import Codecs
import JSONBytes

extension RecordUnpacker {
    /// Wraps bytes that are not a JSON object: `{"_raw":"<text>"}` for valid UTF-8, else `{"_raw_base64":"…"}`.
    /// - Parameters:
    ///   - bytes: The data to keep.
    ///   - note: Why it is wrapped.
    /// - Returns: A wrapped event.
    static func wrap(_ bytes: [UInt8], note: String) -> InputEvent {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            var writer = JSONWriter(capacity: Base64.encodedCount(of: bytes.count) + 20)
            writer.appendRaw("{\"_raw_base64\":\"")
            writer.appendRaw(Base64.encode(bytes))
            writer.appendRaw("\"}")
            return InputEvent(bytes: writer.bytes, isWrapped: true, decodeNote: note + "; not valid UTF-8")
        }
        var writer = JSONWriter(capacity: bytes.count + 16)
        writer.appendRaw("{\"_raw\":")
        writer.appendString(text)
        writer.appendRaw("}")
        return InputEvent(bytes: writer.bytes, isWrapped: true, decodeNote: note)
    }

    /// Wraps bytes that could not be decoded at all, with the reason:
    /// `{"_raw_base64":"…","_decode_error":"…"}`.
    /// - Parameters:
    ///   - bytes: The original data, kept losslessly.
    ///   - decodeError: What failed.
    /// - Returns: A wrapped event.
    static func wrapBase64(_ bytes: [UInt8], decodeError: String) -> InputEvent {
        var writer = JSONWriter(capacity: Base64.encodedCount(of: bytes.count) + decodeError.utf8.count + 40)
        writer.appendRaw("{\"_raw_base64\":\"")
        writer.appendRaw(Base64.encode(bytes))
        writer.appendRaw("\",\"_decode_error\":")
        writer.appendString(decodeError)
        writer.appendRaw("}")
        return InputEvent(bytes: writer.bytes, isWrapped: true, decodeNote: decodeError)
    }

    /// Wraps a JSON value that is not an object: `{"_raw":<value>}`, the value's JSON text copied unchanged.
    /// - Parameters:
    ///   - tape: The parsed text holding the value.
    ///   - node: The value.
    ///   - context: The CloudWatch envelope, if any.
    ///   - note: Why it is wrapped.
    /// - Returns: A wrapped event.
    static func wrapValue(
        _ tape: JSONTape,
        _ node: Int,
        context: CloudWatchLogsContext?,
        note: String
    ) -> InputEvent {
        let raw = tape.rawBytes(node)
        var writer = JSONWriter(capacity: raw.count + 10)
        writer.appendRaw("{\"_raw\":")
        writer.appendRaw(raw)
        writer.appendRaw("}")
        return InputEvent(bytes: writer.bytes, isWrapped: true, cloudWatch: context, decodeNote: note)
    }

    /// Whether a byte range is empty or only JSON whitespace.
    static func isBlank(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }

    /// Whether the bytes start with the UTF-8 byte order mark `EF BB BF`.
    static func hasByteOrderMark(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.count >= 3 && bytes[bytes.startIndex] == 0xEF && bytes[bytes.startIndex + 1] == 0xBB
            && bytes[bytes.startIndex + 2] == 0xBF
    }

    /// Whether the first non-whitespace byte is `{`.
    static func startsWithBrace(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) } == UInt8(ascii: "{")
    }
}
