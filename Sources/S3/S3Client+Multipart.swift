import AWSSigning
import Foundation
import HTTPCore
import Synchronization

extension S3Client {
    /// The longest time an abort may take after a failed upload (it runs even when the budget is spent).
    static let abortBudget = Duration.seconds(10)

    /// One uploaded part, as CompleteMultipartUpload lists it.
    private struct UploadedPart {
        let number: Int
        let eTag: String
        let checksum: String
    }

    /// Uploads `body` in parts: CreateMultipartUpload (with the SHA-256 checksum algorithm), UploadPart for
    /// each part (each with its own checksums and retries), CompleteMultipartUpload. On any failure the upload
    /// is aborted (best effort) so no parts linger.
    func multipartUpload(
        bucket: String,
        key: String,
        body: [UInt8],
        options: S3PutOptions,
        deadline: ContinuousClock.Instant
    ) throws(S3Error) -> S3PutResult {
        var create = S3Request(operation: "CreateMultipartUpload", method: .post, bucket: bucket, key: key)
        create.query = [("uploads", "")]
        create.headers = options.objectHeaders + [("x-amz-checksum-algorithm", "SHA256")]
        let created = try self.perform(create, deadline: deadline)
        guard let uploadID = S3XML.firstText(of: "UploadId", in: created.body), !uploadID.isEmpty else {
            throw S3Error(.invalidResponse, "CreateMultipartUpload answered without an UploadId")
        }
        do throws(S3Error) {
            let parts = try self.uploadParts(
                bucket: bucket,
                key: key,
                uploadID: uploadID,
                body: body,
                options: options,
                deadline: deadline
            )
            var complete = S3Request(operation: "CompleteMultipartUpload", method: .post, bucket: bucket, key: key)
            complete.query = [("uploadId", uploadID)]
            complete.headers = options.requestHeaders + [("Content-Type", "application/xml")]
            let document = Array(Self.completionDocument(parts).utf8)
            do {
                complete.payloadHash = Crypto.hex(try Crypto.sha256(document))
            } catch {
                throw S3Error(.signingFailed, error.description)
            }
            complete.body = document
            complete.mayFailWithSuccessStatus = true
            let completed = try self.perform(complete, deadline: deadline)
            return S3PutResult(
                eTag: S3XML.firstText(of: "ETag", in: completed.body) ?? completed.headers["ETag"],
                versionID: completed.headers["x-amz-version-id"],
                partCount: parts.count
            )
        } catch {
            throw self.abort(bucket: bucket, key: key, uploadID: uploadID, options: options, after: error)
        }
    }

    private func uploadParts(
        bucket: String,
        key: String,
        uploadID: String,
        body: [UInt8],
        options: S3PutOptions,
        deadline: ContinuousClock.Instant
    ) throws(S3Error) -> [UploadedPart] {
        let maximumCount = Configuration.maximumPartCount
        let partSize = max(self.configuration.partSize, (body.count + maximumCount - 1) / maximumCount)
        var parts: [UploadedPart] = []
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + partSize)
            let number = parts.count + 1
            var request = S3Request(operation: "UploadPart", method: .put, bucket: bucket, key: key)
            request.query = [("partNumber", String(number)), ("uploadId", uploadID)]
            request.headers = options.requestHeaders
            try self.attachBody(Array(body[offset..<end]), to: &request, options: options)
            let checksum = request.headers.first { $0.name == "x-amz-checksum-sha256" }?.value ?? ""
            let response = try self.perform(request, deadline: deadline)
            guard let eTag = response.headers["ETag"] else {
                throw S3Error(.invalidResponse, "UploadPart \(number) answered without an ETag")
            }
            parts.append(UploadedPart(number: number, eTag: eTag, checksum: checksum))
            offset = end
        }
        return parts
    }

    /// Aborts an upload after `error` and returns `error` with what happened to the upload appended.
    private func abort(
        bucket: String,
        key: String,
        uploadID: String,
        options: S3PutOptions,
        after error: S3Error
    ) -> S3Error {
        var request = S3Request(operation: "AbortMultipartUpload", method: .delete, bucket: bucket, key: key)
        request.query = [("uploadId", uploadID)]
        request.headers = options.requestHeaders
        self.counters.abortedUploads.add(1, ordering: .relaxed)
        let outcome: String
        do {
            _ = try self.perform(request, deadline: .now + Self.abortBudget)
            outcome = "the incomplete multipart upload was aborted"
        } catch {
            outcome =
                "aborting the incomplete multipart upload failed (\(error.code)); a lifecycle rule with "
                + "AbortIncompleteMultipartUpload removes its parts"
        }
        return S3Error(
            error.code,
            S3Error.singleLine(error.message) + "; " + outcome,
            httpStatus: error.httpStatus,
            requestID: error.requestID,
            hostID: error.hostID,
            attempts: error.attempts
        )
    }

    private static func completionDocument(_ parts: [UploadedPart]) -> String {
        var xml = #"<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">"#
        for part in parts {
            xml += "<Part><ETag>\(S3XML.escape(part.eTag))</ETag><PartNumber>\(part.number)</PartNumber>"
            xml += "<ChecksumSHA256>\(part.checksum)</ChecksumSHA256></Part>"
        }
        return xml + "</CompleteMultipartUpload>"
    }
}
