import JSONBytes

extension RecordUnpacker {
    /// Turns a CloudWatch Logs `DATA_MESSAGE` into one event per `logEvents[]` element.
    ///
    /// A message that decodes to a JSON object becomes the event bytes; any other message is wrapped as
    /// `{"_raw":<message string>}` with the original JSON string escapes kept. A log event that is not an object,
    /// or that has no `message`, is wrapped too. More than ``Limits/maxEventsPerRecord`` events wrap the whole
    /// document instead.
    func unpackCloudWatch(_ tape: JSONTape, logEvents: Int) -> UnpackedRecord {
        let root = tape.rootIndex
        guard tape.count(logEvents) <= limits.maxEventsPerRecord else {
            return .events([Self.wrap(tape.source, note: "CloudWatch message has too many log events")])
        }
        let owner = text(tape, tape.value(forKey: "owner", in: root))
        let logGroup = text(tape, tape.value(forKey: "logGroup", in: root))
        let logStream = text(tape, tape.value(forKey: "logStream", in: root))
        var filters: [String] = []
        if let node = tape.value(forKey: "subscriptionFilters", in: root) {
            filters = tape.children(node).compactMap { tape.string($0) }
        }
        var events: [InputEvent] = []
        for logEvent in tape.children(logEvents) {
            var context = CloudWatchLogsContext(
                owner: owner,
                logGroup: logGroup,
                logStream: logStream,
                subscriptionFilters: filters,
                id: "",
                timestampMillis: nil
            )
            guard tape.kind(logEvent) == .object else {
                events.append(Self.wrapValue(tape, logEvent, context: context, note: "log event is not an object"))
                continue
            }
            context.id = text(tape, tape.value(forKey: "id", in: logEvent))
            context.timestampMillis = tape.value(forKey: "timestamp", in: logEvent).flatMap { milliseconds(tape, $0) }
            events.append(event(tape, logEvent: logEvent, context: context))
        }
        return .events(events)
    }

    /// The event for one log event object.
    private func event(_ tape: JSONTape, logEvent: Int, context: CloudWatchLogsContext) -> InputEvent {
        guard let message = tape.value(forKey: "message", in: logEvent) else {
            return InputEvent(bytes: Array("{\"_raw\":\"\"}".utf8), isWrapped: true, cloudWatch: context,
                              decodeNote: "log event has no message")
        }
        switch tape.kind(message) {
        case .string:
            if let decoded = tape.stringBytes(message), Self.startsWithBrace(decoded[...]),
                let parsed = parseObject(decoded)
            {
                return InputEvent(bytes: decoded, cloudWatch: context, tape: parsed)
            }
            return Self.wrapValue(tape, message, context: context, note: "log message is not a JSON object")
        case .object:
            return InputEvent(bytes: Array(tape.rawBytes(message)), cloudWatch: context)
        default:
            return Self.wrapValue(tape, message, context: context, note: "log message is not a string")
        }
    }

    /// A string field's value, or a number's digits, or `""`.
    private func text(_ tape: JSONTape, _ node: Int?) -> String {
        guard let node else { return "" }
        switch tape.kind(node) {
        case .string: return tape.string(node) ?? ""
        case .number: return String(decoding: tape.rawBytes(node), as: UTF8.self)
        default: return ""
        }
    }

    /// A millisecond timestamp from an integer, or a whole-valued number in range.
    private func milliseconds(_ tape: JSONTape, _ node: Int) -> Int64? {
        if let value = tape.int64(node) { return value }
        guard let value = tape.double(node), value.isFinite, value.rounded() == value,
            abs(value) < 9.0e15
        else { return nil }
        return Int64(value)
    }
}
