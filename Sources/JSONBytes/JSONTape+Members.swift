extension JSONTape {
    /// Walks the members of an object over unsafe buffers (no bounds checks or array copies per member), the one
    /// loop behind every member lookup of the module.
    /// - Parameters:
    ///   - object: a node; nothing is walked unless it is an object.
    ///   - body: gets the key node, the value node, whether the key has escapes, and the key's raw name bytes
    ///     (between the quotes, escapes not decoded); returns whether to go on.
    @inline(__always)
    func walkMembers(
        of object: Int,
        _ body: (_ key: Int, _ value: Int, _ hasEscapes: Bool, _ name: UnsafeBufferPointer<UInt8>) -> Bool
    ) {
        nodes.withUnsafeBufferPointer { nodes in
            source.withUnsafeBufferPointer { source in
                guard nodes[object].kind == .object else { return }
                var position = object + 1
                let end = Int(nodes[object].next)
                while position < end {
                    let key = nodes[position]
                    let value = position + 1
                    position = Int(nodes[value].next)
                    let name = UnsafeBufferPointer(rebasing: source[Int(key.start) + 1..<Int(key.end) - 1])
                    guard body(value - 1, value, key.hasEscapes, name) else { return }
                }
            }
        }
    }
}
