import Foundation
import HTTPClient
import HTTPCore
import Testing

@testable import S3

/// Error bodies, retry classification, backoff, quota and dates, without a network.
@Suite struct S3ProtocolTests {
    @Test func errorBodiesAreParsedWithoutKeepingSignatureDetails() {
        let body = Array(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match \
            &amp; so on</Message><AWSAccessKeyId>AKIDEXAMPLE</AWSAccessKeyId><StringToSign>AWS4-HMAC-SHA256\
            </StringToSign><CanonicalRequest>PUT /x</CanonicalRequest><RequestId>4442587FB7D0A2F9</RequestId>\
            <HostId>host/id=</HostId></Error>
            """.utf8
        )
        let response = HTTPResponse(
            status: HTTPStatus(code: 403),
            headers: ["x-amz-request-id": "header-id"],
            body: body
        )
        let error = S3Error(response: response, operation: "PutObject")
        #expect(error.code == .signatureDoesNotMatch)
        #expect(error.httpStatus == 403)
        #expect(error.requestID == "4442587FB7D0A2F9")
        #expect(error.hostID == "host/id=")
        #expect(error.message == "The request signature we calculated does not match & so on")
        #expect(!error.description.contains("CanonicalRequest") && !error.description.contains("AWS4-HMAC"))
        #expect(error.isAccessDenied && !error.isRetryable)
    }

    @Test func bodylessAnswersAreNamedByStatus() {
        let head = HTTPResponse(status: HTTPStatus(code: 404), headers: ["x-amz-request-id": "R1"])
        let notFound = S3Error(response: head, operation: "HeadBucket")
        #expect(notFound.code.rawValue == "NotFound")
        #expect(notFound.requestID == "R1")
        let moved = HTTPResponse(status: HTTPStatus(code: 301), headers: ["x-amz-bucket-region": "eu-central-1"])
        let redirect = S3Error(response: moved, operation: "PutObject")
        #expect(redirect.code == .permanentRedirect)
        #expect(redirect.message.contains("eu-central-1"))
        #expect(S3Error(response: HTTPResponse(status: HTTPStatus(code: 503)), operation: "x").isRetryable)
    }

    @Test func xmlHelpersHandleAttributesEntitiesAndLookalikes() {
        let xml = Array(
            (#"<?xml version="1.0"?><InitiateMultipartUploadResult xmlns="x"><Bucket>b</Bucket>"#
                + "<Key>a&lt;b&#x26;c&#233;</Key><UploadIdX>no</UploadIdX><UploadId>abc</UploadId><Empty/>"
                + "</InitiateMultipartUploadResult>").utf8
        )
        #expect(S3XML.firstText(of: "UploadId", in: xml) == "abc")
        #expect(S3XML.firstText(of: "Key", in: xml) == "a<b&cé")
        #expect(S3XML.firstText(of: "Empty", in: xml) == "")
        #expect(S3XML.firstText(of: "Missing", in: xml) == nil)
        #expect(S3XML.rootIs("InitiateMultipartUploadResult", in: xml))
        #expect(!S3XML.rootIs("Error", in: xml))
        #expect(S3XML.rootIs("Error", in: Array("\n<Error><Code>InternalError</Code></Error>".utf8)))
        #expect(S3XML.escape(#"a&b<c>"d'"#) == "a&amp;b&lt;c&gt;&quot;d&apos;")
    }

    @Test(arguments: [
        (500, "InternalError", true), (503, "SlowDown", true), (502, "BadGateway", true), (504, "x", true),
        (400, "RequestTimeout", true), (400, "ThrottlingException", true), (403, "AccessDenied", false),
        (404, "NoSuchBucket", false), (400, "InvalidRequest", false), (403, "RequestTimeTooSkewed", false),
    ])
    func standardModeRetriesTransientFailuresOnly(_ status: Int, _ code: String, _ retryable: Bool) {
        let error = S3Error(S3Error.Code(rawValue: code), "m", httpStatus: status)
        #expect(error.isRetryable == retryable)
    }

    @Test func transportFailuresAreRetryableAndTimeoutsCostMore() {
        for code in [S3Error.Code.connectionFailed, .connectionReset, .timedOut] {
            #expect(S3Error(code, "m").isRetryable)
        }
        #expect(S3Error(.timedOut, "m").isTimeout)
        #expect(!S3Error(.deadlineExceeded, "m").isRetryable)
        #expect(!S3Error(.invalidConfiguration, "m").isRetryable)
    }

    @Test func backoffIsFullJitterUnderAnExponentialCeiling() {
        #expect(RetryBackoff.delay(retry: 1, random: 0.999) == .milliseconds(999))
        #expect(RetryBackoff.delay(retry: 2, random: 0.5) == .seconds(1))
        #expect(RetryBackoff.delay(retry: 3, random: 0.5) == .seconds(2))
        #expect(RetryBackoff.delay(retry: 6, random: 0.5) == .seconds(10))
        #expect(RetryBackoff.delay(retry: 40, random: 0.5) == .seconds(10))
        #expect(RetryBackoff.delay(retry: 9, random: 0) == .zero)
    }

    @Test func quotaCostsFiveOrTenAndRefunds() {
        let quota = RetryQuota()
        #expect(quota.acquire(afterTimeout: false) == 5)
        #expect(quota.acquire(afterTimeout: true) == 10)
        #expect(quota.available == 485)
        quota.recordSuccess(retryCost: 15)
        #expect(quota.available == 500)
        quota.recordSuccess(retryCost: 0)
        #expect(quota.available == 500)
        var granted = 0
        while quota.acquire(afterTimeout: false) != nil {
            granted += 1
        }
        #expect(granted == 100)
        #expect(quota.acquire(afterTimeout: true) == nil)
        quota.recordSuccess(retryCost: 0)
        #expect(quota.available == 1)
    }

    @Test func httpDatesParseAndSkewIsTheMidpointDifference() throws {
        let date = try #require(HTTPDateParser.parse("Sun, 06 Nov 1994 08:49:37 GMT"))
        #expect(date.timeIntervalSince1970 == 784_111_777)
        #expect(HTTPDateParser.parse("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
        #expect(HTTPDateParser.parse("Sun, 06 Nov 1994 25:49:37 GMT") == nil)
        let skew = ClockSkew(clock: { Date(timeIntervalSince1970: 784_108_000) })
        let sent = Date(timeIntervalSince1970: 784_108_170)
        let received = Date(timeIntervalSince1970: 784_108_180)
        #expect(skew.learn(serverDate: "Sun, 06 Nov 1994 08:49:37 GMT", sent: sent, received: received))
        #expect(skew.offset == 3_602)
        #expect(skew.correctedNow.timeIntervalSince1970 == 784_111_602)
        #expect(!skew.learn(serverDate: "Sun, 06 Nov 1994 08:49:37 GMT", sent: sent, received: received))
    }

    @Test func operationDeadlinesShortenTimeouts() throws {
        #expect(try OperationDeadline.clamp(.seconds(30), context: "read") == .seconds(30))
        let clamped = try OperationDeadline.with(.now + .seconds(2)) {
            Result { () throws(HTTPClientError) in try OperationDeadline.clamp(.seconds(30), context: "read") }
        }.get()
        #expect(clamped <= Duration.seconds(2) && clamped > Duration.seconds(1))
        let expired = OperationDeadline.with(.now - .seconds(1)) {
            Result { try OperationDeadline.clamp(.seconds(30), context: "read") }
        }
        #expect(throws: (any Error).self) { try expired.get() }
        #expect(OperationDeadline.current == nil)
    }
}
