import Foundation
import Testing

@testable import Mapping

/// Per-event-type priors: parsing, type lookup, recognition in text, and their effect on the ranking.
@Suite struct EventPriorsTests {
    private let positions: [String: [String: Int]] = [
        "nist_800_53_r5": ["AU-9": 0, "AU-12": 1, "IA-2": 2, "SI-4": 3],
        "pci_dss_v4": ["10.3.2": 0],
    ]

    private func priors(_ rows: String) throws -> EventPriors {
        let text = "#lakemark-event-priors\t1\n#beta\tnist_800_53_r5=0.5\tpci_dss_v4=0.4\n" + rows
        return try EventPriors(bytes: Array(text.utf8), positions: positions)
    }

    private func ranking(
        _ text: String,
        _ framework: FrameworkID,
        hint: EventTypeHint? = nil,
        mapper: EmbeddedMapper? = nil
    ) throws -> [String] {
        let options = MappingOptions(frameworks: [framework], threshold: .minSimilarity(0.01), topK: 5)
        let engine = try mapper ?? loadMapper()
        return try engine.map([text], hints: [hint], options: options)[0].map(\.controlID)
    }

    @Test func fileIsParsedAndScaledByBeta() throws {
        let parsed = try priors(
            "cloudtrail\tstoplogging\tnist_800_53_r5\tAU-9\t1.0\town\n"
                + "cloudtrail\tstoplogging\tpci_dss_v4\t10.3.2\t0.5\tcrosswalk\n"
                + "cloudtrail\tstoplogging\tnist_800_53_r5\tXX-1\t1.0\town\n"
        )
        let key = try #require(parsed.key(for: EventTypeHint(source: "cloudtrail", type: "StopLogging")))
        #expect(parsed.entries(for: [key], catalog: "nist_800_53_r5").map(\.index) == [0])
        #expect(parsed.entries(for: [key], catalog: "nist_800_53_r5").map(\.value) == [0.5])
        #expect(parsed.entries(for: [key], catalog: "pci_dss_v4").map(\.value) == [0.2])
        #expect(parsed.key(for: EventTypeHint(source: "okta", type: "StopLogging")) == nil)
    }

    @Test(arguments: [
        "#lakemark-event-priors\t2\ncloudtrail\tx\tnist_800_53_r5\tAU-9\t1\town\n",
        "#lakemark-event-priors\t1\ncloudtrail\tx\tnist_800_53_r5\tAU-9\t1.5\town\n",
        "#lakemark-event-priors\t1\ncloudtrail\tx\tnist_800_53_r5\tAU-9\n",
    ])
    func malformedFilesAreRejected(_ text: String) {
        #expect(throws: MappingError.self) { try EventPriors(bytes: Array(text.utf8), positions: [:]) }
    }

