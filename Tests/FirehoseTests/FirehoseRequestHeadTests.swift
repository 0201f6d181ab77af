import Firehose
import Testing

@Suite struct FirehoseRequestHeadTests {
    private func head(attributes: String?) -> FirehoseRequestHead {
        FirehoseRequestHead(requestID: "r", commonAttributesHeader: attributes)
    }

    @Test func readsHeadersThroughALookup() {
        let headers = [
            "x-amz-firehose-request-id": "id-1",
            "x-amz-firehose-protocol-version": "1.0",
            "x-amz-firehose-source-arn": "arn:aws:firehose:us-east-1:123456789:deliverystream/testStream",
            "x-amz-firehose-access-key": "secret-key",
            "x-amz-firehose-common-attributes": "{\"commonAttributes\":{\"env\":\"prod\"}}",
            "content-encoding": "gzip",
        ]
        let head = FirehoseRequestHead { headers[$0.lowercased()] }
        #expect(head.requestID == "id-1")
        #expect(head.protocolVersion == "1.0")
        #expect(head.sourceARNParts?.region == "us-east-1")
        #expect(head.sourceARNParts?.account == "123456789")
        #expect(head.sourceARNParts?.streamName == "testStream")
        #expect(head.sourceARNParts?.partition == "aws")
        #expect(head.accessKey == "secret-key")
        #expect(head.commonAttributes == ["env": "prod"])
        #expect(!head.commonAttributesMalformed)
        #expect(head.contentEncoding == "gzip")
        #expect(!head.description.contains("secret-key"))
        #expect(head.description.contains("accessKey=present"))
    }

    @Test func treatsAnEmptyRequestIDAsMissing() {
        #expect(FirehoseRequestHead(requestID: "").requestID == nil)
        #expect(FirehoseRequestHead { _ in nil }.requestID == nil)
    }

    @Test func h11KeepsMalformedARNsRaw() {
        let malformed = [
            "", "arn:aws:firehose:us-east-1:123:stream/x", "arn:aws:s3:us-east-1:123:deliverystream/x",
            "arn:aws:firehose::123:deliverystream/x", "arn:aws:firehose:us-east-1:12a:deliverystream/x",
            "arn:aws:firehose:us-east-1:123:deliverystream/", "not an arn",
        ]
        for arn in malformed {
            let head = FirehoseRequestHead(sourceARN: arn)
            #expect(head.sourceARN == arn)
            #expect(head.sourceARNParts == nil, "\(arn)")
        }
        let china = FirehoseSourceARN("arn:aws-cn:firehose:cn-north-1:111122223333:deliverystream/a/b:c")
        #expect(china?.partition == "aws-cn")
        #expect(china?.streamName == "a/b:c")
    }

    @Test func h12AbsentOrEmptyAttributes() {
        for header in [nil, "", "{\"commonAttributes\":{}}"] as [String?] {
            let head = head(attributes: header)
            #expect(head.commonAttributes.isEmpty)
            #expect(!head.commonAttributesMalformed)
        }
    }

    @Test func h12FiftyPairsAtMaximumLengths() {
        var pairs: [String] = []
        var expected: [String: String] = [:]
        for index in 0..<50 {
            let key = String(format: "%02d", index) + String(repeating: "k", count: 254)
            let value = String(repeating: "v", count: 1024)
            pairs.append("\"\(key)\":\"\(value)\"")
            expected[key] = value
        }
        let head = head(attributes: "{\"commonAttributes\":{\(pairs.joined(separator: ","))}}")
        #expect(head.commonAttributes == expected)
        #expect(!head.commonAttributesMalformed)
    }

    @Test func h12SpacesEmptyValuesAndUTF8() {
        let header = "{\"commonAttributes\":{\"deployment -context\":\"pre-prod-gamma\",\"empty\":\"\","
            + "\"ünï\":\"日本語 ✓\",\"esc\":\"a\\\"b\\u00e9\"}}"
        let head = head(attributes: header)
        #expect(head.commonAttributes["deployment -context"] == "pre-prod-gamma")
        #expect(head.commonAttributes["empty"] == "")
        #expect(head.commonAttributes["ünï"] == "日本語 ✓")
        #expect(head.commonAttributes["esc"] == "a\"bé")
        #expect(!head.commonAttributesMalformed)
    }

    @Test func h12MalformedAttributesAreFlaggedNotFatal() {
        let malformed = [
            "{", "not json", "[]", "{\"commonAttributes\":[]}", "{\"other\":{}}", "{\"commonAttributes\":null}",
            "{\"commonAttributes\":{\"a\":\"b\"}} trailing", String(repeating: "[", count: 10_000),
        ]
        for header in malformed {
            let head = head(attributes: header)
            #expect(head.commonAttributes.isEmpty, "\(header)")
            #expect(head.commonAttributesMalformed, "\(header)")
        }
        let mixed = head(attributes: "{\"commonAttributes\":{\"n\":1,\"ok\":\"yes\",\"o\":{},\"b\":true}}")
        #expect(mixed.commonAttributes == ["ok": "yes"])
        #expect(mixed.commonAttributesMalformed)
    }

    @Test func h12KeepsTheFirstOfDuplicateKeys() {
        let head = head(attributes: "{\"commonAttributes\":{\"a\":\"1\",\"a\":\"2\"}}")
        #expect(head.commonAttributes == ["a": "1"])
    }

    @Test func h12CapsThePairCount() {
        let pairs = (0..<300).map { "\"k\($0)\":\"v\"" }.joined(separator: ",")
        let head = head(attributes: "{\"commonAttributes\":{\(pairs)}}")
        #expect(head.commonAttributes.count == FirehoseRequestHead.maximumCommonAttributes)
        #expect(head.commonAttributesMalformed)
    }
}
