import AWSSigning
import Foundation
import Testing

/// Header trimming, query encoding, path normalisation, time rendering and request validation.
@Suite struct CanonicalizationTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret/key+value")
    static let signer = SigV4Signer(service: "service", region: "us-east-1", credentials: credentials)
    static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 2015-08-30T12:36:00Z

    /// The canonical header lines of a signed request (between the query line and the empty line).
    static func headerLines(_ signature: SigV4Signature) -> [String] {
        let lines = signature.canonicalRequest.split(separator: "\n", omittingEmptySubsequences: false)
        let end = lines[3...].firstIndex(of: "")!
        return lines[3..<end].map(String.init)
    }

    static func request(_ headers: [(name: String, value: String)], marked: [String] = []) -> SigV4Request {
        SigV4Request(method: "GET", path: "/", headers: [("Host", "example.com")] + headers, signedHeaderNames: marked)
    }

    @Test(arguments: [
        ("  a   b  ", "a b"),
        ("\ta\t\t b\t", "a b"),
        ("\"a   b   c\"", "\"a b c\""),
        ("value1\n  value2\n     value3", "value1 value2 value3"),
        ("x\r\n\ty", "x y"),
        ("", ""),
        ("   ", ""),
        ("ünï  côdé", "ünï côdé"),
    ])
    func headerValuesAreTrimmedAndCollapsed(_ raw: String, _ canonical: String) throws {
        let signature = try Self.signer.sign(Self.request([("X-Amz-Meta-Note", raw)]), at: Self.date)
        #expect(Self.headerLines(signature).contains("x-amz-meta-note:\(canonical)"))
    }

    @Test(arguments: ["a\nb", "a\rb", "a\r\nb", "a\u{0}b", "a\u{7F}", "a\n", "\u{1B}[0m"])
    func malformedHeaderValuesAreRejected(_ raw: String) {
        let error = #expect(throws: SigningError.self) {
            try Self.signer.sign(Self.request([("X-Amz-Meta-Note", raw)]), at: Self.date)
        }
        #expect(error?.code == .invalidRequest)
    }

    @Test func repeatedHeadersJoinInWireOrderAcrossCases() throws {
        let headers = [("X-Amz-Meta-A", "3"), ("x-amz-meta-b", "z"), ("x-amz-meta-a", " 1 "), ("X-AMZ-META-A", "2")]
        let signature = try Self.signer.sign(Self.request(headers), at: Self.date)
        #expect(
            Self.headerLines(signature) == [
                "host:example.com", "x-amz-date:20150830T123600Z", "x-amz-meta-a:3,1,2", "x-amz-meta-b:z",
            ]
        )
        #expect(signature.signedHeaders == "host;x-amz-date;x-amz-meta-a;x-amz-meta-b")
    }

    @Test func defaultSelectionOfSignedHeaders() throws {
        let headers = [
            ("Content-Type", "text/plain"), ("Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg=="), ("Content-Length", "0"),
            ("User-Agent", "lakemark"), ("Accept-Encoding", "gzip"), ("Connection", "keep-alive"),
            ("Range", "bytes=0-1"), ("X-Amz-Acl", "private"),
        ]
        let plain = try Self.signer.sign(Self.request(headers), at: Self.date)
        #expect(plain.signedHeaders == "content-md5;content-type;host;x-amz-acl;x-amz-date")
        let marked = try Self.signer.sign(
            Self.request(headers, marked: ["Content-Length", "RANGE", "absent"]),
            at: Self.date
        )
        #expect(marked.signedHeaders == "content-length;content-md5;content-type;host;range;x-amz-acl;x-amz-date")
    }

    @Test(arguments: ["User-Agent", "accept-encoding", "Connection", "Expect", "Transfer-Encoding", "Authorization"])
    func transportHeadersCannotBeMarked(_ name: String) {
        let error = #expect(throws: SigningError.self) {
            try Self.signer.sign(Self.request([], marked: [name]), at: Self.date)
        }
        #expect(error?.code == .invalidRequest)
    }

    @Test func hostIsRequiredOnce() {
        let missing = SigV4Request(method: "GET", path: "/", headers: [("X-Amz-Meta-A", "1")])
        #expect(throws: SigningError.self) { try Self.signer.sign(missing, at: Self.date) }
        let repeated = Self.request([("host", "other.example.com")])
        #expect(throws: SigningError.self) { try Self.signer.sign(repeated, at: Self.date) }
        let empty = SigV4Request(method: "GET", path: "/", headers: [("Host", "  ")])
        #expect(throws: SigningError.self) { try Self.signer.sign(empty, at: Self.date) }
    }

    @Test func headersSetByTheSignerAreRejected() {
        let tokenSigner = SigV4Signer(
            service: "s3",
            region: "us-east-1",
            credentials: AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "t"),
            options: .s3
        )
        for name in ["Authorization", "X-Amz-Date", "x-amz-content-sha256", "X-Amz-Security-Token"] {
            let error = #expect(throws: SigningError.self) {
                try tokenSigner.sign(Self.request([(name, "x")]), at: Self.date)
            }
            #expect(error?.code == .invalidRequest)
        }
        // Without a token and without the S3 option, those two are ordinary x-amz-* headers.
        let headers = [("x-amz-content-sha256", SigV4Request.emptyPayloadHash), ("X-Amz-Security-Token", "t")]
        #expect(throws: Never.self) { try Self.signer.sign(Self.request(headers), at: Self.date) }
    }

    @Test(arguments: ["bad name", "", "ü", "a:b"])
    func malformedHeaderNamesAreRejected(_ name: String) {
        #expect(throws: SigningError.self) { try Self.signer.sign(Self.request([(name, "v")]), at: Self.date) }
    }

    @Test func queryItemsAreEncodedAndSorted() {
        let request = SigV4Request(
            method: "GET",
            path: "/",
            queryItems: [
                ("a b", "c+d"), ("ü", "/"), ("k", "~-._"), ("empty", ""), ("B", "1"), ("a", "2"), ("a", "10"),
                ("x", "=&?#%"), ("~", "*'()!"),
            ],
            headers: [("Host", "example.com")]
        )
        #expect(
            request.encodedQuery
                == "%C3%BC=%2F&B=1&a=10&a=2&a%20b=c%2Bd&empty=&k=~-._&x=%3D%26%3F%23%25&~=%2A%27%28%29%21"
        )
    }

    @Test func queryStringsAreDecoded() throws {
        let items = try SigV4Request.queryItems(fromEncoded: "a=1&b&c=&%E1%88%B4=x+y&d=%2f%2F&&e=f=g")
        #expect(items.map(\.name) == ["a", "b", "c", "ሴ", "d", "e"])
        #expect(items.map(\.value) == ["1", "", "", "x+y", "//", "f=g"])
        #expect(try SigV4Request.queryItems(fromEncoded: "").isEmpty)
        for malformed in ["a=%zz", "a=%4", "%E1=x", "a=%C3"] {
            #expect(throws: SigningError.self) { try SigV4Request.queryItems(fromEncoded: malformed) }
        }
    }

    @Test func canonicalQueryMatchesEncodedQuery() throws {
        let request = SigV4Request(
            method: "GET",
            path: "/",
            queryItems: [("prefix", "a b/ü"), ("delimiter", "/"), ("list-type", "2")],
            headers: [("Host", "example.com")]
        )
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(signature.canonicalRequest.split(separator: "\n")[2] == request.encodedQuery)
        #expect(request.encodedQuery == "delimiter=%2F&list-type=2&prefix=a%20b%2F%C3%BC")
    }

    @Test(arguments: [
        ("/", "/"), ("//", "/"), ("/./", "/"), ("/..", "/"), ("/a/..", "/"), ("/a/b/../c/./d/", "/a/c/d/"),
        ("//example//", "/example/"), ("/a/.", "/a"), ("/a b/ü", "/a%20b/%C3%BC"), ("/a%2Fb", "/a%252Fb"),
    ])
    func genericPathsAreNormalisedAndEncoded(_ path: String, _ canonical: String) throws {
        let request = SigV4Request(method: "GET", path: path, headers: [("Host", "example.com")])
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(signature.canonicalRequest.split(separator: "\n")[1] == canonical)
    }

    @Test(arguments: [
        (0.999, "19700101T000000Z"), (1_440_938_160, "20150830T123600Z"), (1_709_251_199, "20240229T235959Z"),
        (-1, "19691231T235959Z"), (253_402_300_799, "99991231T235959Z"),
    ])
    func signingTimeIsRenderedInUTC(_ seconds: Double, _ amzDate: String) throws {
        let request = SigV4Request(method: "GET", path: "/", headers: [("Host", "example.com")])
        let signature = try Self.signer.sign(request, at: Date(timeIntervalSince1970: seconds))
        #expect(signature.amzDate == amzDate)
        #expect(signature.credentialScope == "\(amzDate.prefix(8))/us-east-1/service/aws4_request")
    }

    @Test func signingTimeOutOfRange() {
        let request = Self.request([])
        #expect(throws: SigningError.self) {
            try Self.signer.sign(request, at: Date(timeIntervalSince1970: 253_402_300_800))
        }
    }

    @Test(arguments: [
        "", "ABC", "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855", "unsigned-payload", "e3b0",
    ])
    func payloadHashIsValidated(_ hash: String) {
        var request = Self.request([])
        request.payloadHash = hash
        let error = #expect(throws: SigningError.self) { try Self.signer.sign(request, at: Self.date) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func methodIsValidated() {
        var request = Self.request([])
        request.method = "GE T"
        #expect(throws: SigningError.self) { try Self.signer.sign(request, at: Self.date) }
    }

    @Test func configurationIsValidated() {
        let request = Self.request([])
        let broken = [
            SigV4Signer(service: "service", region: "", credentials: Self.credentials),
            SigV4Signer(service: "service", region: "us east", credentials: Self.credentials),
            SigV4Signer(service: "a/b", region: "us-east-1", credentials: Self.credentials),
            SigV4Signer(
                service: "s3",
                region: "us-east-1",
                credentials: AWSCredentials(accessKeyID: "AK/ID", secretAccessKey: "s")
            ),
            SigV4Signer(
                service: "s3",
                region: "us-east-1",
                credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "")
            ),
        ]
        for signer in broken {
            let error = #expect(throws: SigningError.self) { try signer.sign(request, at: Self.date) }
            #expect(error?.code == .invalidConfiguration)
        }
    }

    @Test func expiredCredentialsAreRefused() throws {
        let expiring = AWSCredentials(
            accessKeyID: "ASIAEXAMPLE",
            secretAccessKey: "s",
            sessionToken: "t",
            expiration: Self.date.addingTimeInterval(60)
        )
        let signer = SigV4Signer(service: "s3", region: "us-east-1", credentials: expiring, options: .s3)
        #expect(throws: Never.self) { try signer.sign(Self.request([]), at: Self.date) }
        let error = #expect(throws: SigningError.self) {
            try signer.sign(Self.request([]), at: Self.date.addingTimeInterval(60))
        }
        #expect(error?.code == .expiredCredentials)
    }

    @Test func sessionTokenIsSignedOrAddedAfter() throws {
        let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "tok+/=")
        let signed = try SigV4Signer(service: "s3", region: "us-east-1", credentials: credentials, options: .s3)
            .sign(Self.request([]), at: Self.date)
        #expect(signed.signedHeaders == "host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
        #expect(
            signed.headers.map(\.name) == [
                "X-Amz-Date", "X-Amz-Content-Sha256", "X-Amz-Security-Token", "Authorization",
            ]
        )
        let after = try SigV4Signer(
            service: "sts",
            region: "us-east-1",
            credentials: credentials,
            options: .init(signsSessionToken: false)
        ).sign(Self.request([]), at: Self.date)
        #expect(after.signedHeaders == "host;x-amz-date")
        #expect(after.headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "tok+/=" })
        #expect(!after.canonicalRequest.contains("tok+/="))
    }

    @Test func presignValidatesItsInputs() {
        let request = Self.request([])
        for expiry in [0, -5, SigV4Signer.maximumPresignedExpiry + 1] {
            #expect(throws: SigningError.self) { try Self.signer.presign(request, at: Self.date, expiresIn: expiry) }
        }
        var withAuthParameter = request
        withAuthParameter.queryItems = [("x-amz-signature", "0")]
        #expect(throws: SigningError.self) {
            try Self.signer.presign(withAuthParameter, at: Self.date, expiresIn: 60)
        }
    }

    @Test func presignWithUnsignedTokenAppendsIt() throws {
        let credentials = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "s", sessionToken: "a/b")
        let signer = SigV4Signer(
            service: "service",
            region: "us-east-1",
            credentials: credentials,
            options: .init(signsSessionToken: false)
        )
        let presigned = try signer.presign(Self.request([]), at: Self.date, expiresIn: 60)
        #expect(!presigned.canonicalRequest.contains("X-Amz-Security-Token"))
        #expect(presigned.encodedQuery.hasSuffix("&X-Amz-Security-Token=a%2Fb&X-Amz-Signature=\(presigned.signature)"))
        #expect(presigned.queryItems.last?.name == "X-Amz-Signature")
    }
}
