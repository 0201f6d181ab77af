import Testing

@testable import Mapping

/// Failure rows of the event priors (`<type> failed`): a failed sign-in brings lockout controls, a successful one
/// does not.
@Suite struct EventOutcomeTests {
    private let consoleLogin = EventTypeHint(source: "cloudtrail", type: "ConsoleLogin")

    private func ranking(_ text: String, _ framework: FrameworkID, hint: EventTypeHint?) throws -> [String] {
        let options = MappingOptions(frameworks: [framework], threshold: .minSimilarity(0.01), topK: 5)
        return try loadMapper().map([text], hints: [hint], options: options)[0].map(\.controlID)
    }

    @Test(arguments: [
        ("AWS signin.amazonaws.com ConsoleLogin outcome Failure", true),
        ("AWS signin.amazonaws.com ConsoleLogin failed: AccessDenied", true),
        ("Okta User login to Okta (user session start) outcome DENY", true),
        ("Azure Sign-in activity result Failure", true),
        ("Multiple unsuccessful sign-in attempts", true),
        ("Repeated console login failures", true),
        ("AWS signin.amazonaws.com ConsoleLogin outcome Success", false),
        ("AWS rds.amazonaws.com FailoverDBCluster", false),
        ("Failover of the primary database to its standby", false),
        ("", false),
    ])
    func failureWordsAreWholeWords(text: String, failed: Bool) {
        #expect(EventPriors.reportsFailure(text) == failed, "\(text)")
    }

    @Test func aSuccessfulConsoleLoginIsNotEvidenceAboutLockout() throws {
        let text = "AWS signin.amazonaws.com ConsoleLogin outcome Success"
        let nist = try ranking(text, .nist80053r5, hint: consoleLogin)
        #expect(nist.prefix(2).contains("IA-2"), "\(nist)")
        #expect(!nist.prefix(3).contains("AC-7"), "\(nist)")
        let pci = try ranking(text, .pciDSSv4, hint: consoleLogin)
        #expect(!pci.prefix(3).contains("8.3.4"), "\(pci)")
    }

    @Test(arguments: [
        "AWS signin.amazonaws.com ConsoleLogin outcome Failure",
        "AWS signin.amazonaws.com ConsoleLogin failed: Failed authentication",
    ])
    func aFailedConsoleLoginIsEvidenceAboutLockout(text: String) throws {
        let nist = try ranking(text, .nist80053r5, hint: consoleLogin)
        #expect(nist.prefix(3).contains("AC-7"), "\(nist)")
        let pci = try ranking(text, .pciDSSv4, hint: consoleLogin)
        #expect(pci.first == "8.3.4", "\(pci)")
    }

    @Test func aTypeNamedInTheTextGetsItsFailureRowToo() throws {
        let failed = try ranking("Repeated ConsoleLogin failures for one user", .nist80053r5, hint: nil)
        #expect(failed.prefix(3).contains("AC-7"), "\(failed)")
        let succeeded = try ranking("ConsoleLogin for one user from a new country", .nist80053r5, hint: nil)
        #expect(!succeeded.prefix(3).contains("AC-7"), "\(succeeded)")
    }

    @Test func oktaAndAzureSignInsFollowTheirOutcome() throws {
        let okta = EventTypeHint(source: "okta", type: "user.session.start")
        let denied = try ranking("Okta User login to Okta outcome DENY", .nist80053r5, hint: okta)
        let allowed = try ranking("Okta User login to Okta outcome SUCCESS", .nist80053r5, hint: okta)
        #expect(denied.prefix(3).contains("AC-7") && !allowed.prefix(3).contains("AC-7"), "\(denied) \(allowed)")
        let azure = EventTypeHint(source: "azure-activity", type: "Sign-in activity")
        let failed = try ranking("Azure Sign-in activity result Failure", .nist80053r5, hint: azure)
        let succeeded = try ranking("Azure Sign-in activity result Success", .nist80053r5, hint: azure)
        #expect(failed.prefix(3).contains("AC-7") && !succeeded.prefix(3).contains("AC-7"), "\(failed) \(succeeded)")
    }

