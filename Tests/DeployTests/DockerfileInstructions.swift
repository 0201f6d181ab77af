import Foundation

/// The instructions of a Dockerfile's final stage that decide how a container of the image runs.
///
/// Understands what the repository's Dockerfile uses: `\` continuations, comment lines (also inside a
/// continuation), `ENV name=value …` (values optionally in double quotes), exec-form (JSON array) `ENTRYPOINT`, `CMD`
/// and `HEALTHCHECK … CMD`, `STOPSIGNAL`, `EXPOSE`, `USER`. A later `FROM` starts a new stage and forgets the earlier
/// one.
struct DockerfileInstructions {
    /// A line that could not be understood.
    struct ParseError: Error, CustomStringConvertible {
        /// The logical line (continuations joined).
        let line: String
        /// What is wrong with it.
        let reason: String

        /// The reason and the line.
        var description: String { "\(reason): \(line)" }
    }

    /// `ENV` variables in order of appearance.
    private(set) var environment: [(name: String, value: String)] = []
    /// The exec-form `ENTRYPOINT`.
    private(set) var entrypoint: [String] = []
    /// The exec-form `CMD`.
    private(set) var command: [String] = []
    /// The exec-form command of `HEALTHCHECK … CMD […]`.
    private(set) var healthCheck: [String] = []
    /// The `HEALTHCHECK` options without their dashes, e.g. `["timeout": "3s"]`.
    private(set) var healthCheckOptions: [String: String] = [:]
    /// The `STOPSIGNAL` argument, e.g. `SIGTERM`.
    private(set) var stopSignal: String?
    /// The `EXPOSE` arguments, e.g. `["8080"]`.
    private(set) var exposedPorts: [String] = []
    /// The `USER` argument.
    private(set) var user: String?

    /// An empty stage.
    private init() {}

    /// Parses a Dockerfile.
    /// - Parameter text: the Dockerfile.
    /// - Throws: ``ParseError`` for an instruction of the final stage in a form this parser does not read.
    init(parsing text: String) throws {
        for line in Self.logicalLines(text) {
            let (instruction, arguments) = Self.split(line)
            switch instruction {
            case "FROM": self = DockerfileInstructions()
            case "ENV": environment += try Self.assignments(arguments, line: line)
            case "ENTRYPOINT": entrypoint = try Self.execForm(arguments, line: line)
            case "CMD": command = try Self.execForm(arguments, line: line)
            case "HEALTHCHECK": try parseHealthCheck(arguments, line: line)
            case "STOPSIGNAL": stopSignal = arguments
            case "EXPOSE": exposedPorts += arguments.split(separator: " ").map(String.init)
            case "USER": user = arguments
            default: continue
            }
        }
    }

    /// The `ENV` variables as a dictionary (a later value of the same name wins).
    var environmentDictionary: [String: String] {
        Dictionary(environment.map { ($0.name, $0.value) }, uniquingKeysWith: { _, later in later })
    }

    private mutating func parseHealthCheck(_ arguments: String, line: String) throws {
        guard arguments != "NONE" else {
            healthCheck = []
            healthCheckOptions = [:]
            return
        }
        guard let cmd = arguments.range(of: "CMD ") else {
            throw ParseError(line: line, reason: "HEALTHCHECK without CMD")
        }
        healthCheckOptions = [:]
        for option in arguments[..<cmd.lowerBound].split(separator: " ") {
            let parts = option.drop(while: { $0 == "-" }).split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { throw ParseError(line: line, reason: "HEALTHCHECK option \(option)") }
            healthCheckOptions[String(parts[0])] = String(parts[1])
        }
        healthCheck = try Self.execForm(String(arguments[cmd.upperBound...]), line: line)
    }

    /// Joins `\` continuations and drops blank and comment lines.
    private static func logicalLines(_ text: String) -> [String] {
        var lines: [String] = []
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = raw.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("#") || (trimmed.isEmpty && pending.isEmpty) { continue }
            if trimmed.hasSuffix("\\") {
                pending += trimmed.dropLast().trimmingCharacters(in: .whitespaces) + " "
            } else {
                lines.append((pending + trimmed).trimmingCharacters(in: .whitespaces))
                pending = ""
            }
        }
        if !pending.isEmpty { lines.append(pending.trimmingCharacters(in: .whitespaces)) }
        return lines.filter { !$0.isEmpty }
    }

    /// The upper-cased instruction and the rest of the line.
    private static func split(_ line: String) -> (String, String) {
        guard let space = line.firstIndex(of: " ") else { return (line.uppercased(), "") }
        return (line[..<space].uppercased(), line[space...].trimmingCharacters(in: .whitespaces))
    }

    /// A JSON array of strings.
    private static func execForm(_ text: String, line: String) throws -> [String] {
        guard let array = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String] else {
            throw ParseError(line: line, reason: "expected the exec form, a JSON array of strings")
        }
        return array
    }

    /// `name=value name="value with spaces" …`, or the legacy `name value`.
    private static func assignments(_ text: String, line: String) throws -> [(name: String, value: String)] {
        guard text.contains("=") else {
            let parts = text.split(separator: " ", maxSplits: 1)
            guard parts.count == 2 else { throw ParseError(line: line, reason: "ENV without a value") }
            return [(String(parts[0]), String(parts[1]))]
        }
        var result: [(name: String, value: String)] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "=") else { throw ParseError(line: line, reason: "ENV item") }
            let name = String(rest[..<equals]).trimmingCharacters(in: .whitespaces)
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                guard let close = rest.firstIndex(of: "\"") else {
                    throw ParseError(line: line, reason: "unterminated quote")
                }
                value = String(rest[..<close])
                rest = rest[rest.index(after: close)...]
            } else {
                let end = rest.firstIndex(of: " ") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result.append((name, value))
            rest = rest.drop(while: { $0 == " " })
        }
        return result
    }
}
