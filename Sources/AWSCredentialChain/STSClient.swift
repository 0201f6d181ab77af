import AWSSigning
import Foundation
import HTTPClient
import HTTPCore
import ServiceSupport

/// Calls the two STS actions the credential chain needs, over the query protocol
/// (https://docs.aws.amazon.com/STS/latest/APIReference/): `AssumeRoleWithWebIdentity` (unsigned) and
/// `AssumeRole` (SigV4-signed).
struct STSClient: Sendable {
    /// The endpoint.
    let caller: EndpointCaller
    /// The region that signs `AssumeRole` calls.
    let signingRegion: String

    /// Creates a client.
    ///
    /// - Parameters:
    ///   - endpoint: The STS endpoint.
    ///   - signingRegion: The region in the credential scope.
    ///   - connectors: Transports.
    ///   - policy: Timeouts and attempts.
    /// - Throws: ``CredentialError/Code/tlsUnavailable``.
    init(
        endpoint: HTTPURL,
        signingRegion: String,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy
    ) throws(CredentialError) {
        caller = try EndpointCaller(url: endpoint, connectors: connectors, policy: policy, source: "sts")
        self.signingRegion = signingRegion
    }

    /// The STS endpoint for a region: `AWS_ENDPOINT_URL_STS` or `AWS_ENDPOINT_URL` when set, else
    /// `https://sts.<region>.amazonaws.com`, else (no region) the global `https://sts.amazonaws.com`.
    ///
    /// - Parameters:
    ///   - region: The region, or `nil` for the global endpoint.
    ///   - environment: The variables to read.
    /// - Returns: The endpoint and the signing region (`us-east-1` for the global endpoint).
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` for a malformed override.
    static func endpoint(
        region: String?,
        environment: EnvironmentReader
    ) throws(CredentialError) -> (url: HTTPURL, signingRegion: String) {
        let host = region.map { "sts.\($0).amazonaws.com" } ?? "sts.amazonaws.com"
        let url = try AWSEndpoint.url(
            serviceVariable: "STS",
            defaultHost: host,
            environment: environment,
            source: "sts"
        )
        return (url, region ?? "us-east-1")
    }

    /// Exchanges a web identity (OIDC) token for role credentials; the call is not signed.
    ///
    /// - Parameters:
    ///   - roleARN: The role to assume.
    ///   - sessionName: The role session name (2–64 characters).
    ///   - token: The OIDC token.
    ///   - durationSeconds: The session length, or `nil` for the role's default.
    /// - Returns: The temporary credentials.
    /// - Throws: ``CredentialError``: `serviceError` with the STS code, `transportFailed`, `httpStatus`,
    ///   `invalidResponse`.
    func assumeRoleWithWebIdentity(
        roleARN: String,
        sessionName: String,
        token: String,
        durationSeconds: Int?
    ) throws(CredentialError) -> AWSCredentials {
        var form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ]
        if let durationSeconds { form.append(("DurationSeconds", String(durationSeconds))) }
        let body = Self.formEncode(form)
        let request = caller.request(.post, path: "", headers: [("Content-Type", Self.contentType)], body: body)
        let response = try caller.send { () throws(CredentialError) in request }
        return try parse(response, result: "AssumeRoleWithWebIdentityResult")
    }

    /// Assumes a role with the caller's credentials; the call is signed with SigV4 (service `sts`).
    ///
    /// - Parameters:
    ///   - roleARN: The role to assume.
    ///   - sessionName: The role session name.
    ///   - externalID: The external ID the role's trust policy asks for, or `nil`.
    ///   - durationSeconds: The session length, or `nil` for the default (1 hour).
    ///   - credentials: Signs the call; asked for again on each attempt.
    ///   - now: The clock for the signing time.
    /// - Returns: The temporary credentials.
    /// - Throws: ``CredentialError``; failures of `credentials` are passed through (foreign errors are wrapped
    ///   as `providerFailed`).
    func assumeRole(
        roleARN: String,
        sessionName: String,
        externalID: String?,
        durationSeconds: Int?,
        credentials: any CredentialProvider,
        now: @Sendable () -> Date
    ) throws(CredentialError) -> AWSCredentials {
        var form = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleARN), ("RoleSessionName", sessionName),
        ]
        if let externalID { form.append(("ExternalId", externalID)) }
        if let durationSeconds { form.append(("DurationSeconds", String(durationSeconds))) }
        let body = Self.formEncode(form)
        let builder = SignedRequestBuilder(service: "sts", region: signingRegion, source: "sts")
        let target = caller.target("")
        let response = try caller.send { () throws(CredentialError) in
            let signing = try CredentialError.calling(credentials, source: "sts")
            return try builder.post(
                url: caller.url,
                target: target,
                headers: [(name: "Content-Type", value: Self.contentType)],
                body: body,
                credentials: signing,
                at: now()
            )
        }
        return try parse(response, result: "AssumeRoleResult")
    }

    /// The form content type STS expects.
    private static let contentType = "application/x-www-form-urlencoded; charset=utf-8"

    /// Reads the credentials out of a successful answer, or the error out of a failed one.
    private func parse(_ response: HTTPResponse, result: String) throws(CredentialError) -> AWSCredentials {
        let text = String(decoding: response.body, as: UTF8.self)[...]
        guard response.status.isSuccess else {
            throw Self.serviceError(response, text: text)
        }
        guard let resultElement = XMLText.element(result, in: text),
            let credentials = XMLText.element("Credentials", in: resultElement),
            let accessKeyID = XMLText.text("AccessKeyId", in: credentials), !accessKeyID.isEmpty,
            let secretAccessKey = XMLText.text("SecretAccessKey", in: credentials), !secretAccessKey.isEmpty,
            let sessionToken = XMLText.text("SessionToken", in: credentials), !sessionToken.isEmpty,
            let expirationText = XMLText.text("Expiration", in: credentials)
        else {
            throw CredentialError(
                code: .invalidResponse,
                source: "sts",
                message: "the answer lacks \(result)/Credentials or one of its fields",
                httpStatus: response.status.code
            )
        }
        guard let millis = UTCTime.parseTimestamp(expirationText) else {
            throw CredentialError(
                code: .invalidResponse,
                source: "sts",
                message: "Expiration is not an ISO 8601 time",
                httpStatus: response.status.code
            )
        }
        return AWSCredentials(
            accessKeyID: accessKeyID,
            secretAccessKey: secretAccessKey,
            sessionToken: sessionToken,
            expiration: Date(timeIntervalSince1970: Double(millis) / 1000)
        )
    }

    /// The error of a failed answer: `<ErrorResponse><Error><Code>…<Message>…` (also inside `<Errors>`).
    private static func serviceError(_ response: HTTPResponse, text: Substring) -> CredentialError {
        if let error = XMLText.element("Error", in: text), let code = XMLText.text("Code", in: error) {
            let message = XMLText.text("Message", in: error).map { String($0.prefix(300)) } ?? "no message"
            return CredentialError(
                code: .serviceError,
                source: "sts",
                message: message,
                httpStatus: response.status.code,
                serviceCode: code
            )
        }
        return CredentialError(
            code: .httpStatus,
            source: "sts",
            message: "unexpected answer \(response.status.code)",
            httpStatus: response.status.code
        )
    }

    /// `application/x-www-form-urlencoded` with every byte outside `A–Z a–z 0–9 - . _ ~` percent-encoded.
    static func formEncode(_ fields: [(String, String)]) -> [UInt8] {
        var out: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: "&")) }
            appendEncoded(field.0, to: &out)
            out.append(UInt8(ascii: "="))
            appendEncoded(field.1, to: &out)
        }
        return out
    }

    /// Appends `text` percent-encoded (unreserved bytes kept).
    private static func appendEncoded(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
    }
}
