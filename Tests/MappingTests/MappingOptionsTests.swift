import Testing

@testable import Mapping

@Suite struct MappingOptionsTests {
    private func parse(_ frameworks: [String]?, _ similarity: Double?, _ confidence: String?, _ topK: Int?)
        throws(MappingError) -> MappingOptions
    {
        try MappingOptions.parse(
            frameworks: frameworks, minSimilarity: similarity, minConfidence: confidence, topK: topK
        )
    }

    private func code(_ body: () throws -> Void) -> MappingError.Code? {
        do {
            try body()
            return nil
        } catch let error as MappingError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func defaults() throws {
        let options = try parse(nil, nil, nil, nil)
        #expect(options.frameworks == FrameworkID.defaultSet)
        #expect(options.threshold == .minConfidence(.low))
        #expect(options.topK == 3)
    }

    @Test func parsesValidValues() throws {
        let options = try parse(["iso_27001", "pci_dss_v4", "iso_27001"], nil, "Very Low", 50)
        #expect(options.frameworks == [.iso27001, .pciDSSv4])
        #expect(options.threshold == .minConfidence(.veryLow))
        #expect(options.topK == 50)
        let bySimilarity = try parse(["soc2"], 1.0, nil, 1)
        #expect(bySimilarity.threshold == .minSimilarity(1.0))
    }

    @Test func rejectsUnknownFramework() {
        #expect(code { _ = try parse(["hipaa"], nil, nil, nil) }
            == .unknownFramework)
        do {
            _ = try parse(["PCI_DSS_V4"], nil, nil, nil)
            Issue.record("an unknown framework was accepted")
        } catch {
            #expect(error.message.contains("frameworks"))
            #expect(error.message.contains("pci_dss_v4"))
        }
    }

    @Test func rejectsEmptyFrameworks() {
        #expect(code { _ = try parse([], nil, nil, nil) }
            == .invalidRequest)
    }

    @Test(arguments: [0.0, 0.009, 1.01, -1, Double.nan, Double.infinity])
    func rejectsSimilarityOutOfRange(_ value: Double) {
        #expect(code { _ = try parse(nil, value, nil, nil) }
            == .invalidThreshold)
    }

    @Test func rejectsUnknownConfidence() {
        for name in ["high", "VeryLow", "Very low", ""] {
            #expect(code { _ = try parse(nil, nil, name, nil) }
                == .invalidThreshold)
        }
    }

    @Test func rejectsBothThresholds() {
        #expect(code { _ = try parse(nil, 0.5, "High", nil) }
            == .bothThresholds)
    }

    @Test(arguments: [0, -3, 51, 1000])
    func rejectsTopKOutOfRange(_ value: Int) {
        #expect(code { _ = try parse(nil, nil, nil, value) }
            == .invalidTopK)
        #expect(code { _ = try MappingOptions(topK: value).validated() } == .invalidTopK)
    }

    @Test func mapperValidatesOptions() throws {
        let mapper = try loadMapper()
        #expect(throws: MappingError.self) {
            _ = try mapper.map(["text"], options: MappingOptions(frameworks: [], topK: 3))
        }
        #expect(throws: MappingError.self) {
            _ = try mapper.map(["text"], options: MappingOptions(threshold: .minSimilarity(2), topK: 3))
        }
    }

    @Test func confidenceBuckets() {
        #expect(Confidence.bucket(forSimilarity: 0.95) == .high)
        #expect(Confidence.bucket(forSimilarity: 0.70) == .high)
        #expect(Confidence.bucket(forSimilarity: 0.69) == .medium)
        #expect(Confidence.bucket(forSimilarity: 0.50) == .medium)
        #expect(Confidence.bucket(forSimilarity: 0.49) == .low)
        #expect(Confidence.bucket(forSimilarity: 0.30) == .low)
        #expect(Confidence.bucket(forSimilarity: 0.29) == .veryLow)
        #expect(Confidence.veryLow < Confidence.low && Confidence.low < Confidence.medium)
        #expect(Confidence.medium < Confidence.high)
        #expect(Confidence.allCases.map(\.rawValue) == ["Very Low", "Low", "Medium", "High"])
    }

    @Test func thresholdsFilter() {
        let byConfidence = MappingOptions(threshold: .minConfidence(.medium))
        #expect(byConfidence.accepts(similarity: 0.5))
        #expect(!byConfidence.accepts(similarity: 0.49))
        let bySimilarity = MappingOptions(threshold: .minSimilarity(0.42))
        #expect(bySimilarity.accepts(similarity: 0.42))
        #expect(!bySimilarity.accepts(similarity: 0.41))
    }

    @Test func matchRoundsAndClampsSimilarity() {
        let low = ControlMatch(frameworkID: .soc2, controlID: "CC6.1", family: "f", similarity: 0.0001)
        #expect(low.similarity == 0.01)
        #expect(low.confidence == .veryLow)
        let high = ControlMatch(frameworkID: .soc2, controlID: "CC6.1", family: "f", similarity: 0.8749)
        #expect(high.similarity == 0.87)
        #expect(high.confidence == .high)
        #expect(ControlMatch(frameworkID: .soc2, controlID: "x", family: "f", similarity: 3).similarity == 1.0)
    }

    @Test func frameworkInfoListsAllKeys() {
        #expect(FrameworkInfo.all.map(\.id.rawValue) == [
            "pci_dss_v4", "nist_800_53_r5", "nist_csf_v2", "iso_27001", "soc2", "aicpa_tsc",
        ])
        #expect(FrameworkInfo.info(for: .nist80053r5).region == "US")
        #expect(FrameworkInfo.info(for: .iso27001).region == "International")
        #expect(FrameworkID.soc2.catalogName == FrameworkID.aicpaTSC.catalogName)
    }
}
