import JSONBytes

/// The CloudWatch Logs subscription envelope around one log event (`DATA_MESSAGE`), kept beside the event so it
/// can be stored with it.
public struct CloudWatchLogsContext: Sendable, Hashable {
    /// The account id that owns the log group.
    public var owner: String
    /// The log group name.
    public var logGroup: String
    /// The log stream name.
    public var logStream: String
    /// The names of the subscription filters that matched.
    public var subscriptionFilters: [String]
    /// The log event id, a decimal string of about 56 digits, kept as text.
    public var id: String
    /// The log event time in milliseconds since the Unix epoch, when present.
    public var timestampMillis: Int64?

    /// Creates a context.
    /// - Parameters:
    ///   - owner: The owning account id.
    ///   - logGroup: The log group name.
    ///   - logStream: The log stream name.
    ///   - subscriptionFilters: The matching subscription filter names.
    ///   - id: The log event id.
    ///   - timestampMillis: The log event time in milliseconds, if known.
    public init(
        owner: String,
        logGroup: String,
        logStream: String,
        subscriptionFilters: [String],
        id: String,
        timestampMillis: Int64?
    ) {
        self.owner = owner
        self.logGroup = logGroup
        self.logStream = logStream
        self.subscriptionFilters = subscriptionFilters
        self.id = id
        self.timestampMillis = timestampMillis
    }

    /// Renders the context as one JSON object:
    /// `{"owner":…,"logGroup":…,"logStream":…,"subscriptionFilters":[…],"id":"…","timestamp":…}`, with
    /// `"timestamp":null` when the time is unknown.
    /// - Returns: The JSON text.
    public func json() -> [UInt8] {
        var writer = JSONWriter(capacity: 128 + owner.utf8.count + logGroup.utf8.count + logStream.utf8.count)
        writer.appendRaw("{\"owner\":")
        writer.appendString(owner)
        writer.appendRaw(",\"logGroup\":")
        writer.appendString(logGroup)
        writer.appendRaw(",\"logStream\":")
        writer.appendString(logStream)
        writer.appendRaw(",\"subscriptionFilters\":[")
        for (index, filter) in subscriptionFilters.enumerated() {
            if index > 0 { writer.appendRaw(",") }
            writer.appendString(filter)
        }
        writer.appendRaw("],\"id\":")
        writer.appendString(id)
        writer.appendRaw(",\"timestamp\":")
        if let timestampMillis {
            writer.appendInt(timestampMillis)
        } else {
            writer.appendRaw("null")
        }
        writer.appendRaw("}")
        return writer.bytes
    }
}
