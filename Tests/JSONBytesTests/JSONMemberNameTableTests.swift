import JSONBytes
import Testing

/// `JSONMemberNameTable` reports, in one pass, the bits of the names an object has, as a case-insensitive lookup per
/// name would find them (escaped names excepted: they add `escapedBits`).
@Suite struct JSONMemberNameTableTests {
    private static let names = [
        "eventSource", "eventName", "eventname", "awsRegion", "a", "detail-type", "class_uid", "eventType", "Missing",
    ]
    private static let table = JSONMemberNameTable(
        names.enumerated().map { (Array($0.element.utf8), UInt64(1) << UInt64($0.offset)) }
    )

    /// The table's answer and one lookup per name, for every object of a document.
    private func expectSameAsLookups(_ text: String) throws {
        let tape = try JSONTape(parsing: Array(text.utf8))
        for node in 0..<tape.nodeCount {
            var expected: UInt64 = 0
            for (index, name) in Self.names.enumerated()
            where tape.value(forKeyCaseInsensitive: name, in: node) != nil {
                // "eventName" and "eventname" fold to one name, which holds both bits.
                expected |= UInt64(1) << UInt64(index)
                if index == 1 || index == 2 { expected |= 0b110 }
            }
            #expect(Self.table.bits(ofMembersOf: node, in: tape, escapedBits: 0) == expected, "\(text) node \(node)")
        }
    }

    @Test(arguments: [
        #"{"eventSource":"s3","EVENTNAME":"x","AwsRegion":"r","A":1,"detail-type":"t","class_uid":2}"#,
        #"{"eventNxme":1,"eventNames":2,"eventNam":3,"eventtype":4,"":5,"b":6}"#,
        #"{"missing":{"MISSING":1},"list":[{"a":1},{"awsregion":2}]}"#,
        #"[{"a":1},"eventName",3]"#,
        #"{}"#,
    ])
    func findsWhatALookupPerNameFinds(_ text: String) throws {
        try expectSameAsLookups(text)
    }

    @Test func escapedNamesAddTheEscapedBitsInsteadOfBeingMatched() throws {
        let tape = try JSONTape(parsing: Array(#"{"event\u004eame":1,"a":2}"#.utf8))
        #expect(Self.table.bits(ofMembersOf: 0, in: tape, escapedBits: 0) == 1 << 4)
        #expect(Self.table.bits(ofMembersOf: 0, in: tape, escapedBits: UInt64.max) == UInt64.max)
    }

    @Test func manyNamesInFewBucketsAreAllFound() throws {
        // 600 names, more than the table's buckets: every bucket holds several, each still found as itself.
        let names = (0..<600).map { "name\($0)" }
        let table = JSONMemberNameTable(names.enumerated().map { (Array($0.element.utf8), UInt64($0.offset + 1)) })
        for (index, name) in names.enumerated() {
            let tape = try JSONTape(parsing: Array(#"{"x":0,"\#(name.uppercased())":1}"#.utf8))
            #expect(table.bits(ofMembersOf: 0, in: tape, escapedBits: 0) == UInt64(index + 1), "\(name)")
        }
    }
}
