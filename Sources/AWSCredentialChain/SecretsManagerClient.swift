public import AWSSigning
public import Foundation
public import HTTPClient
import HTTPCore
import JSONBytes
public import ServiceSupport

/// Reads secrets with the Secrets Manager `GetSecretValue` action (JSON 1.1 protocol, SigV4 service
/// `secretsmanager`).
///
/// See https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html. Errors are read from
/// the JSON `__type` (or the `x-amzn-ErrorType` header) and `message`/`Message`, and from the XML error documents
/// that signature failures can produce.
public struct SecretsManagerClient: Sendable {
    /// The region that signs requests.
    public let region: String
    private let credentials: any CredentialProvider
    private let caller: EndpointCaller
    private let now: @Sendable () -> Date

    /// Creates a client for an explicit endpoint.
    ///
    /// - Parameters:
    ///   - endpoint: The service endpoint.
    ///   - region: The signing region.
    ///   - credentials: Signs requests; asked on every call (give it a caching provider).
    ///   - connectors: Transports; `https` endpoints need ``AWSHTTPConnectors/tls``.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/awsService``).
    ///   - now: The clock for signing times (default the system clock).
    /// - Throws: ``CredentialError/Code/tlsUnavailable``.
    public init(
        endpoint: HTTPURL,
        region: String,
        credentials: any CredentialProvider,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .awsService,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialError) {
        self.region = region
        self.credentials = credentials
        self.now = now
        caller = try EndpointCaller(url: endpoint, connectors: connectors, policy: policy, source: "secretsManager")
    }

