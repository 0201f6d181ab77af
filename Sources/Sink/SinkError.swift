/// A failure to store objects.
///
/// ``message`` is short, names the object path relative to the sink root, and contains no secrets, so it can be
/// returned as a Firehose `errorMessage`.
public struct SinkError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure; the static members are the catalogue, and ``Code/name`` is stable.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The stable name of the code, for example `"diskFull"`.
        public let name: String

        private init(_ name: String) {
            self.name = name
        }

        /// The device or quota is full (`ENOSPC`, `EDQUOT`).
        public static let diskFull = Code("diskFull")
        /// The process may not write there (`EACCES`, `EPERM`, `EROFS`).
        public static let permissionDenied = Code("permissionDenied")
        /// Any other system error.
        public static let ioError = Code("ioError")
        /// The object key is not acceptable (see ``SinkObject/key``); nothing was written.
        public static let invalidKey = Code("invalidKey")
        /// A remote store did not answer in time or kept failing after retries (throttling, 5xx, network).
        public static let unavailable = Code("unavailable")
        /// A remote store refused the credentials or the permission (IAM, bucket or KMS key policy).
        public static let accessDenied = Code("accessDenied")
        /// No credentials could be had to sign with (the credential chain failed: its endpoint, file or role);
        /// nothing was sent to the store.
        public static let credentialsUnavailable = Code("credentialsUnavailable")
        /// A remote store refused the object for another reason (missing bucket, invalid request).
        public static let rejected = Code("rejected")

        /// The same as ``name``.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// The system error number, or `nil` when the failure did not come from a system call.
    public let errno: Int32?
    /// The path concerned, relative to the sink root (`""` for the root itself).
    public let path: String
    /// A one-line explanation that is safe to send to clients.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - errno: The system error number, if any.
    ///   - path: The path relative to the sink root.
    ///   - message: The explanation.
    public init(code: Code, errno: Int32?, path: String, message: String) {
        self.code = code
        self.errno = errno
        self.path = path
        self.message = message
    }

    /// The same as ``message``.
    public var description: String { message }
}
