import Firehose
import Testing

@Suite struct AccessKeyVerifierTests {
    @Test func h9AcceptsEverythingWithoutKeys() {
        for verifier in [AccessKeyVerifier(keys: []), AccessKeyVerifier(keys: [""])] {
            #expect(!verifier.isEnabled)
            #expect(verifier.verify(nil))
            #expect(verifier.verify("anything"))
        }
    }

    @Test func h6RequiresTheConfiguredKey() {
        let verifier = AccessKeyVerifier(keys: ["s3cr3t-key"])
        #expect(verifier.isEnabled)
        #expect(verifier.verify("s3cr3t-key"))
        #expect(!verifier.verify(nil))
        #expect(!verifier.verify(""))
        #expect(!verifier.verify("s3cr3t-kez"))
        #expect(!verifier.verify("s3cr3t-key "))
        #expect(!verifier.verify("s3cr3t-ke"))
        #expect(!verifier.verify("S3CR3T-KEY"))
        #expect(!verifier.verify("s3cr3t-key\u{0}"))
    }

    @Test func h7AcceptsBothKeysDuringRotation() {
        let verifier = AccessKeyVerifier(keys: ["old-key", "new-key-longer"])
        #expect(verifier.verify("old-key"))
        #expect(verifier.verify("new-key-longer"))
        #expect(!verifier.verify("new-key"))
        #expect(!verifier.verify("old-key-longer"))
    }

    @Test func h8AcceptsALongKeyVerbatim() {
        let segment = "{\"api_key\": \"abc def==\", \"n\": [1,2]} "
        var key = String(repeating: segment, count: 4096 / segment.count)
        key += String(repeating: "=", count: 4096 - key.utf8.count)
        #expect(key.utf8.count == 4096)
        let verifier = AccessKeyVerifier(keys: [key])
        #expect(verifier.verify(key))
        #expect(!verifier.verify(String(key.dropLast()) + "A"))
        #expect(!verifier.verify(String(key.dropLast())))
    }

    @Test func unauthorizedErrorsNeverContainTheKey() {
        let missing = FirehoseError.unauthorized(keyPresent: false, requestID: "r")
        let wrong = FirehoseError.unauthorized(keyPresent: true, requestID: "r")
        #expect(missing.httpStatus == 401)
        #expect(wrong.httpStatus == 401)
        #expect(missing.message.contains("missing"))
        #expect(wrong.message.contains("does not match"))
        #expect(wrong.requestID == "r")
    }
}
