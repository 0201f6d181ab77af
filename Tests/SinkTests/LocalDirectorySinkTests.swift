import Foundation
import Sink
import Testing

@Suite struct LocalDirectorySinkTests {
    func bytes(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    @Test func writesObjectsWithExactBytesAndLeavesNoTemporaryFiles() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let root = scratch.path + "/new/root/"
        let sink = LocalDirectorySink(root: root)
        let objects = [
            SinkObject(key: "top.json.gz", body: bytes(1_000, seed: 1)),
            SinkObject(key: "events/dt=2026-12-04/hour=16/part-1.json.gz", body: bytes(70_000, seed: 2)),
            SinkObject(key: "events/dt=2026-12-04/hour=16/part-2.json.gz", body: []),
            SinkObject(key: "other/ünïcode name.json", body: bytes(3, seed: 3)),
        ]
        try sink.put(objects)
        #expect(scratch.allFiles(under: "new/root") == objects.map(\.key).sorted())
        for object in objects {
            #expect(scratch.contents("new/root/" + object.key) == object.body)
        }
        #expect(sink.description == "local directory \(scratch.path)/new/root")
    }

    @Test func createdDirectoriesUseMode0755MinusUmask() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        try LocalDirectorySink(root: scratch.path).put([SinkObject(key: "a/b/c.txt", body: [1])])
        let mask = umask(0)
        umask(mask)
        for directory in ["a", "a/b"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path + "/" + directory)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value
            #expect(mode == 0o755 & ~UInt16(mask))
        }
    }

    @Test func writesManyObjectsInParallel() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path, maxParallelWrites: 4)
        let objects = (0..<64).map { index in
            SinkObject(key: "p\(index % 5)/object-\(index).json.gz", body: bytes(1 + index * 997, seed: UInt8(index)))
        }
        try sink.put(objects)
        #expect(scratch.allFiles() == objects.map(\.key).sorted())
        for object in objects {
            #expect(scratch.contents(object.key) == object.body)
        }
    }

    @Test func sameKeyTwiceKeepsOneFileWithTheSecondContent() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        try sink.put([SinkObject(key: "batch/req-1.json.gz", body: bytes(5_000, seed: 9))])
        try sink.put([SinkObject(key: "batch/req-1.json.gz", body: Array("second".utf8))])
        #expect(scratch.allFiles() == ["batch/req-1.json.gz"])
        #expect(scratch.contents("batch/req-1.json.gz") == Array("second".utf8))
    }

    /// A key shown escaped in test output (some contain NUL and control characters).
    struct BadKey: CustomTestStringConvertible, Sendable {
        let key: String
        var testDescription: String { key.debugDescription }
    }

    static let invalidKeys: [BadKey] = [
        "", "/etc/passwd", "../escape.json", "a/../../b", "a/./b", "./a", "a//b", "a/", "trailing/..",
        "nul\u{0}byte", "new\nline", "tab\there", "del\u{7F}", ".tmp-reserved", "dir/.tmp-x", ".lakemark-tmp/x.json",
        String(repeating: "a", count: 256), String(repeating: "ab/", count: 400) + "x",
    ].map(BadKey.init)

    @Test(arguments: invalidKeys)
    func rejectsInvalidKeysBeforeWritingAnything(_ badKey: BadKey) throws {
        let key = badKey.key
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        let error = try #require(throws: SinkError.self) {
            try sink.put([SinkObject(key: "good.json", body: [1]), SinkObject(key: key, body: [2])])
        }
        #expect(error.code == .invalidKey)
        #expect(error.errno == nil)
        #expect(error.message.hasPrefix("invalid object key"))
        #expect(!error.message.contains("\n") && !error.message.contains("\u{0}"))
        #expect(scratch.allFiles().isEmpty)
    }

    @Test func rejectsDuplicateKeysInOneCall() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let error = try #require(throws: SinkError.self) {
            try LocalDirectorySink(root: scratch.path).put([
                SinkObject(key: "x.json", body: [1]), SinkObject(key: "x.json", body: [2]),
            ])
        }
        #expect(error.code == .invalidKey)
        #expect(scratch.allFiles().isEmpty)
    }

    @Test func rootBelowARegularFileFailsWithNotADirectory() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        #expect(FileManager.default.createFile(atPath: scratch.path + "/plain", contents: Data([1])))
        let sink = LocalDirectorySink(root: scratch.path + "/plain/sub")
        let error = try #require(throws: SinkError.self) {
            try sink.put([SinkObject(key: "a.json", body: [1])])
        }
        #expect(error.code == .ioError)
        #expect(error.errno == ENOTDIR)
        #expect(error.path == "")
        #expect(error.message.contains("ENOTDIR"))
        #expect(!error.message.contains(scratch.path))
        #expect(throws: SinkError.self) { try sink.checkWritable() }
    }

    @Test func objectWhoseDirectoryIsAFileFailsAndLeavesNothingBehind() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        try sink.put([SinkObject(key: "taken", body: [1])])
        let error = try #require(throws: SinkError.self) {
            try sink.put([SinkObject(key: "taken/inner.json", body: [2])])
        }
        #expect(error.code == .ioError)
        #expect(error.path == "taken")
        let dirError = try #require(throws: SinkError.self) {
            try sink.put([SinkObject(key: "d/x", body: [1]), SinkObject(key: "d", body: [2])])
        }
        #expect(dirError.code == .ioError)
        #expect(dirError.errno == EISDIR)
        #expect(dirError.path == "d")
        #expect(scratch.allFiles() == ["d/x", "taken"])
    }

    @Test func readOnlyFileSystemIsPermissionDenied() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let mountPoint = try mountTmpfs(in: scratch, named: "ro", options: "ro,size=64k")
        defer { unmount(mountPoint) }
        let sink = LocalDirectorySink(root: mountPoint)
        let error = try #require(throws: SinkError.self) {
            try sink.put([SinkObject(key: "a/b.json.gz", body: [1, 2, 3])])
        }
        #expect(error.code == .permissionDenied)
        #expect(error.errno == EROFS)
        #expect(error.path == "a")
        #expect(error.message.hasPrefix("permission denied: "))
        let probe = try #require(throws: SinkError.self) { try sink.checkWritable() }
        #expect(probe.code == .permissionDenied)
    }

    @Test func fullDiskIsReportedAndLeavesNoPartialObject() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let mountPoint = try mountTmpfs(in: scratch, named: "small", options: "size=64k")
        defer { unmount(mountPoint) }
        let sink = LocalDirectorySink(root: mountPoint, maxParallelWrites: 2)
        try sink.checkWritable()
        let big = bytes(1 << 20, seed: 7)
        let error = try #require(throws: SinkError.self) {
            try sink.put([SinkObject(key: "dt=1/big.json.gz", body: big)])
        }
        #expect(error.code == .diskFull)
        #expect(error.errno == ENOSPC)
        #expect(error.path == "dt=1/big.json.gz")
        #expect(error.message.contains("dt=1/big.json.gz") && error.message.contains("ENOSPC"))
        #expect(scratch.allFiles(under: "small").isEmpty)

        // Mixed batch: small objects may land complete, the big one must not appear at all.
        let mixed = [
            SinkObject(key: "dt=1/small-1.json.gz", body: bytes(100, seed: 1)),
            SinkObject(key: "dt=1/big.json.gz", body: big),
            SinkObject(key: "dt=1/small-2.json.gz", body: bytes(100, seed: 2)),
        ]
        #expect(throws: SinkError.self) { try sink.put(mixed) }
        let left = scratch.allFiles(under: "small")
        #expect(!left.contains { $0.contains(".tmp-") })
        #expect(!left.contains("dt=1/big.json.gz"))
        for name in left {
            let object = try #require(mixed.first { $0.key == name })
            #expect(scratch.contents("small/" + name) == object.body)
        }

        // After the failure the sink still works for what fits.
        try sink.put([SinkObject(key: "dt=1/fits.json.gz", body: bytes(1_000, seed: 4))])
        #expect(scratch.contents("small/dt=1/fits.json.gz") == bytes(1_000, seed: 4))
    }

    /// Batched durability (many objects, `syncfs`): a failure leaves no temporary file and no partial object,
    /// and nothing of the batch is renamed into place before every object is written.
    @Test func batchedWriteOnFullDiskLeavesNothingVisible() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let mountPoint = try mountTmpfs(in: scratch, named: "batch", options: "size=256k")
        defer { unmount(mountPoint) }
        let sink = LocalDirectorySink(root: mountPoint, maxParallelWrites: 2, batchSyncThreshold: 4)
        let objects = (0..<12).map { SinkObject(key: "p=\($0)/o.json.gz", body: bytes(48 << 10, seed: UInt8($0))) }
        let error = try #require(throws: SinkError.self) { try sink.put(objects) }
        #expect(error.code == .diskFull)
        #expect(!scratch.allFiles(under: "batch").contains { $0.contains(".tmp-") || $0.hasSuffix(".json.gz") })

        let fitting = Array(objects.prefix(4))
        try sink.put(fitting)
        for object in fitting { #expect(scratch.contents("batch/" + object.key) == object.body) }
        #expect(!scratch.allFiles(under: "batch").contains { $0.contains(".tmp-") })
    }

    /// What a process killed mid-write left in its temporary area is removed by the next process; the areas of
    /// live processes (lock held) and fresh areas without a lock file are left alone.
    @Test func abandonedTemporaryAreasAreRemovedOnFirstUse() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let areas = scratch.path + "/.lakemark-tmp"
        for area in ["1-dead", "2-live", "3-starting"] {
            try FileManager.default.createDirectory(atPath: areas + "/" + area, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: areas + "/" + area + "/.tmp-7", contents: Data([1, 2]))
        }
        _ = FileManager.default.createFile(atPath: areas + "/1-dead/lock", contents: Data())
        _ = FileManager.default.createFile(atPath: areas + "/2-live/lock", contents: Data())
        let liveLock = open(areas + "/2-live/lock", O_RDWR)
        defer { close(liveLock) }
        #expect(flock(liveLock, LOCK_EX | LOCK_NB) == 0)

        let sink = LocalDirectorySink(root: scratch.path)
        try sink.put([SinkObject(key: "a/b.json.gz", body: [1])])
        #expect(sink.abandonedTemporaryFilesRemoved == 1)
        #expect(!FileManager.default.fileExists(atPath: areas + "/1-dead"))
        #expect(FileManager.default.fileExists(atPath: areas + "/2-live/.tmp-7"))
        #expect(FileManager.default.fileExists(atPath: areas + "/3-starting/.tmp-7"))
        #expect(scratch.contents("a/b.json.gz") == [1])
    }

    @Test func closeRemovesTheTemporaryAreaButNotAnotherProcesssArea() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path)
        try sink.put([SinkObject(key: "a/b.json.gz", body: [1])])
        sink.close()
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/.lakemark-tmp"))

        let other = LocalDirectorySink(root: scratch.path)
        try other.put([SinkObject(key: "a/c.json.gz", body: [2])])
        let second = LocalDirectorySink(root: scratch.path)
        try second.put([SinkObject(key: "a/d.json.gz", body: [3])])
        second.close()
        let remaining = try FileManager.default.contentsOfDirectory(atPath: scratch.path + "/.lakemark-tmp")
        #expect(remaining.count == 1, "the open sink's area stays: \(remaining)")
        other.close()
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/.lakemark-tmp"))
        try other.put([SinkObject(key: "a/e.json.gz", body: [4])])
        #expect(scratch.contents("a/e.json.gz") == [4])
    }

    /// Someone removes the whole root (with this process's temporary area) while the sink is in use: the next
    /// calls make a new area and succeed.
    @Test func rootRemovedWhileInUseIsRecreated() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path + "/lake")
        try sink.put([SinkObject(key: "a/1.json.gz", body: [1])])
        try FileManager.default.removeItem(atPath: scratch.path + "/lake")
        try sink.checkWritable()
        try FileManager.default.removeItem(atPath: scratch.path + "/lake")
        try sink.put([SinkObject(key: "a/2.json.gz", body: [2])])
        #expect(scratch.contents("lake/a/2.json.gz") == [2])
        #expect(!scratch.allFiles().contains { $0.contains(".tmp-") })
    }

    @Test func checkWritableCreatesTheRootAndLeavesNothing() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let sink = LocalDirectorySink(root: scratch.path + "/fresh/dir")
        try sink.checkWritable()
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: scratch.path + "/fresh/dir", isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(scratch.allFiles().isEmpty)
    }

    @Test func relativeRootWorks() throws {
        let scratch = try ScratchDirectory()
        defer { scratch.remove() }
        let previous = FileManager.default.currentDirectoryPath
        // The working directory is process-wide; use a relative path that resolves the same from anywhere.
        let relative = String(repeating: "../", count: previous.split(separator: "/").count)
            + scratch.path.dropFirst() + "/rel"
        try LocalDirectorySink(root: relative).put([SinkObject(key: "k/v.json", body: [42])])
        #expect(scratch.contents("rel/k/v.json") == [42])
    }

    @Test func errorCodesHaveStableNames() {
        #expect(SinkError.Code.diskFull.name == "diskFull")
        #expect(SinkError.Code.permissionDenied.name == "permissionDenied")
        #expect(SinkError.Code.ioError.name == "ioError")
        #expect(SinkError.Code.invalidKey.name == "invalidKey")
    }
}
