import Foundation
import Testing

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct ScratchDirectory {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "/sink-test-XXXXXX").utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        path = String(cString: try #require(created))
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Every file below `path` (relative paths, sorted), including hidden ones, but for the lock files of the
    /// sinks' temporary areas (which live as long as the sink's process).
    func allFiles(under sub: String = "") -> [String] {
        let base = sub.isEmpty ? path : path + "/" + sub
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return [] }
        var files: [String] = []
        while let item = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + item, isDirectory: &isDirectory),
                !isDirectory.boolValue, !(item.contains(".lakemark-tmp/") && item.hasSuffix("/lock"))
            {
                files.append(item)
            }
        }
        return files.sorted()
    }

    func contents(_ relative: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path + "/" + relative).map { Array($0) }
    }
}

/// Runs a program and returns its exit status (or -1 when it cannot start).
@discardableResult
func run(_ executable: String, _ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do {
        try process.run()
    } catch {
        return -1
    }
    process.waitUntilExit()
    return process.terminationStatus
}

/// Mounts a tmpfs with `options` on `directory`, or cancels the test with a clear message when this
/// environment does not allow mounting (not root, no CAP_SYS_ADMIN, no `mount` binary).
func mountTmpfs(on directory: String, options: String) throws {
    let mount = ["/bin/mount", "/usr/bin/mount"].first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let mount, run(mount, ["-t", "tmpfs", "-o", options, "tmpfs", directory]) == 0 else {
        try Test.cancel("skipped: cannot mount a tmpfs (\(options)) here; needs root/CAP_SYS_ADMIN and mount(8)")
    }
}

/// Makes the directory `name` in the scratch directory and mounts a tmpfs with `options` on it (the caller unmounts
/// it); cancels the test where no tmpfs can be mounted.
func mountTmpfs(in scratch: ScratchDirectory, named name: String, options: String) throws -> String {
    let mountPoint = scratch.path + "/" + name
    try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
    try mountTmpfs(on: mountPoint, options: options)
    return mountPoint
}

/// Unmounts what `mountTmpfs` mounted.
func unmount(_ directory: String) {
    let umount = ["/bin/umount", "/usr/bin/umount"].first { FileManager.default.isExecutableFile(atPath: $0) }
    if let umount {
        run(umount, [directory])
    }
}
