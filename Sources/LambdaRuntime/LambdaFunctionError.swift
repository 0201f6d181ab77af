import JSONBytes

/// An error the function reports to Lambda (`/init/error` or `/invocation/{id}/error`): the
/// `Lambda-Runtime-Function-Error-Type` header and the `{"errorMessage","errorType","stackTrace"}` body.
public struct LambdaFunctionError: Error, Sendable, Hashable {
    /// The error type, for example `Runtime.ConfigInvalid`; sent as the header and as `errorType`.
    public var errorType: String
    /// A human-readable message; never holds event data or secrets.
    public var errorMessage: String

    /// Creates an error.
    /// - Parameters:
    ///   - errorType: The error type (`Category.Reason`).
    ///   - errorMessage: What went wrong.
    public init(errorType: String, errorMessage: String) {
        self.errorType = errorType
        self.errorMessage = errorMessage
    }

    /// The JSON body: `{"errorMessage":…,"errorType":…,"stackTrace":[]}`.
    public var json: [UInt8] {
        var writer = JSONWriter(capacity: errorMessage.utf8.count + errorType.utf8.count + 64)
        writer.appendRaw("{\"errorMessage\":")
        writer.appendString(errorMessage)
        writer.appendRaw(",\"errorType\":")
        writer.appendString(errorType)
        writer.appendRaw(",\"stackTrace\":[]}")
        return writer.bytes
    }

    /// The error type as a header value: printable ASCII only, anything else replaced by `_`.
    var headerValue: String {
        String(decoding: errorType.utf8.map { (0x21...0x7E).contains($0) ? $0 : UInt8(ascii: "_") }, as: UTF8.self)
    }
}
