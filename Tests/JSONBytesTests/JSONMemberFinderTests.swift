import JSONBytes
import Testing

/// `JSONMemberFinder` finds, in one pass, what a case-insensitive `value(forKeyUTF8:in:caseInsensitive:)` per name
/// finds.
@Suite struct JSONMemberFinderTests {
    private static let names: [StaticString] = ["eventName", "errorCode", "a", "userIdentity", "Missing"]

    /// The one-pass answer and a lookup per name, for every object of a document.
    private func expectSameAsLookups(_ text: String) throws {
        let tape = try JSONTape(parsing: Array(text.utf8))
        let finder = JSONMemberFinder(Self.names)
        for node in 0..<tape.nodeCount {
            let found = finder.values(in: tape, object: node)
            for (index, name) in Self.names.enumerated() {
                let single = name.withUTF8Buffer { tape.value(forKeyUTF8: $0, in: node, caseInsensitive: true) }
                #expect(found[index] == Int32(single ?? -1), "\(text) node \(node) name \(name)")
            }
        }
    }

    @Test(arguments: [
        #"{"eventName":"A","errorCode":"x","a":1,"userIdentity":{"a":2}}"#,
        #"{"EVENTNAME":"folded","eventName":"exact","eventname":"later"}"#,
        #"{"eventname":"first","EventName":"second"}"#,
        #"{"eventName":"one","eventName":"two","A":3,"a":4}"#,
        #"{"event\u004eame":"escaped","errorCod\u0065":"escaped too","\u0041":5}"#,
        #"{"eventNames":1,"eventNam":2,"":3,"missing":{"Missing":4}}"#,
        #"[{"a":1},{"A":2},"eventName",3]"#,
        #"{}"#,
        #""a""#,
    ])
    func findsWhatOneLookupPerNameFinds(text: String) throws {
        try expectSameAsLookups(text)
    }
}
