extension EventPriors {
    /// The Kubernetes audit verbs recognised after "Kubernetes" in a text.
    static let kubernetesVerbs: [String] = [
        "get", "list", "watch", "create", "update", "patch", "delete", "deletecollection", "impersonate", "bind",
        "escalate",
    ]

    /// The known event types a text names: a GuardDuty finding type (`Recon:EC2/Portscan`), an Okta event type
    /// (`user.session.start`), a CloudTrail event name written in CamelCase (`StopLogging`, also as an IAM action
    /// `cloudtrail:StopLogging`), or, in a text that mentions Kubernetes, a verb followed by a resource
    /// (`get secrets`). Only tokens shaped like one of those are looked up (one pass over the bytes).
    /// - Parameter text: The text being mapped.
    /// - Returns: Type keys, without duplicates, in the order found.
    func detect(in text: String) -> [String] {
        guard !typeTables.isEmpty else {
            return []
        }
        var text = text
        return text.withUTF8 { detect(in: $0) }
    }

    private func detect(in bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var found: [String] = []
        var verbFollowers: [(verb: Range<Int>, resource: Range<Int>)] = []
        var mentionsKubernetes = false
        var previousVerb: Range<Int>?
        var position = 0
        let count = bytes.count
        while position < count {
            while position < count, EventPriors.isSeparator(bytes[position]) {
                position += 1
            }
            var start = position
            while position < count, !EventPriors.isSeparator(bytes[position]) {
                position += 1
            }
            var end = position
            while start < end, bytes[start] == UInt8(ascii: ".") || bytes[start] == UInt8(ascii: ":") {
                start += 1
            }
            while end > start, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: ":") {
                end -= 1
            }
            guard start < end else {
                continue
            }
            let token = UnsafeBufferPointer(rebasing: bytes[start..<end])
            if let key = typeKey(of: token), !found.contains(key) {
                found.append(key)
            }
            if let verb = previousVerb {
                verbFollowers.append((verb, start..<end))
            }
            previousVerb = EventPriors.isKubernetesVerb(token) ? start..<end : nil
            if !mentionsKubernetes {
                mentionsKubernetes =
                    EventPriors.equalsIgnoringCase(token, "kubernetes") || EventPriors.equalsIgnoringCase(token, "k8s")
                    || EventPriors.equalsIgnoringCase(token, "eks")
            }
        }
        guard mentionsKubernetes, typeTables["k8s-audit"] != nil else {
            return found
        }
        for pair in verbFollowers {
            let verb = String(decoding: UnsafeBufferPointer(rebasing: bytes[pair.verb]), as: UTF8.self)
            let resource = String(decoding: UnsafeBufferPointer(rebasing: bytes[pair.resource]), as: UTF8.self)
            let hint = EventTypeHint(source: "k8s-audit", type: verb + " " + resource)
            if let key = key(for: hint), !found.contains(key) {
                found.append(key)
            }
        }
        return found
    }

    /// The key of a token that looks like one of the known type spellings, or nil.
    private func typeKey(of token: UnsafeBufferPointer<UInt8>) -> String? {
        var colons = 0
        var slashes = 0
        var dots = 0
        var uppers = 0
        var lowers = 0
        var lastColon = -1
        for (i, byte) in token.enumerated() {
            switch byte {
            case UInt8(ascii: ":"):
                colons += 1
                lastColon = i
            case UInt8(ascii: "/"): slashes += 1
            case UInt8(ascii: "."): dots += 1
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): uppers += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"): lowers += 1
            default: break
            }
        }
        if colons >= 1, slashes >= 1 {
            return typeTables["guardduty"]?.key(of: token)
        }
        if dots >= 2, uppers == 0 {
            // A whole type of three or more levels: the shorter rows (`security`, `user.authentication`) stand for
            // their families in an event's own type, but in prose they would match host names and e-mail addresses
            // (`security.team@example.com`).
            return typeTables["okta"]?.key(of: token).flatMap { key in
                key.utf8.lazy.filter { $0 == UInt8(ascii: ".") }.count >= 2 ? key : nil
            }
        }
        guard dots == 0, slashes == 0, colons <= 1, uppers >= 2, lowers > 0 else {
            return nil
        }
        // `StopLogging`, or an IAM action `cloudtrail:StopLogging`.
        let name = UnsafeBufferPointer(rebasing: token[(lastColon + 1)...])
        guard let first = name.first, first &- UInt8(ascii: "A") < 26 else {
            return nil
        }
        return typeTables["cloudtrail"]?.key(of: name)
    }

    /// Whether a token is one of ``kubernetesVerbs`` (ignoring ASCII case).
    private static func isKubernetesVerb(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        guard token.count >= 3, token.count <= 16 else {
            return false
        }
        return kubernetesVerbs.contains { equalsIgnoringCase(token, $0) }
    }

    /// Whether a token equals a lower-case ASCII word, ignoring ASCII case.
    private static func equalsIgnoringCase(_ token: UnsafeBufferPointer<UInt8>, _ word: String) -> Bool {
        guard token.count == word.utf8.count else {
            return false
        }
        for (byte, expected) in zip(token, word.utf8) where byte | 0x20 != expected {
            return false
        }
        return true
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
