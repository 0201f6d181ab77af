import JSONBytes

/// The JSON body Firehose requires in every response (AWS "HTTP endpoint delivery request and response
/// specifications"): the echoed `requestId`, a numeric millisecond `timestamp`, and an `errorMessage` on failure.
public enum FirehoseResponse {
    /// The only content type Firehose accepts in a response.
    public static let contentType = "application/json"

    /// Renders a response body.
    ///
    /// Success: `{"requestId":"…","timestamp":1733300000123}`. Failure adds `"errorMessage":"…"`, truncated to
    /// 8192 characters on a character boundary. Strings are escaped with JSON rules (quotes, backslashes and
    /// every control character; non-ASCII is written as UTF-8).
    /// - Parameters:
    ///   - requestID: The request id to echo (the `X-Amz-Firehose-Request-Id` header value).
    ///   - timestampMillis: The response time in milliseconds since the Unix epoch.
    ///   - errorMessage: The failure explanation, or `nil` on success.
    /// - Returns: The body bytes.
    public static func body(requestID: String, timestampMillis: Int64, errorMessage: String?) -> [UInt8] {
        var writer = JSONWriter(capacity: 64 + requestID.utf8.count + (errorMessage?.utf8.count ?? 0))
        writer.appendRaw("{\"requestId\":")
        writer.appendString(requestID)
        writer.appendRaw(",\"timestamp\":")
        writer.appendInt(timestampMillis)
        if let errorMessage {
            writer.appendRaw(",\"errorMessage\":")
            writer.appendString(truncated(errorMessage, to: FirehoseError.maximumMessageLength))
        }
        writer.appendRaw("}")
        return writer.bytes
    }

    /// Cuts a string to at most `limit` characters, counted both as Unicode scalars and as UTF-16 code units
    /// (the unit a Java-based consumer counts), always on a scalar boundary so the UTF-8 stays valid.
    /// - Parameters:
    ///   - text: The string.
    ///   - limit: The largest allowed length.
    /// - Returns: `text` itself when it fits, otherwise its longest fitting prefix.
    static func truncated(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        var units = 0
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            units += scalar.utf16.count
            if units > limit { break }
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
