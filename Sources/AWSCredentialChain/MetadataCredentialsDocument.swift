import AWSSigning
import Foundation
import JSONBytes
import ServiceSupport

/// The JSON credential document that the container endpoint and IMDS serve:
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}`, with `"Code": "Success"` from IMDS.
enum MetadataCredentialsDocument {
    /// Parses a document.
    ///
    /// - Parameters:
    ///   - body: The response body.
    ///   - source: Names the caller in errors.
    ///   - now: The current time; credentials that expire at or before it are refused.
    /// - Returns: The credentials.
    /// - Throws: ``CredentialError``: `invalidResponse` for malformed JSON, missing fields or a bad time,
    ///   `serviceError` when the document reports a failure `Code` (with its `Message`), `expiredCredentials`.
    static func parse(_ body: [UInt8], source: String, now: Date) throws(CredentialError) -> AWSCredentials {
        let tape: JSONTape
        do {
            tape = try JSONTape(parsing: body, limits: JSONLimits(maxDepth: 8, maxNodes: 1_000))
        } catch {
            throw CredentialError(code: .invalidResponse, source: source, message: "the credential document \(error)")
        }
        let root = tape.rootIndex
        guard tape.kind(root) == .object else {
            throw CredentialError(
                code: .invalidResponse,
                source: source,
                message: "the credential document is not an object"
            )
        }
        let field = { (name: String) -> String? in tape.value(forKey: name, in: root).flatMap { tape.string($0) } }
        if let code = field("Code") ?? field("code"), code != "Success" {
            let message = (field("Message") ?? field("message")).map { String($0.prefix(300)) } ?? "no message"
            throw CredentialError(code: .serviceError, source: source, message: message, serviceCode: code)
        }
        guard let accessKeyID = field("AccessKeyId"), !accessKeyID.isEmpty,
            let secretAccessKey = field("SecretAccessKey"), !secretAccessKey.isEmpty
        else {
            throw CredentialError(
                code: .invalidResponse,
                source: source,
                message: "the credential document lacks AccessKeyId or SecretAccessKey"
            )
        }
        let token = field("Token").flatMap { $0.isEmpty ? nil : $0 }
        var expiration: Date?
        if let text = field("Expiration") {
            guard let millis = UTCTime.parseTimestamp(text) else {
                throw CredentialError(
                    code: .invalidResponse,
                    source: source,
                    message: "Expiration is not an ISO 8601 time"
                )
            }
            let date = Date(timeIntervalSince1970: Double(millis) / 1000)
            guard date > now else {
                throw CredentialError(
                    code: .expiredCredentials,
                    source: source,
                    message: "the endpoint served credentials that expired at \(UTCTime.rfc3339(millis: millis))"
                )
            }
            expiration = date
        } else if token != nil {
            throw CredentialError(
                code: .invalidResponse,
                source: source,
                message: "temporary credentials lack Expiration"
            )
        }
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey,
            sessionToken: token,
            expiration: expiration
        )
    }
}
