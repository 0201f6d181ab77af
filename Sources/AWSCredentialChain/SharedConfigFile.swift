import Foundation

/// The profiles of an AWS shared `credentials` or `config` file (INI format).
///
/// In a credentials file a section `[name]` is profile `name`; in a config file profiles are `[profile name]`
/// and `[default]`, and other sections (`[sso-session …]`, `[services …]`) are ignored. Keys are case-insensitive
/// (stored lower case) and values are trimmed. Lines starting with `#` or `;` are comments; indented lines
/// continue the previous key (nested settings such as `s3 =`) and are skipped.
struct SharedConfigFile: Sendable {
    /// Settings by profile name.
    let profiles: [String: [String: String]]

    /// Parses file text.
    ///
    /// - Parameters:
    ///   - text: The file contents.
    ///   - isConfigFile: `true` for a config file (`[profile name]` sections).
    ///   - path: The file path, for error messages.
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` naming the line of a malformed section or setting
    ///   (never its contents).
    init(parsing text: String, isConfigFile: Bool, path: String) throws(CredentialError) {
        var profiles: [String: [String: String]] = [:]
        var current: String?
        var inSection = false
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if rawLine.first == " " || rawLine.first == "\t" {
                guard inSection else { throw Self.malformed(path, line: index + 1) }
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw Self.malformed(path, line: index + 1) }
                let name = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                current = Self.profileName(section: name, isConfigFile: isConfigFile)
                inSection = true
                if let current, profiles[current] == nil { profiles[current] = [:] }
                continue
            }
            guard inSection, let equals = line.firstIndex(of: "=") else { throw Self.malformed(path, line: index + 1) }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty else { throw Self.malformed(path, line: index + 1) }
            if let current { profiles[current]?[key] = value }
        }
        self.profiles = profiles
    }

    /// Reads and parses a file.
    ///
    /// - Parameters:
    ///   - path: The file path.
    ///   - isConfigFile: `true` for a config file.
    /// - Returns: The parsed file, or `nil` when the file does not exist.
    /// - Throws: ``CredentialError/Code/fileUnreadable`` when it exists but cannot be read as UTF-8, or
    ///   ``CredentialError/Code/invalidConfiguration`` when it is malformed.
    static func load(path: String, isConfigFile: Bool) throws(CredentialError) -> SharedConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
        else {
            throw CredentialError(code: .fileUnreadable, source: "profile", message: "cannot read \(path)")
        }
        return try SharedConfigFile(parsing: text, isConfigFile: isConfigFile, path: path)
    }

    /// The profile a section header names, or `nil` for sections that are not profiles.
    private static func profileName(section: String, isConfigFile: Bool) -> String? {
        guard isConfigFile else { return section }
        if section == "default" { return "default" }
        guard section.hasPrefix("profile "), let space = section.firstIndex(of: " ") else { return nil }
        let name = section[space...].trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    /// The error for a malformed line; it names the file and line, never the content.
    private static func malformed(_ path: String, line: Int) -> CredentialError {
        CredentialError(code: .invalidConfiguration, source: "profile", message: "\(path) line \(line) is malformed")
    }
}
