import AWSSigning
import Foundation
import Testing

/// One case of the classic-format suite (botocore's `aws4_testsuite`): `NAME.req`, `.creq`, `.sts`, `.authz`, `.sreq`.
struct ClassicSuiteCase: Sendable, CustomTestStringConvertible {
    /// The case name (its folder name).
    let name: String
    /// The case folder.
    let directory: URL

    /// The case name, shown in test results.
    var testDescription: String { name }

    /// Every case folder under `root` (recursively): a folder `X` holding `X.req`.
    static func all(in root: URL) -> [ClassicSuiteCase] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [ClassicSuiteCase] = []
        for case let url as URL in walker where url.pathExtension == "req" {
            let directory = url.deletingLastPathComponent()
            let name = url.deletingPathExtension().lastPathComponent
            if directory.lastPathComponent == name { cases.append(ClassicSuiteCase(name: name, directory: directory)) }
        }
        return cases.sorted { $0.name < $1.name }
    }

    /// Reads one file of the case exactly.
    func text(_ suffix: String) throws -> String {
        try readText(directory.appendingPathComponent("\(name).\(suffix)"))
    }

    /// Signs the request and compares the canonical request, string to sign and `Authorization` byte for byte.
    func check() throws {
        var request = try SuiteRequest(text("req"))
        let amzDate = request.removeHeader("X-Amz-Date")
        let date = try parseUTC(#require(amzDate))
        // The token is in the request or, for some cases, only in the signed request. Per the suite's
        // post-sts-token/readme.txt, `post-sts-header-after` adds it after signing; every other case signs it.
        var token = request.removeHeader("X-Amz-Security-Token")
        if token == nil {
            let signed = try SuiteRequest(text("sreq"))
            token = signed.headers.first { $0.name.lowercased() == "x-amz-security-token" }?.value
        }
        let signsToken = name != "post-sts-header-after"
        let signer = SigV4Signer(
            service: SuiteConstants.service,
            region: SuiteConstants.region,
            credentials: AWSCredentials(
                accessKeyID: SuiteConstants.accessKeyID,
                secretAccessKey: SuiteConstants.secretAccessKey,
                sessionToken: token
            ),
            options: .init(pathMode: .generic(normalize: true), signsSessionToken: signsToken)
        )
        let payloadHash = Crypto.hex(try Crypto.sha256(request.body))
        let signature = try signer.sign(request.signingRequest(payloadHash: payloadHash), at: date)
        #expect(signature.canonicalRequest == (try text("creq")))
        #expect(signature.stringToSign == (try text("sts")))
        #expect(signature.authorization == (try text("authz")))
        if let token {
            #expect(signature.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == token })
        }
    }
}
