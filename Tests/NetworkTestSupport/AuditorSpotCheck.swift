import Foundation

/// One auditor spot check of `Tests/Fixtures/auditor_spot_checks.jsonl`: a short event-phrased text the team
/// wrote and, per framework key (`nist_800_53_r5`, `nist_csf_v2`, `pci_dss_v4`, `iso_27001`, `soc2`), the
/// control ids a security engineer accepts as its answer. `scripts/spot_check.py` prints the engine's answers.
public struct AuditorSpotCheck: Sendable, Decodable {
    /// The event text.
    public let text: String
    /// Accepted control ids per framework key.
    public let accepted: [String: [String]]

    /// The framework keys every spot check lists.
    public static let frameworkKeys = ["nist_800_53_r5", "nist_csf_v2", "pci_dss_v4", "iso_27001", "soc2"]

    /// Every spot check of the fixture file (empty when it does not decode, which the tests report).
    public static let all: [AuditorSpotCheck] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/auditor_spot_checks.jsonl")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").compactMap {
            try? JSONDecoder().decode(AuditorSpotCheck.self, from: Data($0.utf8))
        }
    }()

    /// Whether a control is accepted for this text: one of the listed ids, or an enhancement or sub-requirement
    /// of one (`AC-6` accepts `AC-6(9)`, `10.2.1` accepts `10.2.1.6`).
    /// - Parameters:
    ///   - controlID: The answered control id.
    ///   - framework: The framework key.
    /// - Returns: Whether the answer is accepted.
    public func accepts(_ controlID: String, framework: String) -> Bool {
        (accepted[framework] ?? []).contains {
            controlID == $0 || controlID.hasPrefix($0 + "(") || controlID.hasPrefix($0 + ".")
        }
    }

    /// The answers this check does not accept, as `text -> framework: control`.
    /// - Parameter answers: Framework key and control id of each answer to judge (e.g. the High ones).
    /// - Returns: One line per answer that is not accepted.
    public func rejected(_ answers: [(framework: String, controlID: String)]) -> [String] {
        answers.filter { !accepts($0.controlID, framework: $0.framework) }
            .map { "\(text) -> \($0.framework): \($0.controlID)" }
    }
}
