import JSONBytes

/// One event ready for enrichment: a complete JSON object text plus where it came from.
public struct InputEvent: Sendable {
    /// Exactly one JSON object text. For a record that was a JSON object these are the record's bytes unchanged
    /// (surrounding whitespace included); for anything else a wrapper object built by ``RecordUnpacker``.
    public var bytes: [UInt8]
    /// Whether ``bytes`` is a wrapper (`{"_raw":…}` or `{"_raw_base64":…}`) around data that was not a JSON
    /// object.
    public var isWrapped: Bool
    /// The CloudWatch Logs envelope the event came from, when it was a `logEvents[]` element.
    public var cloudWatch: CloudWatchLogsContext?
    /// Why the event is wrapped or what was unusual about decoding it, for logs and counters.
    public var decodeNote: String?
    /// The parsed ``bytes`` when the unpacker already parsed them, so the pipeline does not parse twice.
    public var tape: JSONTape?

    /// Creates an event.
    /// - Parameters:
    ///   - bytes: One JSON object text.
    ///   - isWrapped: Whether `bytes` is a wrapper around non-object data. Default: `false`.
    ///   - cloudWatch: The CloudWatch Logs envelope, if any. Default: `nil`.
    ///   - decodeNote: What was unusual, if anything. Default: `nil`.
    public init(
        bytes: [UInt8],
        isWrapped: Bool = false,
        cloudWatch: CloudWatchLogsContext? = nil,
        decodeNote: String? = nil,
        tape: JSONTape? = nil
    ) {
        self.bytes = bytes
        self.isWrapped = isWrapped
        self.cloudWatch = cloudWatch
        self.decodeNote = decodeNote
        self.tape = tape
    }
}
