import JSONBytes
import Mapping

/// The body of one `POST /v1/map` call:
/// `{"frameworks":[…],"min_confidence":"Low","topk":3,"documents":[{"id":"0","document":"…"}]}`.
///
/// Document ids are the documents' positions in the call (`"0"`, `"1"`, …), which is how answers are matched
/// back to texts.
enum MapRequestBody {
    /// Bytes the body takes besides its documents (frameworks, threshold, topk, brackets), generously.
    static let envelopeBytes = 512
    /// Bytes one document adds besides its escaped text: `{"id":"123","document":""},`.
    static let perDocumentBytes = 32

    /// Encodes a call.
    /// - Parameters:
    ///   - documents: The texts, already cut to the per-document limit.
    ///   - options: Validated options.
    /// - Returns: JSON bytes.
    static func encode(_ documents: [String], options: MappingOptions) -> [UInt8] {
        var writer = JSONWriter(capacity: envelopeBytes + documents.reduce(0) { $0 + $1.utf8.count + 40 })
        writer.appendRaw("{\"frameworks\":[")
        for (index, framework) in options.frameworks.enumerated() {
            if index > 0 { writer.appendRaw(",") }
            writer.appendString(framework.rawValue)
        }
        writer.appendRaw("],")
        switch options.threshold {
        case .minSimilarity(let value):
            writer.appendRaw("\"min_similarity\":")
            writer.appendDecimal(value, decimals: 4)
        case .minConfidence(let confidence):
            writer.appendRaw("\"min_confidence\":")
            writer.appendString(confidence.rawValue)
        }
        writer.appendRaw(",\"topk\":")
        writer.appendInt(Int64(options.topK))
        writer.appendRaw(",\"documents\":[")
        for (index, document) in documents.enumerated() {
            writer.appendRaw(index == 0 ? "{\"id\":\"" : ",{\"id\":\"")
            writer.appendRaw(String(index).utf8)
            writer.appendRaw("\",\"document\":")
            writer.appendString(document)
            writer.appendRaw("}")
        }
        writer.appendRaw("]}")
        return writer.bytes
    }

    /// The bytes a document adds to a body: its escaped text plus the id and punctuation.
    /// - Parameter document: The text.
    /// - Returns: Bytes.
    static func cost(of document: String) -> Int {
        var bytes = perDocumentBytes
        for byte in document.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes += 2
            case 0..<0x20: bytes += 6
            default: bytes += 1
            }
        }
        return bytes
    }

    /// The text cut to at most `limit` UTF-8 bytes, at a Unicode scalar boundary.
    /// - Parameters:
    ///   - text: The text.
    ///   - limit: The most bytes.
    /// - Returns: The text, or its longest prefix that fits.
    static func truncated(_ text: String, toUTF8 limit: Int) -> String {
        let utf8 = text.utf8
        guard utf8.count > limit else { return text }
        var end = utf8.index(utf8.startIndex, offsetBy: max(0, limit))
        while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
            end = utf8.index(before: end)
        }
        return String(decoding: utf8[..<end], as: UTF8.self)
    }
}
