import AWSSigning
import Foundation
import Testing

/// The S3 examples of https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and the
/// streaming and presign pages (shared doc §1.4), plus S3 path rules.
@Suite struct S3VectorTests {
    static let credentials = AWSCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )
    static let signer = SigV4Signer(service: "s3", region: "us-east-1", credentials: credentials, options: .s3)
    static let host = ("Host", "examplebucket.s3.amazonaws.com")
    /// 2013-05-24T00:00:00Z.
    static let date = Date(timeIntervalSince1970: 1_369_353_600)

    @Test func getObjectWithRange() throws {
        let request = SigV4Request(
            method: "GET",
            path: "/test.txt",
            headers: [Self.host, ("Range", "bytes=0-9")],
            signedHeaderNames: ["range"]
        )
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(
            signature.canonicalRequest == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """
        )
        #expect(signature.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signature.authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        #expect(signature.headers.map(\.name) == ["X-Amz-Date", "X-Amz-Content-Sha256", "Authorization"])
        #expect(signature.headers[1].value == SigV4Request.emptyPayloadHash)
    }

    @Test func putObjectWithStorageClass() throws {
        let body = Array("Welcome to Amazon S3.".utf8)
        let payloadHash = Crypto.hex(try Crypto.sha256(body))
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let path = "/" + S3PathEncoder.encode(key: "test$file.text")
        #expect(path == "/test%24file.text")
        let request = SigV4Request(
            method: "PUT",
            path: path,
            headers: [
                Self.host, ("Date", "Fri, 24 May 2013 00:00:00 GMT"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payloadHash: payloadHash,
            signedHeaderNames: ["Date"]
        )
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(signature.signedHeaders == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class")
        #expect(signature.canonicalRequest.hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(signature.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test func getBucketLifecycle() throws {
        let request = SigV4Request(method: "GET", path: "/", queryItems: [("lifecycle", "")], headers: [Self.host])
        #expect(request.encodedQuery == "lifecycle=")
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(signature.canonicalRequest.hasPrefix("GET\n/\nlifecycle=\n"))
        #expect(signature.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test func listObjects() throws {
        let request = SigV4Request(
            method: "GET",
            path: "/",
            queryItems: [("prefix", "J"), ("max-keys", "2")],
            headers: [Self.host]
        )
        #expect(request.encodedQuery == "max-keys=2&prefix=J")
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(signature.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    @Test func presignedGetObject() throws {
        let request = SigV4Request(
            method: "GET",
            path: "/test.txt",
            headers: [Self.host],
            payloadHash: SigV4Request.unsignedPayload
        )
        let presigned = try Self.signer.presign(request, at: Self.date, expiresIn: 86_400)
        #expect(presigned.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(presigned.signedHeaders == "host")
        #expect(
            presigned.encodedQuery
                == "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1"
                + "%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        )
    }

    @Test func awsChunkedSeedSignature() throws {
        let request = SigV4Request(
            method: "PUT",
            path: "/examplebucket/chunkObject.txt",
            headers: [
                ("Host", "s3.amazonaws.com"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
                ("Content-Encoding", "aws-chunked"), ("Content-Length", "66824"),
                ("x-amz-decoded-content-length", "66560"),
            ],
            payloadHash: "STREAMING-AWS4-HMAC-SHA256-PAYLOAD",
            signedHeaderNames: ["content-encoding", "content-length"]
        )
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(
            signature.signedHeaders
                == "content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;"
                + "x-amz-storage-class"
        )
        #expect(signature.signature == "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9")
    }

    @Test func s3PathIsNeitherNormalisedNorEncodedAgain() throws {
        let key = "my-object//example//photo.user/../a b+c%"
        let path = "/" + S3PathEncoder.encode(key: key)
        #expect(path == "/my-object//example//photo.user/../a%20b%2Bc%25")
        let request = SigV4Request(method: "GET", path: path, headers: [Self.host])
        let signature = try Self.signer.sign(request, at: Self.date)
        #expect(signature.canonicalRequest.split(separator: "\n")[1] == path)
        let generic = SigV4Signer(service: "s3", region: "us-east-1", credentials: Self.credentials)
        let genericSignature = try generic.sign(request, at: Self.date)
        #expect(genericSignature.canonicalRequest.split(separator: "\n")[1] == "/my-object/example/a%2520b%252Bc%2525")
    }

    @Test(arguments: ["/a b", "/ü", "/a?b", "/a#b", "/50%", "/%zz", "relative", "", "/a\"b"])
    func s3PathMustBeEncoded(_ path: String) {
        let request = SigV4Request(method: "GET", path: path, headers: [Self.host])
        let error = #expect(throws: SigningError.self) { try Self.signer.sign(request, at: Self.date) }
        #expect(error?.code == .invalidRequest)
    }

    @Test func encoderKeepsOnlyUnreservedAndSlash() {
        #expect(
            S3PathEncoder.encode(key: "a+b c=ü~*@:,;$&'()!") == "a%2Bb%20c%3D%C3%BC~%2A%40%3A%2C%3B%24%26%27%28%29%21"
        )
        #expect(S3PathEncoder.encode(key: "-._~AZaz09/") == "-._~AZaz09/")
        #expect(S3PathEncoder.encode(key: "日本/😀") == "%E6%97%A5%E6%9C%AC/%F0%9F%98%80")
        #expect(S3PathEncoder.encode(key: "") == "")
    }
}
