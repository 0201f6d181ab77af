import JSONBytes

/// Where an event keeps its fields and what its objects are, found once per event and shared by
/// ``EventMetadata/read(from:layout:)`` and ``TextExtractor/extract(from:layout:)``, which would otherwise each
/// locate the candidate objects and classify the same objects again.
public struct EventLayout: Sendable {
    /// The objects fields are looked up in, as groups whose texts are joined (see
    /// ``TextExtractor``): the root, then `detail` and `detail.findings[]`, then an `event` envelope.
    public let groups: [[Int]]
    /// The kind of the root object, or ``EventKind/raw`` when the root is not an object.
    public let rootKind: EventKind
    /// The first object of the second group (the `detail` or `event` member), when there is one.
    public let innerObject: Int?
    /// The kind of ``innerObject``, classified only when the root is a generic JSON or EventBridge event.
    public let innerKind: EventKind?

    /// Finds the layout of an event.
    /// - Parameter tape: the parsed event.
    public init(_ tape: JSONTape) {
        let root = tape.rootIndex
        groups = TextExtractor.candidateObjects(in: tape)
        rootKind = tape.kind(root) == .object ? EventKind.classify(tape, object: root) : .raw
        innerObject = groups.count > 1 ? groups[1].first : nil
        if rootKind == .json || rootKind == .eventBridge, let innerObject {
            innerKind = EventKind.classify(tape, object: innerObject)
        } else {
            innerKind = nil
        }
    }

    /// The kind of an object of the event: the known kinds of the root and inner object, else a new
    /// classification.
    /// - Parameters:
    ///   - object: an object node of the event.
    ///   - tape: the parsed event.
    /// - Returns: the object's kind.
    public func kind(of object: Int, in tape: JSONTape) -> EventKind {
        if object == tape.rootIndex { return rootKind }
        if object == innerObject, let innerKind { return innerKind }
        return EventKind.classify(tape, object: object)
    }
}
