import Codecs
import Foundation
import Glibc
import JSONBytes
import OCSF
import Sink
import Synchronization

/// A durable write-ahead spool for Parquet output: each request's validated records are written, per partition,
/// as length-prefixed JSON entries to `groups/<class>/<region>/<account>/<day>/<request>.ndjson` (synced before
/// Firehose is answered), and a partition is flushed to one Parquet object once its oldest file is
/// ``maxAgeSeconds`` old or it holds ``maxBytes``.
///
/// Exactly-once across crashes: a flush first records a manifest (`flushing/<name>`: the partition and its request
/// files), writes the object under a name derived from that file set (so a repeated flush overwrites), records
/// `flushed/<name>` (the same list), then deletes the files and the manifest. On start-up ``recover()`` finishes
/// or repeats every interrupted flush. A request retried by Firehose rewrites its own file (same name), and a
/// request already flushed is recognised from the `flushed/` records and not spooled again.
public final class SecurityLakeSpool: Sendable {
    /// What a flush did, for the app's log.
    public struct FlushReport: Sendable {
        /// The object key written.
        public var key: String
        /// Rows in the object.
        public var rows: Int
        /// Request files the object replaced.
        public var files: Int
        /// Object size in bytes.
        public var bytes: Int
    }

    /// The spool directory.
    public let directory: String
    /// Flush age, in seconds.
    public let maxAgeSeconds: Double
    /// Flush size, in bytes.
    public let maxBytes: Int
    private let store: LocalDirectorySink
    private let sink: any ObjectSink
    private let writer: SecurityLakeWriter
    private let state: Mutex<State>

    private struct Group {
        var bytes = 0
        var oldest: Double
        var flushing = false
        /// A request was spooled into the partition while it was being flushed.
        var appendedWhileFlushing = false
    }

    private struct State {
        var groups: [String: Group] = [:]
        /// `<partition path> <request>` of every flushed request, with when it was flushed (seconds).
        var flushed: [String: Double] = [:]
        /// When the ledger was last pruned (seconds).
        var lastPrune = 0.0
    }

    /// Opens (creating) a spool; call ``recover()`` before serving.
    /// - Parameters:
    ///   - directory: the spool directory.
    ///   - writer: builds the Parquet objects.
    ///   - sink: where flushed objects go.
    ///   - maxAgeSeconds: flush age in seconds.
    ///   - maxBytes: flush size in bytes.
    public init(
        directory: String,
        writer: SecurityLakeWriter,
        sink: any ObjectSink,
        maxAgeSeconds: Double,
        maxBytes: Int
    ) {
        self.directory = directory
        self.store = LocalDirectorySink(root: directory)
        self.sink = sink
        self.writer = writer
        self.maxAgeSeconds = maxAgeSeconds
        self.maxBytes = maxBytes
        self.state = Mutex(State())
    }

    /// Appends one spool entry: `<length>\n{"a":attribute,"d":text,"m":matches,"e":event}\n`.
    /// - Parameters:
    ///   - event: the OCSF event JSON.
    ///   - enrichment: its enrichment, or `nil`.
    ///   - buffer: the partition's lines.
    static func appendLine(event: [UInt8], enrichment: OCSFEnrichment?, to buffer: inout [UInt8]) {
        var writer = JSONWriter(capacity: event.count + 256)
        writer.appendRaw("{")
        if let enrichment {
            writer.appendRaw("\"a\":")
            writer.appendString(enrichment.attribute)
            writer.appendRaw(",\"d\":")
            writer.appendString(enrichment.text)
            writer.appendRaw(",\"m\":")
            writer.appendRaw(enrichment.matchesJSON)
            writer.appendRaw(",")
        }
        writer.appendRaw("\"e\":")
        writer.appendRaw(event)
        writer.appendRaw("}")
        // Length-prefixed: an event may hold raw line breaks (inside `unmapped` values copied from the source).
        buffer.append(contentsOf: Array("\(writer.bytes.count)\n".utf8))
        buffer.append(contentsOf: writer.bytes)
        buffer.append(0x0A)
    }

    /// The entries of a spool file written by ``appendLine(event:enrichment:to:)``.
    /// - Parameter bytes: the file.
    /// - Returns: each entry's JSON, or `nil` when the file is malformed (never produced: files appear whole).
    static func entries(_ bytes: [UInt8]) -> [ArraySlice<UInt8>]? {
        var entries: [ArraySlice<UInt8>] = []
        var index = 0
        while index < bytes.count {
            guard let newline = bytes[index...].firstIndex(of: 0x0A),
                let length = Int(String(decoding: bytes[index..<newline], as: UTF8.self)), length >= 0
            else { return nil }
            let start = newline + 1
            guard start + length < bytes.count, bytes[start + length] == 0x0A else { return nil }
            entries.append(bytes[start..<(start + length)])
            index = start + length + 1
        }
        return entries
    }

