import Dispatch
import Foundation
import Sink
import Testing

/// Objects staged one at a time (as the batch processor hands them over while it compresses the others) and
/// committed together, and the directories the sink remembers between calls.
@Suite struct LocalDirectoryStagingTests {
    func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ Int(seed)) }
    }

    func objects(_ count: Int, prefix: String = "p") -> [SinkObject] {
        (0..<count).map { SinkObject(key: "\(prefix)=\($0 % 7)/d=\($0)/o.json.gz", body: bytes(3_000 + $0, seed: 9)) }
    }

    @Test func offeredFromTheBatchSyncThresholdOnly() throws {
        let sink = LocalDirectorySink(root: "/nonexistent-never-touched", batchSyncThreshold: 8)
        #expect(sink.makeStaging(objectCount: 7) == nil)
        #expect(sink.makeStaging(objectCount: 8) != nil)
    }

    @Test func nothingIsVisibleUntilCommitThenEverythingIs() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path + "/lake")
        let batch = objects(40)
        let staging = try #require(sink.makeStaging(objectCount: batch.count))
        DispatchQueue.concurrentPerform(iterations: batch.count) { index in
            try? staging.stage(batch[index])
        }
        #expect(!scratch.allFiles(under: "lake").contains { $0.hasSuffix(".json.gz") })
        try staging.commit()
        #expect(scratch.allFiles(under: "lake") == batch.map(\.key).sorted())
        for object in batch { #expect(scratch.contents("lake/" + object.key) == object.body) }
        #expect(!scratch.allFiles().contains { $0.contains(".tmp-") })
    }

    @Test func discardLeavesNothingBehind() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        let staging = try #require(sink.makeStaging(objectCount: 10))
        for object in objects(10) { try staging.stage(object) }
        staging.discard()
        try staging.commit()
        #expect(!scratch.allFiles().contains { $0.hasSuffix(".json.gz") || $0.contains(".tmp-") })
    }

    @Test func invalidAndRepeatedKeysAreRefused() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let staging = try #require(LocalDirectorySink(root: scratch.path).makeStaging(objectCount: 10))
        let invalid = try #require(throws: SinkError.self) {
            try staging.stage(SinkObject(key: "../escape.json.gz", body: [1]))
        }
        #expect(invalid.code == .invalidKey)
        try staging.stage(SinkObject(key: "a/b.json.gz", body: [1]))
        let repeated = try #require(throws: SinkError.self) {
            try staging.stage(SinkObject(key: "a/b.json.gz", body: [2]))
        }
        #expect(repeated.code == .invalidKey)
        #expect(repeated.message.contains("more than once"))
        staging.discard()
        #expect(!scratch.allFiles().contains { $0.contains(".tmp-") })
    }

    /// Directories an earlier call made and someone removed since are made again when objects are staged.
    @Test func directoriesRemovedSinceAnEarlierCallAreMadeAgain() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        let batch = objects(9)
        try sink.put(batch)
        try FileManager.default.removeItem(atPath: scratch.path + "/p=3")
        let staging = try #require(sink.makeStaging(objectCount: batch.count))
        for object in batch { try staging.stage(object) }
        try staging.commit()
        for object in batch { #expect(scratch.contents(object.key) == object.body) }
        #expect(!scratch.allFiles().contains { $0.contains(".tmp-") })
    }

    /// An object whose directory cannot be made (a regular file in the way) is refused when staged, naming it;
    /// discarding the others leaves nothing visible.
    @Test func objectWhoseDirectoryIsAFileIsRefusedWhenStaged() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        _ = FileManager.default.createFile(atPath: scratch.path + "/p=1", contents: Data([1]))
        let staging = try #require(LocalDirectorySink(root: scratch.path).makeStaging(objectCount: 12))
        var refused: [SinkError] = []
        for object in objects(12) {
            do throws(SinkError) { try staging.stage(object) } catch { refused.append(error) }
        }
        #expect(refused.count == 2)
        #expect(refused.allSatisfy { $0.path.hasPrefix("p=1") })
        staging.discard()
        #expect(scratch.allFiles() == ["p=1"])
    }

    /// Temporary files that cannot be removed when a batch fails (the area read-only for a while) are removed after
    /// the next call that succeeds, instead of piling up until the process restarts.
    @Test func temporaryFilesLeftByAReadOnlyAreaAreRemovedLater() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let mountPoint = try mountTmpfs(in: scratch, named: "lake", options: "size=8m")
        defer { unmount(mountPoint) }
        let sink = LocalDirectorySink(root: mountPoint)
        let staging = try #require(sink.makeStaging(objectCount: 10))
        for object in objects(10) { try staging.stage(object) }
        let mount = try #require(
            ["/bin/mount", "/usr/bin/mount"].first { FileManager.default.isExecutableFile(atPath: $0) }
        )
        #expect(run(mount, ["--bind", mountPoint, mountPoint]) == 0)
        #expect(run(mount, ["-o", "remount,ro,bind", mountPoint]) == 0)
        staging.discard()
        #expect(sink.strandedTemporaryFiles == 10)
        unmount(mountPoint)
        #expect(scratch.allFiles(under: "lake").filter { $0.contains(".tmp-") }.count == 10)
        try sink.put([SinkObject(key: "after/o.json.gz", body: [1])])
        #expect(sink.strandedTemporaryFiles == 0)
        #expect(scratch.allFiles(under: "lake") == ["after/o.json.gz"])
    }

    /// A failure while renaming (a file where a directory should be) leaves no temporary file behind and names
    /// the object.
    @Test func failedCommitRemovesTheTemporaryFiles() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        let batch = objects(12)
        let staging = try #require(sink.makeStaging(objectCount: batch.count))
        for object in batch { try staging.stage(object) }
        // The staged object's directory exists now; a regular file takes its place before the commit.
        try FileManager.default.removeItem(atPath: scratch.path + "/p=2/d=2")
        _ = FileManager.default.createFile(atPath: scratch.path + "/p=2/d=2", contents: Data([1]))
        let error = try #require(throws: SinkError.self) { try staging.commit() }
        #expect(error.path == "p=2/d=2/o.json.gz")
        #expect(!scratch.allFiles().contains { $0.contains(".tmp-") })
    }
}