    @Test func typesFallBackToTheirPrefixes() {
        #expect(
            EventPriors.candidates(source: "guardduty", type: "CryptoCurrency:EC2/BitcoinTool.B!DNS") == [
                "cryptocurrency:ec2/bitcointool.b!dns", "cryptocurrency:ec2/bitcointool.b",
                "cryptocurrency:ec2/bitcointool", "cryptocurrency:ec2", "cryptocurrency",
            ]
        )
        #expect(EventPriors.candidates(source: "okta", type: "policy.rule.update") == [
            "policy.rule.update", "policy.rule", "policy",
        ])
        #expect(EventPriors.candidates(source: "k8s-audit", type: "create pods/exec") == [
            "create pods/exec", "* pods/exec",
        ])
        #expect(EventPriors.candidates(source: "cloudtrail", type: "UpdateFunctionCode20150331v2") == [
            "updatefunctioncode"
        ])
        #expect(EventPriors.candidates(source: "cloudtrail", type: "CreateFunction20150331") == ["createfunction"])
        #expect(EventPriors.candidates(source: "cloudtrail", type: "ConsoleLogin") == ["consolelogin"])
        // Google Cloud: without version segments, then ever shorter endings.
        #expect(EventPriors.candidates(source: "gcp-audit", type: "google.iam.admin.v1.CreateServiceAccountKey") == [
            "google.iam.admin.createserviceaccountkey", "iam.admin.createserviceaccountkey",
            "admin.createserviceaccountkey", "createserviceaccountkey",
        ])
        #expect(EventPriors.candidates(source: "gcp-audit", type: "beta.compute.v2beta1.x.v1alpha.Y") == [
            "compute.x.y", "x.y", "y",
        ])
        #expect(EventPriors.candidates(source: "gcp-audit", type: "v1.vx.v1b.v2") == ["vx.v1b", "v1b"])
        #expect(EventPriors.candidates(source: "gcp-audit", type: "v1") == ["v1"])
        #expect(EventPriors.candidates(source: "gcp-audit", type: "iam.v1p1beta1.vp1.v1p.Sign") == [
            "iam.vp1.v1p.sign", "vp1.v1p.sign", "v1p.sign", "sign",
        ])
        #expect(EventPriors.candidates(source: "gcp-audit", type: "SetIamPolicy") == ["setiampolicy"])
        // Azure: the operation, then its prefixes cut before each slash.
        #expect(EventPriors.candidates(source: "azure-activity", type: "MICROSOFT.STORAGE/storageAccounts/write") == [
            "microsoft.storage/storageaccounts/write", "microsoft.storage/storageaccounts", "microsoft.storage",
        ])
        #expect(EventPriors.candidates(source: "azure-activity", type: "Add member to role") == ["add member to role"])
        // A separator followed by a combining mark is one character, not a cut point.
        #expect(EventPriors.candidates(source: "guardduty", type: "Recon:EC2/Portscan.\u{301}") == [
            "recon:ec2/portscan.\u{301}", "recon:ec2", "recon",
        ])
    }

    /// A type is looked up only up to 512 bytes: its candidates cost time (and outside ASCII memory) that grows with
    /// the square of its length, and no known type is that long.
    @Test func overlongTypesAreNotLookedUp() {
        let table = EventTypeTable(source: "gcp-audit", types: ["setiampolicy"])
        let azure = EventTypeTable(source: "azure-activity", types: ["microsoft.storage"])
        func key(_ table: EventTypeTable, _ type: String) -> String? {
            var type = type
            return type.withUTF8 { table.key(of: $0) }
        }
        #expect(key(table, String(repeating: "a.", count: 250) + "SetIamPolicy") != nil)
        #expect(key(table, String(repeating: "a.", count: 251) + "SetIamPolicy") == nil)
        #expect(key(table, String(repeating: "é.", count: 50_000) + "SetIamPolicy") == nil)
        #expect(key(azure, "Microsoft.Storage" + String(repeating: "/a", count: 247)) != nil)
        #expect(key(azure, "Microsoft.Storage" + String(repeating: "/a", count: 248)) == nil)
    }

    @Test func typesNamedInTextAreRecognised() throws {
        let parsed = try priors(
            "cloudtrail\tstoplogging\tnist_800_53_r5\tAU-9\t1\town\n"
                + "guardduty\trecon:ec2/portscan\tnist_800_53_r5\tSI-4\t1\town\n"
                + "okta\tuser.session.start\tnist_800_53_r5\tIA-2\t1\town\n"
                + "k8s-audit\tget secrets\tnist_800_53_r5\tAU-12\t1\town\n"
                + "k8s-audit\timpersonate users\tnist_800_53_r5\tAU-12\t1\town\n"
        )
        #expect(parsed.detect(in: "eventName StopLogging was called.") == [
            EventPriors.key(source: "cloudtrail", type: "stoplogging")
        ])
        #expect(parsed.detect(in: "GuardDuty finding \"Recon:EC2/Portscan\": port scan.") == [
            EventPriors.key(source: "guardduty", type: "recon:ec2/portscan")
        ])
        #expect(parsed.detect(in: "Okta event (user.session.start).") == [
            EventPriors.key(source: "okta", type: "user.session.start")
        ])
        #expect(parsed.detect(in: "Kubernetes get secrets by admin") == [
            EventPriors.key(source: "k8s-audit", type: "get secrets")
        ])
        #expect(parsed.detect(in: "Kubernetes audit: Impersonate users") == [
            EventPriors.key(source: "k8s-audit", type: "impersonate users")
        ])
        #expect(parsed.detect(in: "get secrets by admin").isEmpty, "a verb and resource count only for Kubernetes")
        // In prose an Okta type counts only whole, from three levels: a family row would match host names.
        let families = try priors(
            "okta\tsecurity\tnist_800_53_r5\tSI-4\t1\town\nokta\tuser.session.start\tnist_800_53_r5\tIA-2\t1\town\n"
        )
        #expect(families.detect(in: "Reset email sent to security.team@example.com").isEmpty)
        #expect(families.detect(in: "Alert forwarded to security.example.com").isEmpty)
        #expect(families.detect(in: "user.session.start.v2 seen") == [
            EventPriors.key(source: "okta", type: "user.session.start")
        ])
        #expect(families.key(for: EventTypeHint(source: "okta", type: "security.threat.x")) != nil, "hints keep them")
        #expect(parsed.detect(in: "stop logging on the trail").isEmpty)
        #expect(parsed.detect(in: "Policy allows cloudtrail:StopLogging.") == [
            EventPriors.key(source: "cloudtrail", type: "stoplogging")
        ])
        #expect(parsed.detect(in: "AssumedRole:IAMRole called it").isEmpty)
    }

    @Test func guardDutyFindingTypeInTextBringsTheCTIDControls() throws {
        let text = "GuardDuty finding UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B"
        let top = try ranking(text, .nist80053r5)
        #expect(top.prefix(3).contains("IA-2"), "\(top)")
        #expect(top.contains("AC-2"), "\(top)")
    }

    @Test func cloudTrailEventNameInTextBringsItsControls() throws {
        let top = try ranking("AWS cloudtrail.amazonaws.com StopLogging by iam user", .nist80053r5)
        #expect(top.prefix(3).contains("AU-9"), "\(top)")
        let pci = try ranking("AWS cloudtrail.amazonaws.com StopLogging by iam user", .pciDSSv4)
        #expect(pci.contains { $0.hasPrefix("10.") }, "\(pci)")
    }

    /// Calls the CloudTrail table covers beyond the first release's (network layout, backups, secrets rotation,
    /// detective controls): the type's first control is among the first two answers even when the text alone points
    /// elsewhere (`ec2 CreateSnapshot` used to answer SC-7, AC-6, CP-9).
    @Test(arguments: [
        ("ec2.amazonaws.com", "CreateSnapshot", "CP-9"),
        ("ec2.amazonaws.com", "CreateVpc", "SC-7"),
        ("ec2.amazonaws.com", "DisassociateRouteTable", "SC-7"),
        ("secretsmanager.amazonaws.com", "RotateSecret", "IA-5"),
        ("guardduty.amazonaws.com", "ArchiveFindings", "SI-4"),
        ("rds.amazonaws.com", "DeleteDBInstanceAutomatedBackup", "CP-9"),
        ("monitoring.amazonaws.com", "DeleteAlarms", "SI-4"),
        ("bedrock.amazonaws.com", "DeleteModelInvocationLoggingConfiguration", "AU-9"),
    ])
    func moreCloudTrailCallsLeadWithTheirFirstControl(_ source: String, _ name: String, _ first: String) throws {
        let hint = EventTypeHint(source: "cloudtrail", type: name)
        let top = try ranking("AWS \(source) \(name) by IAMUser", .nist80053r5, hint: hint)
        #expect(top.prefix(2).contains(first), "\(name): \(top)")
    }

    /// Google Cloud audit methods and Azure operations, as the service passes them from an event's metadata.
    @Test(arguments: [
        ("gcp-audit", "v1.compute.firewalls.insert", "Google Cloud compute.googleapis.com v1.compute.firewalls.insert",
         "SC-7"),
        ("gcp-audit", "google.iam.admin.v1.CreateServiceAccountKey",
         "Google Cloud iam.googleapis.com google.iam.admin.v1.CreateServiceAccountKey", "IA-5"),
        ("gcp-audit", "google.logging.v2.ConfigServiceV2.DeleteSink",
         "Google Cloud logging.googleapis.com google.logging.v2.ConfigServiceV2.DeleteSink", "AU-9"),
        ("gcp-audit", "io.k8s.core.v1.pods.exec.create", "Google Cloud k8s.io io.k8s.core.v1.pods.exec.create",
         "AC-17"),
        ("azure-activity", "Microsoft.Authorization/roleAssignments/write",
         "Azure Microsoft.Authorization/roleAssignments/write (Administrative)", "AC-2"),
        ("azure-activity", "MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE",
         "Azure MICROSOFT.INSIGHTS/DIAGNOSTICSETTINGS/DELETE (Administrative)", "AU-9"),
        ("azure-activity", "Set federation settings on domain", "Azure Set federation settings on domain", "IA-8"),
    ])
    func cloudAuditTypesLeadWithTheirControls(
        _ source: String,
        _ type: String,
        _ text: String,
        _ first: String
    ) throws {
        let top = try ranking(text, .nist80053r5, hint: EventTypeHint(source: source, type: type))
        #expect(top.prefix(2).contains(first), "\(type): \(top)")
    }

    @Test func aKubernetesPatchOfNodesIsAChangeNotSoftwarePatching() throws {
        // As the service maps a `patch nodes` audit event: its text says `modify`, its type comes as the hint.
        let hint = EventTypeHint(source: "k8s-audit", type: "patch nodes")
        let nist = try ranking("Kubernetes modify nodes by admin", .nist80053r5, hint: hint)
        #expect(nist.prefix(3).contains("CM-3") && !nist.prefix(3).contains("SI-2"), "\(nist)")
        #expect(try !ranking("Kubernetes modify nodes by admin", .pciDSSv4, hint: hint).prefix(3).contains("6.3.3"))
        // Patching in its ordinary sense keeps its controls.
        for text in ["Patch deployment failed on 12 managed instances", "Apply OS patches; nodes must be rebooted"] {
            #expect(try ranking(text, .nist80053r5).prefix(3).contains("SI-2"), "\(text)")
            #expect(try ranking(text, .pciDSSv4).first == "6.3.3", "\(text)")
        }
    }

    @Test func aHintAddsControlsTheTextDoesNotMention() throws {
        let text = "Kubernetes request by system:serviceaccount:default:reader"
        let plain = try ranking(text, .nist80053r5)
        #expect(!plain.contains("SC-28"))
        let hinted = try ranking(text, .nist80053r5, hint: EventTypeHint(source: "k8s-audit", type: "get secrets"))
        #expect(hinted.prefix(3).contains("AC-6"), "\(hinted)")
        #expect(hinted.contains("SC-28"), "\(hinted)")
        let unknown = try ranking(text, .nist80053r5, hint: EventTypeHint(source: "k8s-audit", type: "get widgets"))
        #expect(unknown == plain)
    }

    @Test func aHintAloneIsEnoughAndIsPartOfTheCacheKey() throws {
        let mapper = try EmbeddedMapper(cacheCapacity: 100)
        let options = MappingOptions(frameworks: [.nist80053r5], threshold: .minSimilarity(0.01), topK: 3)
        let texts = ["zzqx", "zzqx"]
        let hints: [EventTypeHint?] = [EventTypeHint(source: "okta", type: "user.account.lock"), nil]
        let results = try mapper.map(texts, hints: hints, options: options)
        #expect(results[0].map(\.controlID).prefix(2).contains("AC-7"), "\(results[0])")
        #expect(results[1].isEmpty)
        let again = try mapper.map(["zzqx"], options: options)
        #expect(again[0].isEmpty)
    }

    @Test func aKnownHintReplacesTheTypesTheTextNames() throws {
        let text = "zzqx DeleteBucket"
        #expect(try ranking(text, .nist80053r5).first == "CP-9")
        let hinted = try ranking(text, .nist80053r5, hint: EventTypeHint(source: "okta", type: "user.account.lock"))
        #expect(hinted.prefix(2) == ["AC-7", "IA-2"], "\(hinted)")
        let unknown = try ranking(text, .nist80053r5, hint: EventTypeHint(source: "okta", type: "no.such.type"))
        #expect(unknown.first == "CP-9", "an unknown hinted type leaves the text's types")
    }

    @Test func withoutTheFileNothingIsAdded() throws {
        let directory = try bundledCatalogCopy("event-priors")
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.removeItem(at: directory.appendingPathComponent(EventPriors.fileName))
        let mapper = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0)
        let hint = EventTypeHint(source: "okta", type: "user.account.lock")
        #expect(try ranking("zzqx", .nist80053r5, hint: hint, mapper: mapper).isEmpty)
    }

    @Test func bundledRowsNameCatalogControls() throws {
        let mapper = try loadMapper()
        #expect(mapper.eventPriors.entries.count > 300)
        let ids = Set(mapper.controlIDs(for: .nist80053r5))
        let key = try #require(mapper.eventPriors.key(for: EventTypeHint(source: "cloudtrail", type: "DeleteTrail")))
        let entries = mapper.eventPriors.entries(for: [key], catalog: "nist_800_53_r5")
        #expect(!entries.isEmpty)
        #expect(entries.allSatisfy { ids.contains(mapper.controlIDs(for: .nist80053r5)[Int($0.index)]) })
    }

    /// An event type says nothing about the entity or the network: its rows never name PCI requirements for service
    /// providers (8.3.10), issuers (3.3.3), wireless networks (4.2.1.2), the hashing of stored card numbers (3.5.1.1)
    /// or the appendices (A1-A3), although the crosswalk reaches them from SC-12, IA-5 and AC-3.
    @Test func bundledRowsLeaveOutEntityScopedPCIRequirements() throws {
        let mapper = try loadMapper()
        let pci = mapper.controlIDs(for: .pciDSSv4)
        let rows = mapper.eventPriors.entries.values.flatMap { $0["pci_dss_v4"] ?? [] }
        let named = Set(rows.map { pci[Int($0.index)] })
        #expect(named.count > 100)
        let scoped = ["3.6.1.1", "8.2.3", "8.3.10", "8.3.10.1", "12.9.1", "3.3.3", "4.2.1.2", "11.2.1", "3.5.1.1"]
        #expect(named.isDisjoint(with: scoped), "\(named.intersection(scoped).sorted())")
        #expect(!named.contains { $0.hasPrefix("A1") || $0.hasPrefix("A2") || $0.hasPrefix("A3") })
        #expect(named.isSuperset(of: ["8.3.4", "3.6.1", "3.5.1", "4.2.1.1"]), "their neighbours stay")
    }
}