    /// Makes one request's partitions durable.
    /// - Parameters:
    ///   - requestName: the request's object name (from its Firehose request id).
    ///   - groups: spool lines by partition.
    /// - Throws: ``SecurityLakeSpoolError`` (`write_failed`); nothing is acknowledged then.
    public func append(requestName: String, groups: [SecurityLakePartition: [UInt8]]) throws(SecurityLakeSpoolError) {
        let already = state.withLock { state in
            Set(groups.keys.filter { state.flushed[$0.spoolPath + " " + requestName] != nil })
        }
        var objects: [SinkObject] = []
        for (partition, lines) in groups where !already.contains(partition) {
            objects.append(SinkObject(key: "groups/\(partition.spoolPath)/\(requestName).ndjson", body: lines))
        }
        guard !objects.isEmpty else { return }
        do {
            try store.put(objects)
        } catch {
            throw SecurityLakeSpoolError(.writeFailed, error.message)
        }
        let now = Date().timeIntervalSince1970
        state.withLock { state in
            for object in objects {
                let path = Self.groupPath(ofFileKey: object.key)
                var group = state.groups[path] ?? Group(oldest: now)
                group.bytes += object.body.count
                group.appendedWhileFlushing = group.flushing
                state.groups[path] = group
            }
        }
    }

    /// Finishes interrupted flushes and rebuilds the partition table from disk; call once before serving.
    /// - Returns: the flushes repeated.
    /// - Throws: ``SecurityLakeSpoolError`` when the spool cannot be read or a repeated flush fails.
    @discardableResult
    public func recover() throws(SecurityLakeSpoolError) -> [FlushReport] {
        var flushed: [String: Double] = [:]
        for (name, time) in ledgerFiles() {
            let lines = readLines("flushed/" + name)
            guard let path = lines.first else { continue }
            for request in lines.dropFirst() { flushed[path + " " + request] = time }
        }
        state.withLock { state in
            state.flushed = flushed
            state.lastPrune = Date().timeIntervalSince1970
        }
        var reports: [FlushReport] = []
        for name in listing("flushing") {
            let lines = readLines("flushing/" + name)
            guard let path = lines.first else {
                removeFile("flushing/" + name)
                continue
            }
            let requests = Array(lines.dropFirst())
            if flushed[path + " " + (requests.first ?? "")] != nil {
                for request in requests { removeFile("groups/\(path)/\(request).ndjson") }
                removeFile("flushing/" + name)
            } else if let report = try flush(path: path, requests: requests, name: name) {
                reports.append(report)
            }
        }
        var groups: [String: Group] = [:]
        for path in groupPaths() { groups[path] = scanGroup(path) }
        state.withLock { $0.groups = groups }
        return reports
    }

