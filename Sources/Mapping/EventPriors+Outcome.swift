extension EventPriors {
    /// The ending of a type whose row holds the controls of that type's failed events (`consolelogin failed`).
    static let failureSuffix = " failed"

    /// The words by which a text reports that its event failed: the synthesised sentences write CloudTrail's
    /// `errorCode` and Google Cloud and Kubernetes error statuses as `failed: …`, a failed console sign-in as
    /// `outcome Failure`, Okta's `outcome.result` (`FAILURE`, `DENY`) and Azure's `resultType` as they are.
    static let failureWords: Set<String> = ["failed", "failure", "failures", "denied", "deny", "unsuccessful"]

    /// Type keys with each replaced by its failure row when it has one and the text reports a failure: a failed
    /// sign-in is evidence about lockout after failed attempts, a successful one is not.
    /// - Parameters:
    ///   - keys: Type keys (from ``key(for:)`` or ``detect(in:)``).
    ///   - text: The text being mapped.
    /// - Returns: `keys`, failure rows in place of the types they belong to when the text reports a failure.
    func withFailures(_ keys: [String], in text: String) -> [String] {
        guard !failureKeys.isEmpty, keys.contains(where: { failureKeys[$0] != nil }), Self.reportsFailure(text) else {
            return keys
        }
        return keys.map { failureKeys[$0] ?? $0 }
    }

    /// Whether one of the text's words (letters, compared ignoring case) is a failure word.
    static func reportsFailure(_ text: String) -> Bool {
        var word = ""
        for character in text.lowercased() {
            if character.isLetter {
                word.append(character)
                continue
            }
            if failureWords.contains(word) { return true }
            word.removeAll(keepingCapacity: true)
        }
        return failureWords.contains(word)
    }
}
