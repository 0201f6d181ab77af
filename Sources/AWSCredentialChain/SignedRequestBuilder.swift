import AWSSigning
import Foundation
import HTTPClient
import HTTPCore

/// Builds SigV4-signed `POST` requests for the AWS query and JSON protocols (STS, Secrets Manager).
struct SignedRequestBuilder: Sendable {
    /// The signing name of the service, for example `sts`.
    let service: String
    /// The signing region.
    let region: String
    /// Names the caller in errors.
    let source: String

    /// Signs a `POST` of `body` to `target` on `url`'s host with `headers` (which must not include `Host`).
    ///
    /// Signed: `host`, `content-type`, `x-amz-date`, every `x-amz-*` header given and `x-amz-security-token`.
    ///
    /// - Parameters:
    ///   - url: The endpoint (host and port).
    ///   - target: The request path.
    ///   - headers: Further headers, for example `Content-Type` and `X-Amz-Target`.
    ///   - body: The body; its SHA-256 is the payload hash.
    ///   - credentials: The credentials to sign with.
    ///   - date: The signing time.
    /// - Returns: The request ready to send.
    /// - Throws: ``CredentialError/Code/invalidConfiguration`` when the signer refuses the credentials or the
    ///   region, ``CredentialError/Code/expiredCredentials`` when they have expired.
    func post(
        url: HTTPURL,
        target: String,
        headers: [(name: String, value: String)],
        body: [UInt8],
        credentials: AWSCredentials,
        at date: Date
    ) throws(CredentialError) -> HTTPClientRequest {
        let host = url.hostHeaderValue
        let signer = SigV4Signer(service: service, region: region, credentials: credentials)
        let signature: SigV4Signature
        do {
            let payloadHash = Crypto.hex(try Crypto.sha256(body))
            let request = SigV4Request(
                method: "POST",
                path: target,
                headers: [(name: "Host", value: host)] + headers,
                payloadHash: payloadHash
            )
            signature = try signer.sign(request, at: date)
        } catch {
            let code: CredentialError.Code =
                error.code == .expiredCredentials ? .expiredCredentials : .invalidConfiguration
            throw CredentialError(code: code, source: source, message: "cannot sign the request: \(error.message)")
        }
        var fields = HTTPHeaders()
        fields.add(name: "Host", value: host)
        for header in headers { fields.add(name: header.name, value: header.value) }
        for header in signature.headers { fields.add(name: header.name, value: header.value) }
        return HTTPClientRequest(
            method: .post,
            host: url.host,
            port: url.port,
            target: target,
            headers: fields,
            body: body
        )
    }
}