    /// Flushes the partitions that are old or big enough (all of them with `force`).
    /// - Parameter force: flush every partition regardless of age and size (shutdown, tests).
    /// - Returns: what was flushed.
    /// - Throws: ``SecurityLakeSpoolError`` for the first flush that failed (the others still ran; a failed
    ///   partition stays spooled and is tried again later).
    @discardableResult
    public func flushDue(force: Bool = false) throws(SecurityLakeSpoolError) -> [FlushReport] {
        let now = Date().timeIntervalSince1970
        let prune = state.withLock { state in
            guard now - state.lastPrune >= 3_600 else { return false }
            state.lastPrune = now
            state.flushed = state.flushed.filter { now - $0.value <= Self.ledgerRetentionSeconds }
            return true
        }
        // Old ledger files are removed as they are read.
        if prune { _ = ledgerFiles() }
        let due: [String] = state.withLock { state in
            var due: [String] = []
            for (path, group) in state.groups where !group.flushing {
                if force || group.bytes >= maxBytes || now - group.oldest >= maxAgeSeconds {
                    due.append(path)
                    state.groups[path]?.flushing = true
                }
            }
            return due.sorted()
        }
        var reports: [FlushReport] = []
        var firstError: SecurityLakeSpoolError?
        for path in due {
            let requests = listing("groups/" + path).filter { $0.hasSuffix(".ndjson") }.map {
                String($0.dropLast(".ndjson".count))
            }
            do {
                if let report = try flush(path: path, requests: requests, name: nil) { reports.append(report) }
                // Files spooled while flushing stay for the next flush.
                let left = scanGroup(path)
                state.withLock { state in
                    if state.groups[path]?.appendedWhileFlushing == true {
                        state.groups[path] = Group(bytes: max(left?.bytes ?? 0, 1), oldest: left?.oldest ?? now)
                    } else {
                        state.groups[path] = left
                    }
                }
            } catch {
                state.withLock { $0.groups[path]?.flushing = false }
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
        return reports
    }

    /// How long the record of a flush is kept to recognise Firehose retries, in seconds: 2 days.
    static let ledgerRetentionSeconds = 2.0 * 86_400

    /// Spooled partitions and their bytes (for metrics and tests).
    public var pendingPartitions: Int { state.withLock { $0.groups.count } }

    /// Flushes one partition's request files as one object, exactly once.
    private func flush(path: String, requests: [String], name: String?) throws(SecurityLakeSpoolError) -> FlushReport? {
        guard let partition = SecurityLakePartition(spoolPath: path) else {
            throw SecurityLakeSpoolError(.readFailed, "not a partition directory: \(path)")
        }
        var requests = requests.sorted()
        if name == nil {
            // A request already flushed whose file reappeared (a Firehose retry racing its flush rewrote it) is
            // not flushed again: its rows are in an earlier object.
            let stale = state.withLock { state in Set(requests.filter { state.flushed[path + " " + $0] != nil }) }
            for request in stale { removeFile("groups/\(path)/\(request).ndjson") }
            requests.removeAll { stale.contains($0) }
        }
        guard !requests.isEmpty else { return nil }
        let objectName = name ?? Self.objectName(path: path, requests: requests)
        let manifest = ([path] + requests).joined(separator: "\n") + "\n"
        try write("flushing/" + objectName, Array(manifest.utf8))
        var records: [OCSFRecord] = []
        var rejected: [UInt8] = []
        for request in requests {
            guard let data = FileManager.default.contents(atPath: "\(directory)/groups/\(path)/\(request).ndjson")
            else {
                throw SecurityLakeSpoolError(.readFailed, "cannot read groups/\(path)/\(request).ndjson")
            }
            guard let entries = Self.entries([UInt8](data)) else {
                throw SecurityLakeSpoolError(.readFailed, "malformed spool file groups/\(path)/\(request).ndjson")
            }
            for line in entries {
                switch Self.record(line: line, writer: writer) {
                case .record(let record, _, _): records.append(record)
                case .raw(let reason):
                    var entry = JSONWriter(capacity: line.count + 64)
                    entry.appendRaw("{\"lakemark_raw_reason\":")
                    entry.appendString(reason)
                    entry.appendRaw(",\"spooled\":")
                    entry.appendRaw(line)
                    entry.appendRaw("}\n")
                    rejected.append(contentsOf: entry.bytes)
                }
            }
        }
        var objects: [SinkObject] = []
        let key = writer.key(partition, name: objectName)
        do {
            if !records.isEmpty {
                objects.append(
                    SinkObject(key: key, body: try writer.parquet(classUID: partition.classUID, records: records))
                )
            }
            if !rejected.isEmpty {
                let rawKey = "\(writer.settings.rawLocation)eventDay=\(partition.eventDay)/\(objectName).json.gz"
                objects.append(SinkObject(key: rawKey, body: Gzip.deflate(rejected, level: 1)))
            }
            try sink.put(objects)
        } catch {
            throw SecurityLakeSpoolError(.flushFailed, "\(key): \(error)")
        }
        try write("flushed/" + objectName, Array(manifest.utf8))
        state.withLock { state in
            let now = Date().timeIntervalSince1970
            for request in requests { state.flushed[path + " " + request] = now }
        }
        for request in requests { removeFile("groups/\(path)/\(request).ndjson") }
        removeFile("flushing/" + objectName)
        return FlushReport(key: key, rows: records.count, files: requests.count, bytes: objects.first?.body.count ?? 0)
    }

    /// Rebuilds the record of one spool line (validated again against the class).
    private static func record(line: ArraySlice<UInt8>, writer: SecurityLakeWriter) -> SecurityLakeWriter.Routed {
        guard let tape = try? JSONTape(parsing: line), let eventNode = tape.value(forKey: "e", in: tape.rootIndex),
            let event = try? JSONTape(parsing: tape.rawBytes(eventNode))
        else { return .raw(reason: "spool.unreadable_line") }
        var enrichment: OCSFEnrichment?
        if let text = tape.value(forKey: "d", in: tape.rootIndex).flatMap(tape.string),
            let matchesNode = tape.value(forKey: "m", in: tape.rootIndex)
        {
            let matches = tape.children(matchesNode).map { node in
                OCSFEnrichment.Match(
                    frameworkID: tape.value(forKey: "framework_id", in: node).flatMap(tape.string) ?? "",
                    controlID: tape.value(forKey: "control_id", in: node).flatMap(tape.string) ?? "",
                    family: tape.value(forKey: "family", in: node).flatMap(tape.string) ?? "",
                    similarity: tape.value(forKey: "similarity", in: node).flatMap(tape.double) ?? 0,
                    confidence: tape.value(forKey: "confidence", in: node).flatMap(tape.string) ?? ""
                )
            }
            enrichment = OCSFEnrichment(
                attribute: tape.value(forKey: "a", in: tape.rootIndex).flatMap(tape.string) ?? "",
                text: text,
                matches: matches,
                matchesJSON: Array(tape.rawBytes(matchesNode))
            )
        }
        return writer.validate(event, enrichment: enrichment)
    }

    /// `spool-<32 hex>`: a hash of the partition and its sorted request files.
    static func objectName(path: String, requests: [String]) -> String {
        var first: UInt64 = 0xcbf2_9ce4_8422_2325
        var second: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in (path + "\n" + requests.joined(separator: "\n")).utf8 {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            second = (second &* 0x0000_0100_0000_01B3) ^ UInt64(byte)
        }
        func hex(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return "spool-" + hex(first) + hex(second)
    }

    private static func groupPath(ofFileKey key: String) -> String {
        let parts = key.split(separator: "/")
        return parts.dropFirst().dropLast().joined(separator: "/")
    }

    private func write(_ key: String, _ body: [UInt8]) throws(SecurityLakeSpoolError) {
        do {
            try store.put([SinkObject(key: key, body: body)])
        } catch {
            throw SecurityLakeSpoolError(.writeFailed, error.message)
        }
    }

    private func listing(_ relative: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + relative)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    private func readLines(_ relative: String) -> [String] {
        guard let data = FileManager.default.contents(atPath: directory + "/" + relative) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The ledger files (`flushed/<name>`) younger than ``ledgerRetentionSeconds`` with their modification time;
    /// older ones are removed (Firehose retries a request for at most 2 hours).
    private func ledgerFiles() -> [(name: String, time: Double)] {
        let now = Date().timeIntervalSince1970
        var files: [(name: String, time: Double)] = []
        for name in listing("flushed") {
            var info = stat()
            guard stat(directory + "/flushed/" + name, &info) == 0 else { continue }
            let time = Double(info.st_mtim.tv_sec)
            if now - time > Self.ledgerRetentionSeconds {
                removeFile("flushed/" + name)
            } else {
                files.append((name, time))
            }
        }
        return files
    }

    /// The size and oldest modification time of a partition's spooled files, or `nil` when it has none.
    private func scanGroup(_ path: String) -> Group? {
        let now = Date().timeIntervalSince1970
        var group: Group?
        for file in listing("groups/" + path) where file.hasSuffix(".ndjson") {
            var info = stat()
            guard stat(directory + "/groups/\(path)/\(file)", &info) == 0 else { continue }
            let modified = min(now, Double(info.st_mtim.tv_sec))
            var current = group ?? Group(oldest: modified)
            current.bytes += Int(info.st_size)
            current.oldest = min(current.oldest, modified)
            group = current
        }
        return group
    }

    /// `<class>/<region>/<account>/<day>` of every partition directory.
    private func groupPaths() -> [String] {
        var paths: [String] = []
        for uid in listing("groups") {
            for region in listing("groups/\(uid)") {
                for account in listing("groups/\(uid)/\(region)") {
                    for day in listing("groups/\(uid)/\(region)/\(account)") {
                        paths.append("\(uid)/\(region)/\(account)/\(day)")
                    }
                }
            }
        }
        return paths
    }

    /// Removes a file and syncs its directory, so a removal is as durable as the write it follows.
    private func removeFile(_ relative: String) {
        let path = directory + "/" + relative
        guard unlink(path) == 0 else { return }
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        let descriptor = open(parent, O_RDONLY | O_DIRECTORY)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        _ = close(descriptor)
    }
}
