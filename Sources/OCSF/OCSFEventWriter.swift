import JSONBytes

/// Writes an OCSF event as JSON, member by member; absent (`nil`) values are left out.
struct OCSFEventWriter {
    private(set) var writer = JSONWriter(capacity: 1_024)
    private var needsComma: [Bool] = []

    /// Starts the top-level object.
    init() {
        writer.appendRaw("{")
        needsComma = [false]
    }

    private mutating func key(_ name: String) {
        if needsComma[needsComma.count - 1] { writer.appendRaw(",") }
        needsComma[needsComma.count - 1] = true
        writer.appendString(name)
        writer.appendRaw(":")
    }

    /// Opens a nested object member.
    mutating func open(_ name: String) {
        key(name)
        writer.appendRaw("{")
        needsComma.append(false)
    }

    /// Opens a nested array member.
    mutating func openArray(_ name: String) {
        key(name)
        writer.appendRaw("[")
        needsComma.append(false)
    }

    /// Opens an object element of the innermost array.
    mutating func openElement() {
        if needsComma[needsComma.count - 1] { writer.appendRaw(",") }
        needsComma[needsComma.count - 1] = true
        writer.appendRaw("{")
        needsComma.append(false)
    }

    /// Closes the innermost object.
    mutating func close() {
        needsComma.removeLast()
        writer.appendRaw("}")
    }

    /// Closes the innermost array.
    mutating func closeArray() {
        needsComma.removeLast()
        writer.appendRaw("]")
    }

    /// A string member.
    mutating func string(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        writer.appendString(value)
    }

    /// An array-of-strings member.
    mutating func strings(_ name: String, _ values: [String]) {
        guard !values.isEmpty else { return }
        key(name)
        writer.appendRaw("[")
        for (index, value) in values.enumerated() {
            if index > 0 { writer.appendRaw(",") }
            writer.appendString(value)
        }
        writer.appendRaw("]")
    }

    /// An integer member.
    mutating func int(_ name: String, _ value: Int64?) {
        guard let value else { return }
        key(name)
        writer.appendInt(value)
    }

    /// A Boolean member.
    mutating func bool(_ name: String, _ value: Bool?) {
        guard let value else { return }
        key(name)
        writer.appendRaw(value ? "true" : "false")
    }

    /// A member whose value is JSON text already.
    mutating func raw(_ name: String, _ json: ArraySlice<UInt8>?) {
        guard let json else { return }
        key(name)
        writer.appendRaw(json)
    }

    /// The classification members: ids, `type_uid`, time and severity.
    mutating func classification(classUID: Int64, activityID: Int64, severityID: Int64, timeMillis: Int64) {
        int("class_uid", classUID)
        int("category_uid", classUID / 1_000)
        int("activity_id", activityID)
        int("type_uid", classUID * 100 + activityID)
        int("severity_id", severityID)
        int("time", timeMillis)
    }

    /// The `metadata` object of a converted event.
    mutating func metadata(product: String, vendor: String, uid: String?, eventCode: String?, logName: String?) {
        open("metadata")
        string("version", OCSFConverter.ocsfVersion)
        open("product")
        string("name", product)
        string("vendor_name", vendor)
        close()
        strings("profiles", ["cloud"])
        string("uid", uid)
        string("event_code", eventCode)
        string("log_name", logName)
        close()
    }

    /// The `cloud` object.
    mutating func cloud(provider: String, region: String?, account: String?) {
        open("cloud")
        string("provider", provider)
        string("region", region)
        if let account {
            open("account")
            string("uid", account)
            close()
        }
        close()
    }

    /// Closes the top-level object and returns the event.
    mutating func finish() -> [UInt8] {
        writer.appendRaw("}")
        return writer.bytes
    }
}