    /// Creates a client for a region; the endpoint is `AWS_ENDPOINT_URL_SECRETS_MANAGER` or `AWS_ENDPOINT_URL`
    /// when set, else `https://secretsmanager.<region>.amazonaws.com`.
    ///
    /// - Parameters:
    ///   - region: The region.
    ///   - credentials: Signs requests.
    ///   - environment: The variables to read.
    ///   - connectors: Transports.
    ///   - policy: Timeouts and attempts (default ``FetchPolicy/awsService``).
    ///   - now: The clock for signing times (default the system clock).
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` or ``CredentialError/Code/tlsUnavailable``.
    public init(
        region: String,
        credentials: any CredentialProvider,
        environment: EnvironmentReader,
        connectors: AWSHTTPConnectors,
        policy: FetchPolicy = .awsService,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws(CredentialError) {
        let endpoint = try AWSEndpoint.url(
            serviceVariable: "SECRETS_MANAGER",
            defaultHost: "secretsmanager.\(region).amazonaws.com",
            environment: environment,
            source: "secretsManager"
        )
        try self.init(
            endpoint: endpoint,
            region: region,
            credentials: credentials,
            connectors: connectors,
            policy: policy,
            now: now
        )
    }

    /// The region of a Secrets Manager ARN (`arn:<partition>:secretsmanager:<region>:<account>:secret:<name>`).
    ///
    /// - Parameter arn: The ARN.
    /// - Returns: The region, or `nil` when `arn` is not a Secrets Manager ARN.
    public static func region(fromARN arn: String) -> String? {
        let parts = arn.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
        guard parts.count == 7, parts[0] == "arn", parts[2] == "secretsmanager", !parts[3].isEmpty else { return nil }
        return String(parts[3])
    }

    /// Reads a secret.
    ///
    /// - Parameters:
    ///   - secretID: The secret name or ARN (use the full ARN for another account's secret).
    ///   - versionStage: The stage to read, or `nil` (the default) for `AWSCURRENT`.
    /// - Returns: The secret.
    /// - Throws: ``CredentialError``: `serviceError` (for example `ResourceNotFoundException`,
    ///   `AccessDeniedException`, `SignatureDoesNotMatch`), `transportFailed`, `httpStatus`, `invalidResponse`, or
    ///   the credential provider's failure.
    public func getSecretValue(secretID: String, versionStage: String? = nil) throws(CredentialError) -> SecretValue {
        var writer = JSONWriter(capacity: 64 + secretID.utf8.count)
        writer.appendRaw("{\"SecretId\":")
        writer.appendString(secretID)
        if let versionStage {
            writer.appendRaw(",\"VersionStage\":")
            writer.appendString(versionStage)
        }
        writer.appendRaw("}")
        let body = writer.bytes
        let builder = SignedRequestBuilder(service: "secretsmanager", region: region, source: "secretsManager")
        let target = caller.target("/")
        let response = try caller.send { () throws(CredentialError) in
            let signing = try CredentialError.calling(credentials, source: "secretsManager")
            return try builder.post(
                url: caller.url,
                target: target,
                headers: [
                    (name: "Content-Type", value: "application/x-amz-json-1.1"),
                    (name: "X-Amz-Target", value: "secretsmanager.GetSecretValue"),
                ],
                body: body,
                credentials: signing,
                at: now()
            )
        }
        guard response.status.isSuccess else { throw Self.serviceError(response) }
        return try Self.parse(response)
    }

    /// Reads `SecretString` (or `SecretBinary`) and `VersionId` from a successful answer.
    private static func parse(_ response: HTTPResponse) throws(CredentialError) -> SecretValue {
        guard let tape = try? JSONTape(parsing: response.body), tape.kind(tape.rootIndex) == .object else {
            throw CredentialError(
                code: .invalidResponse,
                source: "secretsManager",
                message: "the answer is not a JSON object",
                httpStatus: response.status.code
            )
        }
        let root = tape.rootIndex
        let versionID = tape.value(forKey: "VersionId", in: root).flatMap { tape.string($0) }
        if let node = tape.value(forKey: "SecretString", in: root), let text = tape.string(node) {
            return SecretValue(secretString: text, versionID: versionID)
        }
        if let node = tape.value(forKey: "SecretBinary", in: root), let encoded = tape.string(node) {
            guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8) else {
                throw CredentialError(
                    code: .invalidResponse,
                    source: "secretsManager",
                    message: "SecretBinary is not base64 of UTF-8 text",
                    httpStatus: response.status.code
                )
            }
            return SecretValue(secretString: text, versionID: versionID)
        }
        throw CredentialError(
            code: .invalidResponse,
            source: "secretsManager",
            message: "the answer has neither SecretString nor SecretBinary",
            httpStatus: response.status.code
        )
    }

    /// The error of a failed answer, from JSON (`__type`, `message`), the `x-amzn-ErrorType` header or an XML
    /// error document.
    static func serviceError(_ response: HTTPResponse) -> CredentialError {
        var code: String?
        var message: String?
        if let tape = try? JSONTape(parsing: response.body), tape.kind(tape.rootIndex) == .object {
            let root = tape.rootIndex
            code = tape.value(forKey: "__type", in: root).flatMap { tape.string($0) }
            message = (tape.value(forKey: "message", in: root) ?? tape.value(forKey: "Message", in: root))
                .flatMap { tape.string($0) }
        } else {
            let text = String(decoding: response.body, as: UTF8.self)[...]
            if let error = XMLText.element("Error", in: text) {
                code = XMLText.text("Code", in: error)
                message = XMLText.text("Message", in: error)
            }
        }
        if let type = code ?? response.headers["x-amzn-ErrorType"] {
            let name = shortErrorCode(type)
            return CredentialError(
                code: .serviceError,
                source: "secretsManager",
                message: message.map { String($0.prefix(300)) } ?? "no message",
                httpStatus: response.status.code,
                serviceCode: name
            )
        }
        return CredentialError(
            code: .httpStatus,
            source: "secretsManager",
            message: "unexpected answer \(response.status.code)",
            httpStatus: response.status.code
        )
    }

    /// `com.amazonaws.x#Code:http://…` → `Code`: the part after the last `#`, before the first `:`.
    static func shortErrorCode(_ type: String) -> String {
        var name = Substring(type)
        if let hash = name.lastIndex(of: "#") { name = name[name.index(after: hash)...] }
        if let colon = name.firstIndex(of: ":") { name = name[..<colon] }
        return String(name)
    }
}
