/// An ordered list of header fields with case-insensitive lookup by name.
///
/// The order of fields and repeated names are kept exactly as received or added, so a message can be
/// re-serialized faithfully. Lookups compare names without regard to ASCII case.
public struct HTTPHeaders: Sendable, Hashable {
    /// The fields in order.
    public private(set) var fields: [HTTPField]

    /// Creates an empty header list.
    public init() {
        self.fields = []
    }

    /// Creates a header list from fields in order.
    /// - Parameter fields: The fields, kept in the given order.
    public init(_ fields: [HTTPField]) {
        self.fields = fields
    }

    /// The number of field lines.
    public var count: Int { self.fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { self.fields.isEmpty }

    /// The value of the first field named `name`, or `nil` when there is none.
    /// - Parameter name: The field name, compared without regard to ASCII case.
    public subscript(name: String) -> String? {
        for field in self.fields where ASCII.caseInsensitiveEquals(field.name, name) {
            return field.value
        }
        return nil
    }

    /// The values of every field named `name`, in order.
    /// - Parameter name: The field name, compared without regard to ASCII case.
    /// - Returns: The values; empty when the field is absent.
    public func values(for name: String) -> [String] {
        var result: [String] = []
        for field in self.fields where ASCII.caseInsensitiveEquals(field.name, name) {
            result.append(field.value)
        }
        return result
    }

    /// Whether at least one field is named `name`.
    /// - Parameter name: The field name, compared without regard to ASCII case.
    /// - Returns: `true` when the field is present.
    public func contains(_ name: String) -> Bool {
        self.fields.contains { ASCII.caseInsensitiveEquals($0.name, name) }
    }

    /// Whether the comma-separated list values of the fields named `name` contain `token`.
    ///
    /// Used for list-valued fields such as `Connection` or `Transfer-Encoding`.
    /// - Parameters:
    ///   - token: The element to look for, compared without regard to ASCII case.
    ///   - name: The field name.
    /// - Returns: `true` when one list element equals `token`.
    public func containsToken(_ token: String, in name: String) -> Bool {
        for value in self.values(for: name) {
            for element in ASCII.listElements(value) where ASCII.caseInsensitiveEquals(element, token) {
                return true
            }
        }
        return false
    }

    /// Appends a field, keeping any existing fields with the same name.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value.
    public mutating func add(name: String, value: String) {
        self.fields.append(HTTPField(name: name, value: value))
    }

    /// Replaces every field named `name` by a single field with `value`.
    ///
    /// The new field takes the position of the first existing one, or is appended when there was none.
    /// - Parameters:
    ///   - name: The field name, compared without regard to ASCII case.
    ///   - value: The new value.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let first = self.fields.firstIndex(where: { ASCII.caseInsensitiveEquals($0.name, name) }) else {
            self.add(name: name, value: value)
            return
        }
        self.fields[first] = HTTPField(name: name, value: value)
        var index = self.fields.count - 1
        while index > first {
            if ASCII.caseInsensitiveEquals(self.fields[index].name, name) {
                self.fields.remove(at: index)
            }
            index -= 1
        }
    }

    /// Removes every field named `name`.
    /// - Parameter name: The field name, compared without regard to ASCII case.
    public mutating func remove(name: String) {
        self.fields.removeAll { ASCII.caseInsensitiveEquals($0.name, name) }
    }
}

extension HTTPHeaders: Sequence {
    /// Returns an iterator over the fields in order.
    /// - Returns: The iterator.
    public func makeIterator() -> IndexingIterator<[HTTPField]> {
        self.fields.makeIterator()
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// Creates a header list from a literal; repeated names are kept in order.
    /// - Parameter elements: The name and value pairs.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.fields = elements.map { HTTPField(name: $0.0, value: $0.1) }
    }
}
