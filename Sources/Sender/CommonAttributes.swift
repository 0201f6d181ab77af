import JSONBytes

/// Validation of the `X-Amz-Firehose-Common-Attributes` header value.
public enum CommonAttributes {
    /// The most attributes Firehose allows.
    public static let maxCount = 50
    /// The longest attribute name, in characters.
    public static let maxNameLength = 256
    /// The longest attribute value, in characters.
    public static let maxValueLength = 1_024

    /// Checks a common-attributes document and returns it compacted for use as a header value.
    ///
    /// The document must be `{"commonAttributes":{name:value,…}}` with only that member, at most 50 pairs,
    /// string values, non-blank names of 1–256 characters and values of 0–1,024 characters.
    ///
    /// - Parameter json: The document as typed by the user.
    /// - Returns: The same document without insignificant whitespace.
    /// - Throws: ``SenderError`` with code `invalidArgument` explaining the first problem.
    public static func validate(_ json: String) throws(SenderError) -> String {
        func reject(_ problem: String) -> SenderError {
            SenderError(code: .invalidArgument, message: "--common-attributes: \(problem)")
        }
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: Array(json.utf8))
        } catch {
            throw reject("\(error)")
        }
        let root = tape.rootIndex
        guard tape.kind(root) == .object, tape.count(root) == 1,
            let attributes = tape.value(forKey: "commonAttributes", in: root)
        else {
            throw reject(#"expected {"commonAttributes":{"name":"value",…}}"#)
        }
        guard tape.kind(attributes) == .object else { throw reject("commonAttributes is not an object") }
        guard tape.count(attributes) <= maxCount else { throw reject("more than \(maxCount) attributes") }
        for member in tape.members(attributes) {
            let name = tape.string(member.key) ?? ""
            guard name.count >= 1, name.count <= maxNameLength, !name.allSatisfy(\.isWhitespace) else {
                throw reject("attribute names must be 1–\(maxNameLength) characters and not blank")
            }
            guard let value = tape.string(member.value) else {
                throw reject("the value of \"\(name)\" is not a string")
            }
            guard value.count <= maxValueLength else {
                throw reject("the value of \"\(name)\" is longer than \(maxValueLength) characters")
            }
        }
        return String(decoding: JSONCompactor.compact(tape.rawBytes(root)), as: UTF8.self)
    }
}
