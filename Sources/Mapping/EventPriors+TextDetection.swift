extension EventPriors {
    /// The Kubernetes audit verbs recognised after "Kubernetes" in a text.
    static let kubernetesVerbs: Set<String> = [
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection",
    ]

    /// The known event types a text names: a GuardDuty finding type (`Recon:EC2/Portscan`), an Okta event type
    /// (`user.session.start`), a CloudTrail event name written in CamelCase (`StopLogging`, also as an IAM action
    /// `cloudtrail:StopLogging`), or, in a text that mentions Kubernetes, a verb followed by a resource
    /// (`get secrets`).
    /// - Parameter text: The text being mapped.
    /// - Returns: Type keys, without duplicates, in the order found.
    func detect(in text: String) -> [String] {
        guard !typesBySource.isEmpty else {
            return []
        }
        var found: [String] = []
        var words: [Substring] = []
        var mentionsKubernetes = false
        for bytes in text.utf8.split(whereSeparator: EventPriors.isSeparator) {
            let trimmed = EventPriors.trimmed(Substring(bytes))
            guard !trimmed.isEmpty else {
                continue
            }
            words.append(trimmed)
            if let key = typeKey(of: trimmed), !found.contains(key) {
                found.append(key)
            }
            if !mentionsKubernetes, trimmed.utf8.count == 3 || trimmed.utf8.count == 10 {
                let lower = trimmed.lowercased()
                mentionsKubernetes = lower == "kubernetes" || lower == "k8s" || lower == "eks"
            }
        }
        if mentionsKubernetes, typesBySource["k8s-audit"] != nil {
            for (verb, resource) in zip(words, words.dropFirst()) {
                let lowerVerb = verb.lowercased()
                guard EventPriors.kubernetesVerbs.contains(lowerVerb) else {
                    continue
                }
                let hint = EventTypeHint(source: "k8s-audit", type: lowerVerb + " " + resource.lowercased())
                if let key = key(for: hint), !found.contains(key) {
                    found.append(key)
                }
            }
        }
        return found
    }

    /// A word without leading and trailing full stops and colons (sentence punctuation).
    private static func trimmed(_ word: Substring) -> Substring {
        var start = word.startIndex
        var end = word.endIndex
        while start < end, word[start] == "." || word[start] == ":" {
            start = word.index(after: start)
        }
        while end > start {
            let last = word.index(before: end)
            guard word[last] == "." || word[last] == ":" else {
                break
            }
            end = last
        }
        return word[start..<end]
    }

    /// The key of a token that looks like one of the known type spellings, or nil.
    private func typeKey(of token: Substring) -> String? {
        var colons = 0
        var slashes = 0
        var dots = 0
        var uppers = 0
        var lowers = 0
        for byte in token.utf8 {
            switch byte {
            case UInt8(ascii: ":"): colons += 1
            case UInt8(ascii: "/"): slashes += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): uppers += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): lowers += 1
            default: break
            }
        }
        if colons >= 1, slashes >= 1 {
            return key(for: EventTypeHint(source: "guardduty", type: String(token)))
        }
        if dots >= 2, uppers == 0 {
            return key(for: EventTypeHint(source: "okta", type: String(token)))
        }
        guard dots == 0, slashes == 0, colons <= 1, uppers >= 2, lowers > 0 else {
            return nil
        }
        // `StopLogging`, or an IAM action `cloudtrail:StopLogging`.
        let name = colons == 1 ? token.drop(while: { $0 != ":" }).dropFirst() : token
        guard let first = name.utf8.first, first &- UInt8(ascii: "A") < 26 else {
            return nil
        }
        return key(for: EventTypeHint(source: "cloudtrail", type: String(name)))
    }

    /// Bytes that end a token: white space, quotes, brackets and list punctuation.
    private static func isSeparator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\""),
            UInt8(ascii: "'"), UInt8(ascii: "`"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "("),
            UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"),
            UInt8(ascii: "="), UInt8(ascii: "<"), UInt8(ascii: ">"):
            return true
        default:
            return false
        }
    }
}
