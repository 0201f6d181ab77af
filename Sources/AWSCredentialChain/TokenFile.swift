import Foundation

/// Reads token files (web identity tokens, container authorization tokens) fresh on every use.
enum TokenFile {
    /// The file's text without a trailing line break.
    ///
    /// - Parameters:
    ///   - path: The file path.
    ///   - source: Names the caller in errors.
    /// - Returns: The token.
    /// - Throws: ``CredentialError/Code/fileUnreadable`` when the file cannot be read, is not UTF-8 or is empty.
    static func read(_ path: String, source: String) throws(CredentialError) -> String {
        guard let data = FileManager.default.contents(atPath: path),
            let text = String(data: data, encoding: .utf8)
        else {
            throw CredentialError(code: .fileUnreadable, source: source, message: "cannot read token file \(path)")
        }
        var token = text
        while token.hasSuffix("\n") || token.hasSuffix("\r") || token.hasSuffix("\r\n") { token.removeLast() }
        guard !token.isEmpty else {
            throw CredentialError(code: .fileUnreadable, source: source, message: "token file \(path) is empty")
        }
        return token
    }
}
