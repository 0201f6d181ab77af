public import TLS

extension S3Client {
    /// How the bucket appears in request URLs.
    public enum Addressing: String, Sendable, Hashable, CaseIterable {
        /// Virtual-hosted style against AWS (`https://<bucket>.s3.<region>.amazonaws.com/<key>`), path style
        /// against an overridden endpoint; buckets whose names are not a single DNS label (for example with
        /// dots, which the `*.s3` certificate cannot match) always use path style.
        case automatic
        /// Always virtual-hosted style (`<bucket>.<endpoint host>`), except for bucket names that are not a
        /// single DNS label.
        case virtualHosted
        /// Always path style (`<endpoint>/<bucket>/<key>`).
        case path
    }

    /// Settings for an ``S3Client``. Sizes are in bytes; times are `Duration`s.
    public struct Configuration: Sendable {
        /// The region requests are signed for and (for AWS) the endpoint's region, for example `eu-west-1`.
        public var region: String
        /// An endpoint replacing AWS's, for example `http://127.0.0.1:5000` (moto) or
        /// `https://minio.internal:9000/base`; `http` is allowed for local stores. Default: `nil` (AWS).
        public var endpoint: String?
        /// How the bucket appears in URLs. Default: ``Addressing/automatic``.
        public var addressing: Addressing
        /// The most attempts per request, the first included (AWS standard mode). Default: 3.
        public var maxAttempts: Int
        /// Bodies larger than this are sent with a multipart upload. Default: 67,108,864 (64 MiB).
        public var multipartThreshold: Int
        /// The size of each multipart part but the last; at least 5 MiB. Default: 8,388,608 (8 MiB).
        public var partSize: Int
        /// How long an operation (all its attempts and pauses) may take when the caller gives no deadline.
        /// Default: 120 s.
        public var operationBudget: Duration
        /// The longest time to establish a connection (TCP, proxy tunnel and TLS handshake). Default: 5 s.
        public var connectTimeout: Duration
        /// How long a read may wait for response bytes, or a write may make no progress. Default: 30 s.
        public var ioTimeout: Duration
        /// Idle keep-alive connections kept per host. Default: 16.
        public var maxIdleConnections: Int
        /// CA bundle and proxy for `https` endpoints. Default: the system bundle, no proxy.
        public var tls: TLSConfiguration

        /// Creates a configuration with the documented defaults.
        /// - Parameter region: The signing region.
        public init(region: String) {
            self.region = region
            self.endpoint = nil
            self.addressing = .automatic
            self.maxAttempts = 3
            self.multipartThreshold = 64 << 20
            self.partSize = 8 << 20
            self.operationBudget = .seconds(120)
            self.connectTimeout = .seconds(5)
            self.ioTimeout = .seconds(30)
            self.maxIdleConnections = 16
            self.tls = TLSConfiguration()
        }

        /// The smallest part S3 accepts (all parts but the last).
        public static let minimumPartSize = 5 << 20
        /// The most parts of one multipart upload.
        public static let maximumPartCount = 10_000
    }
}
