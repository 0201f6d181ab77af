/// Display information about a framework, as listed by `GET /v1/frameworks`.
public struct FrameworkInfo: Sendable, Hashable {
    /// The framework's API key.
    public let id: FrameworkID
    /// A human-readable name, e.g. "NIST SP 800-53 Rev. 5".
    public let name: String
    /// Where the framework originates: `"US"` or `"International"`.
    public let region: String

    /// Creates framework information.
    /// - Parameters:
    ///   - id: The framework's API key.
    ///   - name: A human-readable name.
    ///   - region: Where the framework originates.
    public init(id: FrameworkID, name: String, region: String) {
        self.id = id
        self.name = name
        self.region = region
    }

    /// Information about every framework, in ``FrameworkID/allCases`` order.
    public static let all: [FrameworkInfo] = FrameworkID.allCases.map(info(for:))

    /// Information about one framework.
    /// - Parameter id: The framework.
    /// - Returns: Its name and region.
    public static func info(for id: FrameworkID) -> FrameworkInfo {
        switch id {
        case .pciDSSv4:
            return FrameworkInfo(id: id, name: "PCI DSS v4", region: "International")
        case .nist80053r5:
            return FrameworkInfo(id: id, name: "NIST SP 800-53 Rev. 5", region: "US")
        case .nistCSFv2:
            return FrameworkInfo(id: id, name: "NIST Cybersecurity Framework 2.0", region: "US")
        case .iso27001:
            return FrameworkInfo(id: id, name: "ISO/IEC 27001:2022", region: "International")
        case .soc2:
            return FrameworkInfo(id: id, name: "SOC 2 (2017 Trust Services Criteria)", region: "US")
        case .aicpaTSC:
            return FrameworkInfo(id: id, name: "AICPA Trust Services Criteria (2017)", region: "US")
        }
    }
}
