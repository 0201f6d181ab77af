/// A compliance framework the mapper can map text to.
///
/// The raw values are the stable API keys used by `/v1/map`, `/v1/frameworks` and the enrichment
/// output. `soc2` and `aicpa_tsc` are two keys for the same catalogue (the 2017 AICPA Trust
/// Services Criteria, which SOC 2 reports use).
public enum FrameworkID: String, Sendable, Hashable, CaseIterable {
    /// PCI DSS v4 requirement numbers (`8.4.2`, `10.2.1.4`, `A1.1.2`).
    case pciDSSv4 = "pci_dss_v4"
    /// NIST SP 800-53 Rev. 5 controls and enhancements (`AC-2`, `IA-2(1)`).
    case nist80053r5 = "nist_800_53_r5"
    /// NIST Cybersecurity Framework 2.0 subcategories (`PR.AA-05`).
    case nistCSFv2 = "nist_csf_v2"
    /// ISO/IEC 27001:2022 Annex A controls (`A.8.5`).
    case iso27001 = "iso_27001"
    /// SOC 2, expressed as 2017 Trust Services Criteria (`CC6.1`).
    case soc2 = "soc2"
    /// The 2017 AICPA Trust Services Criteria (`CC6.1`); same catalogue as ``soc2``.
    case aicpaTSC = "aicpa_tsc"

    /// The frameworks mapped when a request names none: every catalogue once (``aicpaTSC`` is left
    /// out because it repeats ``soc2``).
    public static let defaultSet: [FrameworkID] = [.pciDSSv4, .nist80053r5, .nistCSFv2, .iso27001, .soc2]

    /// The name of the bundled catalogue file (without `.tsv`) that serves this framework.
    public var catalogName: String {
        switch self {
        case .pciDSSv4: return "pci_dss_v4"
        case .nist80053r5: return "nist_800_53_r5"
        case .nistCSFv2: return "nist_csf_v2"
        case .iso27001: return "iso_27001"
        case .soc2, .aicpaTSC: return "tsc_2017"
        }
    }
}