    /// PCI 8.3.4 (lockout) is reached through IA-5 too, but its main control is AC-7: only failure rows have it.
    @Test func onlyFailureRowsBringTheLockoutRequirement() throws {
        let mapper = try loadMapper()
        let pci = mapper.controlIDs(for: .pciDSSv4)
        let priors = mapper.eventPriors
        #expect(priors.failureKeys.count >= 10)
        for (key, failureKey) in priors.failureKeys {
            let ordinary = priors.entries(for: [key], catalog: "pci_dss_v4").map { pci[Int($0.index)] }
            let failed = priors.entries(for: [failureKey], catalog: "pci_dss_v4").map { pci[Int($0.index)] }
            #expect(!ordinary.contains("8.3.4"), "\(key): \(ordinary)")
            #expect(failed.contains("8.3.4"), "\(failureKey): \(failed)")
        }
    }

    @Test func failureRowsAreNotTypesOfTheirOwn() throws {
        let text = "#lakemark-event-priors\t1\n#beta\tnist_800_53_r5=0.5\n"
            + "cloudtrail\tconsolelogin\tnist_800_53_r5\tIA-2\t1.000\town\n"
            + "cloudtrail\tconsolelogin failed\tnist_800_53_r5\tAC-7\t1.000\town\n"
        let priors = try EventPriors(
            bytes: Array(text.utf8),
            positions: ["nist_800_53_r5": ["IA-2": 0, "AC-7": 1]]
        )
        let key = try #require(priors.key(for: consoleLogin))
        #expect(priors.key(for: EventTypeHint(source: "cloudtrail", type: "ConsoleLogin failed")) == nil)
        #expect(priors.withFailures([key], failed: nil, in: "ConsoleLogin outcome Success") == [key])
        let failed = priors.withFailures([key], failed: nil, in: "ConsoleLogin outcome Failure")
        #expect(priors.entries(for: failed, catalog: "nist_800_53_r5").map(\.index) == [1])
    }
}

/// The event's fields decide over the text's words.
@Suite struct EventOutcomeHintTests {
    private func ranking(_ text: String, hint: EventTypeHint) throws -> [String] {
        let options = MappingOptions(frameworks: [.nist80053r5], threshold: .minSimilarity(0.01), topK: 5)
        return try loadMapper().map([text], hints: [hint], options: options)[0].map(\.controlID)
    }

    @Test func aFailedOktaSignInWhoseTextSaysNothingGetsTheFailureRow() throws {
        let text = "Okta User login to Okta"
        let failed = try ranking(text, hint: EventTypeHint(source: "okta", type: "user.session.start", failed: true))
        let succeeded = try ranking(
            text,
            hint: EventTypeHint(source: "okta", type: "user.session.start", failed: false)
        )
        #expect(failed.prefix(3).contains("AC-7"), "\(failed)")
        #expect(!succeeded.prefix(3).contains("AC-7"), "\(succeeded)")
    }

    @Test func aSuccessTheFieldsReportIsNotTurnedIntoAFailureByWords() throws {
        let text = "AWS signin.amazonaws.com ConsoleLogin outcome Success no failures"
        let hint = EventTypeHint(source: "cloudtrail", type: "ConsoleLogin", failed: false)
        #expect(!(try ranking(text, hint: hint)).prefix(3).contains("AC-7"))
        let unknown = EventTypeHint(source: "cloudtrail", type: "ConsoleLogin")
        #expect(try ranking(text, hint: unknown).prefix(3).contains("AC-7"), "words decide when the fields are silent")
    }

    @Test func theOutcomeIsPartOfTheCacheKey() throws {
        let mapper = try EmbeddedMapper(cacheCapacity: 100)
        let options = MappingOptions(frameworks: [.nist80053r5], threshold: .minSimilarity(0.01), topK: 3)
        let texts = ["Okta User login to Okta", "Okta User login to Okta"]
        let hints = [true, false].map { EventTypeHint(source: "okta", type: "user.session.start", failed: $0) }
        let first = try mapper.map(texts, hints: hints, options: options).map { $0.map(\.controlID) }
        let again = try mapper.map(texts.reversed(), hints: hints.reversed(), options: options).map {
            $0.map(\.controlID)
        }
        #expect(first[0] != first[1], "\(first)")
        #expect(again == first.reversed())
    }
}
