public import AWSSigning
public import Sink
import Synchronization

/// The S3 sink of `parquet` mode: the objects of each custom source location are stored by a sink that signs
/// with that source's provider role; every other object (the raw location, classes without a role) by the
/// default one.
///
/// Readiness writes nothing. A provider role may only put objects under its own source location, and a probe
/// object there would sit inside the prefix the source's Glue crawler reads (the crawler would classify the
/// stray object and could give the table a wrong partition). Instead ``checkWritable()`` asks every signer for
/// credentials (for a role this is STS `AssumeRole`, which checks the trust policy and the external id; the
/// answer is cached until near expiry), and reports a signer whose most recent write failed until a write
/// through it succeeds again.
public final class SecurityLakeSink: ObjectSink {
    /// One set of credentials and the sink that signs with them.
    public struct Signer: Sendable {
        /// What signs, for messages: the role ARN, or `default credentials`.
        public let identity: String
        /// The sink storing this signer's objects.
        public let sink: any ObjectSink
        /// The signer's credentials, asked by the readiness check.
        public let credentials: any CredentialProvider

        /// Creates a signer.
        /// - Parameters:
        ///   - identity: The role ARN, or `default credentials`.
        ///   - sink: The sink signing with `credentials`.
        ///   - credentials: The credentials.
        public init(identity: String, sink: any ObjectSink, credentials: any CredentialProvider) {
            self.identity = identity
            self.sink = sink
            self.credentials = credentials
        }
    }

    /// The signers; index 0 is the default one.
    public let signers: [Signer]
    /// Key prefixes (relative to the sinks' own prefix) and the index of the signer storing keys under them,
    /// longest prefix first.
    public let routes: [(prefix: String, signer: Int)]
    private let lastFailures = Mutex<[Int: SinkError]>([:])

    /// Creates the sink.
    /// - Parameters:
    ///   - defaultSigner: Stores objects under no routed prefix.
    ///   - routes: Key prefixes and the signer of each; signers are compared by identity, one per distinct role.
    public init(defaultSigner: Signer, routes: [(prefix: String, signer: Signer)]) {
        var signers = [defaultSigner]
        var indexed: [(prefix: String, signer: Int)] = []
        for route in routes {
            if let index = signers.firstIndex(where: { $0.identity == route.signer.identity }) {
                indexed.append((route.prefix, index))
            } else {
                signers.append(route.signer)
                indexed.append((route.prefix, signers.count - 1))
            }
        }
        self.signers = signers
        self.routes = indexed.sorted { ($0.prefix.utf8.count, $1.prefix) > ($1.prefix.utf8.count, $0.prefix) }
    }

    /// The default sink's description and the number of provider roles.
    public var description: String {
        "\(signers[0].sink) with \(signers.count - 1) provider role(s)"
    }

    /// The index of the signer storing a key.
    /// - Parameter key: The object key, relative to the sinks' prefix.
    /// - Returns: The signer index (0 for the default).
    public func signerIndex(forKey key: String) -> Int {
        routes.first { key.hasPrefix($0.prefix) }?.signer ?? 0
    }

    /// Stores each object through its signer's sink, one signer after the other, stopping at the first failure.
    /// - Parameter objects: The objects; keys must be distinct.
    /// - Throws: ``SinkError`` of the first failing signer, its message naming the role.
    public func put(_ objects: [SinkObject]) throws(SinkError) {
        var groups: [Int: [SinkObject]] = [:]
        for object in objects { groups[signerIndex(forKey: object.key), default: []].append(object) }
        var storedBefore = 0
        for index in groups.keys.sorted() {
            let signer = signers[index]
            do throws(SinkError) {
                try signer.sink.put(groups[index] ?? [])
                lastFailures.withLock { _ = $0.removeValue(forKey: index) }
                storedBefore += groups[index]?.count ?? 0
            } catch {
                let named = index == 0 ? error : Self.naming(error, signer.identity)
                lastFailures.withLock { $0[index] = named }
                guard storedBefore > 0 else { throw named }
                // The sink's count covers its own objects; the batch's other locations were stored before it.
                throw SinkError(
                    code: named.code,
                    errno: named.errno,
                    path: named.path,
                    message: named.message + "; before that, \(storedBefore) objects of the batch's other "
                        + "locations were stored"
                )
            }
        }
    }

    /// Asks every signer for credentials and reports the most recent write failure of any signer, writing
    /// nothing (see the type documentation).
    /// - Throws: ``SinkError`` `credentialsUnavailable` naming the signer whose credentials cannot be had, else the
    ///   recorded failure of the first signer whose last write failed.
    public func checkWritable() throws(SinkError) {
        for signer in signers {
            do {
                _ = try signer.credentials.credentials()
            } catch {
                throw SinkError(
                    code: .credentialsUnavailable,
                    errno: nil,
                    path: "",
                    message: "no credentials for \(signer.identity): \(error)"
                )
            }
        }
        if let failure = lastFailures.withLock({ $0.min { $0.key < $1.key }?.value }) {
            throw SinkError(
                code: failure.code,
                errno: failure.errno,
                path: failure.path,
                message: "the last write failed: \(failure.message)"
            )
        }
    }

    private static func naming(_ error: SinkError, _ identity: String) -> SinkError {
        SinkError(code: error.code, errno: error.errno, path: error.path, message: "\(error.message) (as \(identity))")
    }
}
