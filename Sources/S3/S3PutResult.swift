/// What S3 answered to a stored object.
public struct S3PutResult: Sendable, Hashable {
    /// The `ETag` as returned (quoted), if any.
    public let eTag: String?
    /// The `x-amz-version-id` on a versioned bucket, if any.
    public let versionID: String?
    /// The number of parts of a multipart upload; 0 for a single `PUT`.
    public let partCount: Int

    /// Creates a result.
    /// - Parameters:
    ///   - eTag: The ETag.
    ///   - versionID: The version id.
    ///   - partCount: The number of parts, 0 for a single `PUT`.
    public init(eTag: String?, versionID: String?, partCount: Int) {
        self.eTag = eTag
        self.versionID = versionID
        self.partCount = partCount
    }
}
