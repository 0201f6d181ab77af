/// The canonical query string of SigV4.
///
/// Each name and value is `UriEncode`d (with `/` encoded), the pairs are sorted by encoded name and then by encoded
/// value (byte order), and they are joined as `name=value` with `&`.
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (canonical query string).
enum CanonicalQuery {
    /// One encoded parameter.
    struct Pair {
        /// The encoded name.
        var name: [UInt8]
        /// The encoded value.
        var value: [UInt8]
    }

    /// Encodes items without sorting them.
    ///
    /// - Parameter items: Decoded names and values.
    /// - Returns: The encoded pairs in the same order.
    static func pairs(_ items: [(name: String, value: String)]) -> [Pair] {
        items.map { item in
            var name: [UInt8] = []
            var value: [UInt8] = []
            URIEncoding.append(item.name.utf8, keepingSlash: false, to: &name)
            URIEncoding.append(item.value.utf8, keepingSlash: false, to: &value)
            return Pair(name: name, value: value)
        }
    }

    /// Sorts pairs by name, then value, and joins them.
    ///
    /// - Parameter pairs: Encoded pairs in any order.
    /// - Returns: The canonical query string bytes (empty when there are no pairs).
    static func join(_ pairs: [Pair]) -> [UInt8] {
        let sorted = pairs.sorted { left, right in
            if left.name != right.name { return left.name.lexicographicallyPrecedes(right.name) }
            return left.value.lexicographicallyPrecedes(right.value)
        }
        var out: [UInt8] = []
        out.reserveCapacity(sorted.reduce(0) { $0 + $1.name.count + $1.value.count + 2 })
        for (index, pair) in sorted.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            out.append(contentsOf: pair.name)
            out.append(UInt8(ascii: "="))
            out.append(contentsOf: pair.value)
        }
        return out
    }

    /// Encodes, sorts and joins items.
    ///
    /// - Parameter items: Decoded names and values.
    /// - Returns: The canonical query string bytes.
    static func encode(_ items: [(name: String, value: String)]) -> [UInt8] {
        join(pairs(items))
    }
}
