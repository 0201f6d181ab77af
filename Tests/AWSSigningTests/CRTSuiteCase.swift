import AWSSigning
import Foundation
import Testing

/// One case of the aws-c-auth suite (`v4/<case>/`): `context.json`, `request.txt` and the header and query
/// expectations.
struct CRTSuiteCase: Sendable, CustomTestStringConvertible {
    /// The fields of `context.json` that the signer needs.
    struct Context: Decodable {
        struct Credentials: Decodable {
            var access_key_id: String
            var secret_access_key: String
            var token: String?
        }

        var credentials: Credentials
        var expiration_in_seconds: Int
        var normalize: Bool
        var region: String
        var service: String
        var sign_body: Bool
        var timestamp: String
        var omit_session_token: Bool?
    }

    /// The case name (its folder name).
    let name: String
    /// The case folder.
    let directory: URL

    /// The case name, shown in test results.
    var testDescription: String { name }

    /// Every case folder directly under `root` that holds a `context.json`.
    static func all(in root: URL) -> [CRTSuiteCase] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.sorted().compactMap { name in
            let directory = root.appendingPathComponent(name)
            let context = directory.appendingPathComponent("context.json")
            guard FileManager.default.fileExists(atPath: context.path) else { return nil }
            return CRTSuiteCase(name: name, directory: directory)
        }
    }

    /// Reads one file of the case exactly.
    func text(_ file: String) throws -> String {
        try readText(directory.appendingPathComponent(file))
    }

    private func prepare() throws -> (SigV4Signer, SigV4Request, Date, Context) {
        let contextData = try Data(contentsOf: directory.appendingPathComponent("context.json"))
        let context = try JSONDecoder().decode(Context.self, from: contextData)
        let request = try SuiteRequest(text("request.txt"))
        let signer = SigV4Signer(
            service: context.service,
            region: context.region,
            credentials: AWSCredentials(
                accessKeyID: context.credentials.access_key_id,
                secretAccessKey: context.credentials.secret_access_key,
                sessionToken: context.credentials.token
            ),
            options: .init(
                pathMode: .generic(normalize: context.normalize),
                addsContentSHA256Header: context.sign_body,
                signsSessionToken: !(context.omit_session_token ?? false)
            )
        )
        let payloadHash = Crypto.hex(try Crypto.sha256(request.body))
        return (signer, try request.signingRequest(payloadHash: payloadHash), try parseUTC(context.timestamp), context)
    }

    /// Header signing: canonical request, string to sign, signature and the `Authorization` line.
    func checkHeaderSigning() throws {
        let (signer, request, date, _) = try prepare()
        let signature = try signer.sign(request, at: date)
        #expect(signature.canonicalRequest == (try text("header-canonical-request.txt")))
        #expect(signature.stringToSign == (try text("header-string-to-sign.txt")))
        #expect(signature.signature == (try text("header-signature.txt")))
        let signedRequest = try SuiteRequest(text("header-signed-request.txt"))
        let expectedAuthorization = signedRequest.headers.first { $0.name == "Authorization" }?.value
        #expect(signature.authorization == expectedAuthorization)
    }

    /// Query signing (presigned URL): canonical request, string to sign, signature and the signed request's query.
    func checkQuerySigning() throws {
        let (signer, request, date, context) = try prepare()
        let presigned = try signer.presign(request, at: date, expiresIn: context.expiration_in_seconds)
        #expect(presigned.canonicalRequest == (try text("query-canonical-request.txt")))
        #expect(presigned.stringToSign == (try text("query-string-to-sign.txt")))
        #expect(presigned.signature == (try text("query-signature.txt")))
        // The expected signed request lists the same parameters in another order (and some unencoded); compare the
        // decoded parameters, sorted.
        let signedRequest = try SuiteRequest(text("query-signed-request.txt"))
        func decoded(_ query: String) throws -> [String] {
            try SigV4Request.queryItems(fromEncoded: query).map { "\($0.name)=\($0.value)" }.sorted()
        }
        #expect(try decoded(presigned.encodedQuery) == decoded(signedRequest.query))
        #expect(try decoded(presigned.encodedQuery) == presigned.queryItems.map { "\($0.name)=\($0.value)" }.sorted())
    }
}
