extension EventPriors {
    /// The ending of a type whose row holds the controls of that type's failed events (`consolelogin failed`).
    static let failureSuffix = " failed"

    /// The words by which a text whose event's fields say nothing (`lakemark map`, the remote API fallback)
    /// reports a failure: `failed: <errorCode>`, `outcome Failure`, `login attempt rejected`, `invalid password`,
    /// `account locked`. Words only: "no failures" counts as one too.
    static let failureWords: Set<String> = [
        "fail", "fails", "failed", "failing", "failure", "failures", "denied", "deny", "unsuccessful", "rejected",
        "invalid", "locked", "lockout",
    ]

    /// Type keys with each replaced by its failure row when it has one and the event failed: a failed sign-in is
    /// evidence about lockout after failed attempts, a successful one is not.
    /// - Parameters:
    ///   - keys: Type keys (from ``key(for:)`` or ``detect(in:)``).
    ///   - failed: What the event's fields say (``EventTypeHint/failed``); when `nil`, the text's words decide.
    ///   - text: The text being mapped.
    /// - Returns: `keys`, failure rows in place of the types they belong to when the event failed.
    func withFailures(_ keys: [String], failed: Bool?, in text: String) -> [String] {
        guard !failureKeys.isEmpty, keys.contains(where: { failureKeys[$0] != nil }),
            failed ?? Self.reportsFailure(text)
        else {
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
