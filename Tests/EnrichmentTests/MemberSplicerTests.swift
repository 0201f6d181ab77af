import Enrichment
import Foundation
import JSONBytes
import Testing

@Suite struct MemberSplicerTests {
    private let compliance = Array(#"[{"framework_id":"nist_800_53_r5","control_id":"IA-2(1)"}]"#.utf8)

    private func splice(_ text: String, name: String = "secberus_compliance") throws -> String {
        let tape = try JSONTape(parsing: Array(text.utf8))
        var output: [UInt8] = []
        #expect(MemberSplicer().splice(tape, members: [.init(name: name, value: compliance)], into: &output))
        return String(decoding: output, as: UTF8.self)
    }

    @Test func insertsBeforeClosingBrace() throws {
        let out = try splice(#"{"a":1.0,"b":1e3,"c":12345678901234567890,"d":"\u00e9\n"}"#)
        #expect(
            out == #"{"a":1.0,"b":1e3,"c":12345678901234567890,"d":"\u00e9\n","secberus_compliance":"#
                + String(decoding: compliance, as: UTF8.self) + "}"
        )
    }

    @Test func emptyObjectGetsNoLeadingComma() throws {
        #expect(
            try splice(" {  } \n") == "{  \"secberus_compliance\":" + String(decoding: compliance, as: UTF8.self) + "}"
        )
    }

    @Test func replacesExistingValueInPlace() throws {
        let out = try splice(#"{"a":1,"secberus_compliance":{"old":true},"z":[1,2]}"#)
        #expect(
            out == #"{"a":1,"secberus_compliance":"# + String(decoding: compliance, as: UTF8.self) + #","z":[1,2]}"#
        )
    }

    @Test func anEscapedKeyOfTheSameNameIsReplacedAndAPrefixIsNot() throws {
        let value = String(decoding: compliance, as: UTF8.self)
        let escaped = try splice(#"{"secberus\u005fcompliance":1,"secberus_complianc":2,"secberus_compliancex":3}"#)
        #expect(
            escaped == #"{"secberus\u005fcompliance":"# + value + #","secberus_complianc":2,"secberus_compliancex":3}"#
        )
        let duplicated = try splice(#"{"secberus_compliance":1,"secberus_compliance":2}"#)
        #expect(duplicated == #"{"secberus_compliance":"# + value + #","secberus_compliance":"# + value + "}")
    }

    @Test func lineBreaksBecomeSpacesAndNothingElseChanges() throws {
        let pretty = "{\r\n  \"a\" : [ 1 ,\n 2 ],\n\t\"b\":\"x\\ny\"\r\n}\n"
        let out = try splice(pretty)
        #expect(!out.contains("\n") && !out.contains("\r"))
        #expect(out.hasPrefix("{    \"a\" : [ 1 ,  2 ], \t\"b\":\"x\\ny\"  ,\"secberus_compliance\":"))
    }

    @Test func customMemberName() throws {
        #expect(try splice(#"{"x":1}"#, name: "compliance\"q").contains(#","compliance\"q":["#))
    }

    @Test func nonObjectsAreRefused() throws {
        let tape = try JSONTape(parsing: Array("[1]".utf8))
        var output: [UInt8] = []
        #expect(!MemberSplicer().splice(tape, members: [], into: &output))
        #expect(output.isEmpty)
    }

    /// Every JSON object of the sample corpus: output minus the spliced member equals the input with line
    /// breaks turned into spaces and surrounding whitespace trimmed.
    @Test func corpusRoundTripIsLossless() throws {
        let events = try SampleCorpus.objects()
        try #require(!events.isEmpty, "no sample events found")
        for event in events {
            let tape = try JSONTape(parsing: event)
            var output: [UInt8] = []
            MemberSplicer().splice(
                tape,
                members: [.init(name: "secberus_compliance", value: compliance)],
                into: &output
            )
            let expected = SampleCorpus.normalised(event)
            if event.contains(Array("\"secberus_compliance\"".utf8)) { continue }
            let suffix = Array(#","secberus_compliance":"#.utf8) + compliance + [UInt8(ascii: "}")]
            let emptySuffix = Array(#""secberus_compliance":"#.utf8) + compliance + [UInt8(ascii: "}")]
            let stripped: [UInt8]
            if output.ends(with: suffix) {
                stripped = Array(output.dropLast(suffix.count)) + [UInt8(ascii: "}")]
            } else {
                #expect(output.ends(with: emptySuffix))
                stripped = Array(output.dropLast(emptySuffix.count)) + [UInt8(ascii: "}")]
            }
            #expect(stripped == expected)
            #expect((try? JSONTape(parsing: output)) != nil)
        }
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}
