import Foundation
import Testing

@testable import Mapping

@Suite struct MapAPITests {
    private func request(_ json: String, mapper: (any ComplianceMapper)? = nil) throws -> (Int, Any) {
        let response = MapAPI.handleMapRequest(Array(json.utf8), mapper: try mapper ?? loadMapper())
        return (response.status, try jsonObject(response.body))
    }

    private func errorCode(_ object: Any) -> String? {
        ((object as? [String: Any])?["error"] as? [String: Any])?["code"] as? String
    }

    @Test func roundTrip() throws {
        let (status, object) = try request(
            #"""
            {"frameworks":["nist_800_53_r5","pci_dss_v4"],"min_similarity":0.01,"topk":3,
             "documents":[{"id":"d1","document":"Root account login detected without MFA"},
                          {"id":"d\"2","document":"CloudTrail logging was stopped"}]}
            """#
        )
        #expect(status == 200)
        let frameworks = try #require((object as? [String: Any])?["frameworks"] as? [[String: Any]])
        #expect(frameworks.map { $0["framework_id"] as? String } == ["nist_800_53_r5", "pci_dss_v4"])
        for framework in frameworks {
            let controls = try #require(framework["controls"] as? [[String: Any]])
            #expect(controls.count == 6)
            let documents = controls.compactMap { $0["document_id"] as? String }
            #expect(documents == ["d1", "d1", "d1", "d\"2", "d\"2", "d\"2"])
            for control in controls {
                let inner = try #require(control["control"] as? [String: Any])
                #expect((inner["id"] as? String)?.isEmpty == false)
                #expect((inner["family"] as? String)?.isEmpty == false)
                let similarity = try #require(control["similarity"] as? Double)
                #expect(similarity >= 0.01 && similarity <= 1.0)
                #expect(abs(similarity * 100 - (similarity * 100).rounded()) < 1e-9)
                let confidence = try #require(control["confidence"] as? String)
                #expect(Confidence(rawValue: confidence) == Confidence.bucket(forSimilarity: similarity))
            }
            let first = controls.prefix(3).compactMap { $0["similarity"] as? Double }
            #expect(first == first.sorted(by: >))
        }
    }

    @Test func defaultsApplyAndThresholdFilters() throws {
        let (status, object) = try request(
            #"{"min_confidence":"High","documents":[{"id":"a","document":"zzqx unknownword"}]}"#
        )
        #expect(status == 200)
        let frameworks = try #require((object as? [String: Any])?["frameworks"] as? [[String: Any]])
        #expect(frameworks.count == FrameworkID.defaultSet.count)
        #expect(frameworks.allSatisfy { ($0["controls"] as? [Any])?.isEmpty == true })
    }

    @Test func emptyDocumentList() throws {
        let (status, object) = try request(#"{"frameworks":["soc2"],"documents":[]}"#)
        #expect(status == 200)
        let frameworks = try #require((object as? [String: Any])?["frameworks"] as? [[String: Any]])
        #expect(frameworks.count == 1)
    }

    @Test(arguments: [
        (#"{"frameworks":["hipaa"],"documents":[]}"#, "unknown_framework"),
        (#"{"min_similarity":0,"documents":[]}"#, "invalid_threshold"),
        (#"{"min_similarity":"high","documents":[]}"#, "invalid_threshold"),
        (#"{"min_confidence":"Meh","documents":[]}"#, "invalid_threshold"),
        (#"{"min_similarity":0.3,"min_confidence":"Low","documents":[]}"#, "both_thresholds"),
        (#"{"topk":0,"documents":[]}"#, "invalid_topk"),
        (#"{"topk":"3","documents":[]}"#, "invalid_topk"),
        (#"{"frameworks":[]}"#, "invalid_request"),
        (#"{"frameworks":["soc2"]}"#, "invalid_request"),
        (#"{"documents":[{"id":"a"}]}"#, "invalid_request"),
        (#"{"documents":[{"id":1,"document":"x"}]}"#, "invalid_request"),
        (#"{"documents":"#, "invalid_request"),
        (#"{"documents":[{"id":"a","document":"x"},{"id":"a","document":"y"}]}"#, "invalid_request"),
        (#"[1,2]"#, "invalid_request"),
    ])
    func rejectsInvalidRequests(_ body: String, _ expected: String) throws {
        let (status, object) = try request(body)
        #expect(status == 400)
        #expect(errorCode(object) == expected)
    }

    @Test func errorMessagesNameTheField() throws {
        let (_, missing) = try request(#"{"documents":[{"id":"a"}]}"#)
        let message = ((missing as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
        #expect(message?.contains("documents[0].document") == true)
        let (_, repeated) = try request(#"{"documents":[{"id":"a","document":"x"},{"id":"a","document":"y"}]}"#)
        let repeatMessage = ((repeated as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
        #expect(repeatMessage?.contains("documents[1].id: repeats documents[0].id") == true)
    }

    @Test(arguments: [
        (#"{"documents":[{"id":"a","document":null}]}"#, "documents[0].document: must not be null"),
        (#"{"documents":[1]}"#, "documents[0]: has the wrong type"),
        (#"{"documents":{"id":"a"}}"#, "documents: has the wrong type"),
        (#"{"frameworks":["soc2",3],"documents":[]}"#, "frameworks[1]: has the wrong type"),
        (#"{"topk":99999999999999999999,"documents":[]}"#, "topk: must be an integer from 1 to 50, got 9999"),
        (#"{"min_confidence":1,"documents":[]}"#, "min_confidence: has the wrong type"),
        (#"[]"#, "request body: has the wrong type"),
        (#"{"documents":[]} x"#, "request body: not valid JSON"),
        (#"null"#, "request body: must not be null"),
        (#"{"documents":[{"id":"e\ud800","document":"x"}]}"#, "documents[0].id: a \\u escape is half"),
        (#"{"documents":[{"id":"e","document":"\udc00\ud83d"}]}"#, "documents[0].document: a \\u escape"),
        (#"{"topk":-9223372036854775809,"documents":[]}"#, "topk: must be an integer from 1 to 50, got -92233"),
        (#"{"topk":1e19,"documents":[]}"#, "topk: must be an integer from 1 to 50, got 1e19"),
    ])
    func requestErrorsNameThePath(_ body: String, _ expected: String) throws {
        let (status, object) = try request(body)
        let message = ((object as? [String: Any])?["error"] as? [String: Any])?["message"] as? String
        #expect(status == 400)
        #expect(message?.hasPrefix(expected) == true, "\(message ?? "no message")")
    }

    @Test func byteOrderMarkAndSurrogatePairsAreAccepted() throws {
        let stub = StubMapper { _ in [] }
        let body = [0xEF, 0xBB, 0xBF] + Array(#"{"documents":[{"id":"\ud83d\ude00","document":"a\\ud800"}]}"#.utf8)
        let response = MapAPI.handleMapRequest(body, mapper: stub)
        #expect(response.status == 200)
        #expect(stub.received == [["a\\ud800"]])
    }

    @Test func requestFieldsAreReadAsWritten() throws {
        let stub = StubMapper { _ in [] }
        let body = #"{"frameworks":null,"topk":2.0,"min_similarity":null,"extra":{"x":[1]},"#
            + #""documents":[{"document":"caf\u00e9 \"x\"","id":"d\/1","note":true}]}"#
        let (status, _) = try request(body, mapper: stub)
        #expect(status == 200)
        #expect(stub.received == [["café \"x\""]])
    }

    @Test func enforcesLimits() throws {
        let many = (0...MapAPI.maxDocuments).map { #"{"id":"d\#($0)","document":"x"}"# }.joined(separator: ",")
        let (status, object) = try request(#"{"documents":[\#(many)]}"#)
        #expect(status == 400)
        #expect(errorCode(object) == "too_many_documents")

        let long = String(repeating: "a", count: MapAPI.maxDocumentBytes + 1)
        let (status2, object2) = try request(#"{"documents":[{"id":"x","document":"\#(long)"}]}"#)
        #expect(status2 == 400)
        #expect(errorCode(object2) == "document_too_large")

        let huge = [UInt8](repeating: 0x20, count: MapAPI.maxRequestBytes + 1)
        let response = MapAPI.handleMapRequest(huge, mapper: try loadMapper())
        #expect(response.status == 400)
        #expect(errorCode(try jsonObject(response.body)) == "request_too_large")
    }

    @Test func mapperFailuresAre500() throws {
        struct Broken: Error {}
        let body = #"{"documents":[{"id":"a","document":"x"}]}"#
        let (status, object) = try request(body, mapper: StubMapper(failure: Broken()))
        #expect(status == 500)
        #expect(errorCode(object) == "mapper_failed")
    }

    @Test func passesDocumentsAndGroupsByFramework() throws {
        let stub = StubMapper { text in
            [
                ControlMatch(frameworkID: .iso27001, controlID: "A.8.5", family: "Technological", similarity: 0.8),
                ControlMatch(frameworkID: .soc2, controlID: "CC6.1", family: text, similarity: 0.456),
            ]
        }
        let (status, object) = try request(
            #"{"frameworks":["soc2","iso_27001"],"documents":[{"id":"x","document":"t1"},{"id":"y","document":"t2"}]}"#,
            mapper: stub
        )
        #expect(status == 200)
        #expect(stub.received == [["t1", "t2"]])
        let frameworks = try #require((object as? [String: Any])?["frameworks"] as? [[String: Any]])
        let soc2 = try #require(frameworks.first?["controls"] as? [[String: Any]])
        #expect(soc2.compactMap { $0["document_id"] as? String } == ["x", "y"])
        #expect(soc2.compactMap { ($0["control"] as? [String: Any])?["family"] as? String } == ["t1", "t2"])
        #expect(soc2.first?["similarity"] as? Double == 0.46)
        #expect(soc2.first?["confidence"] as? String == "Low")
    }

    @Test func frameworksResponseListsAll() throws {
        let list = try #require(try jsonObject(MapAPI.frameworksResponse()) as? [[String: String]])
        #expect(list.count == 6)
        #expect(list.first == ["id": "pci_dss_v4", "name": "PCI DSS v4", "region": "International"])
        #expect(list.map { $0["id"] } == FrameworkID.allCases.map(\.rawValue))
    }

    @Test func complianceArrayRendering() throws {
        let matches = [
            ControlMatch(
                frameworkID: .nist80053r5, controlID: "IA-2(1)", family: "Quote \" back\\slash\n\u{1}", similarity: 0.91
            ),
            ControlMatch(frameworkID: .pciDSSv4, controlID: "8.4.2", family: "Zoë", similarity: 1.0),
            ControlMatch(frameworkID: .soc2, controlID: "CC6.1", family: "f", similarity: 0.5),
            ControlMatch(frameworkID: .soc2, controlID: "CC6.2", family: "f", similarity: 0.05),
        ]
        let text = String(decoding: MapAPI.complianceArrayJSON(matches), as: UTF8.self)
        let first = #"[{"framework_id":"nist_800_53_r5","control_id":"IA-2(1)","#
            + #""family":"Quote \" back\\slash\n\u0001","similarity":0.91,"confidence":"High"},"#
        #expect(text.hasPrefix(first))
        #expect(text.contains(#""family":"Zoë","similarity":1.0,"confidence":"High""#))
        #expect(text.contains(#""similarity":0.5,"confidence":"Medium""#))
        #expect(text.contains(#""similarity":0.05,"confidence":"Very Low""#))
        let decoded = try #require(try jsonObject(MapAPI.complianceArrayJSON(matches)) as? [[String: Any]])
        #expect(decoded.count == 4)
        #expect(decoded[0]["family"] as? String == "Quote \" back\\slash\n\u{1}")
        #expect(String(decoding: MapAPI.complianceArrayJSON([]), as: UTF8.self) == "[]")
    }

    @Test func errorBodyShape() throws {
        let body = MapAPI.errorBody(MappingError(.invalidTopK, "topk: \"bad\""))
        let expected = #"{"error":{"code":"invalid_topk","message":"topk: \"bad\""}}"#
        #expect(String(decoding: body, as: UTF8.self) == expected)
    }
}
