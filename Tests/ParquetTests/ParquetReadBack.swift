import Foundation
import Parquet

/// Writes Parquet files to a temporary directory and reads them back with pyarrow and DuckDB through
/// `parquet_reader.py`, which prints what the readers saw as JSON.
enum ParquetReadBack {
    /// Whether python3 can import pyarrow and duckdb (`scripts/deps.sh test` installs both).
    static let readersAvailable: Bool = {
        let result = try? run("python3", ["-c", "import pyarrow, duckdb"])
        return result?.status == 0
    }()

    /// The message printed when the readers are missing.
    static let skipMessage = "SKIP: python3 with pyarrow and duckdb not available (scripts/deps.sh test installs them)"

    /// The reader script next to this file.
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("parquet_reader.py")

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("parquet-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Writes the file and returns the reader's JSON object.
    /// - Parameter file: The Parquet bytes.
    /// - Returns: The decoded JSON (`pyarrow`, `duckdb`, `parquet`).
    static func read(_ file: [UInt8]) throws -> [String: Any] {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("test.parquet")
        try Data(file).write(to: path)
        let result = try run("python3", [script.path, path.path])
        guard result.status == 0 else {
            throw ReadBackFailure(message: "parquet_reader.py exited \(result.status): \(result.stderr)")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw ReadBackFailure(message: "parquet_reader.py printed no JSON object")
        }
        return object
    }

    /// Runs a program to completion and returns its status, standard output and standard error.
    static func run(
        _ executable: String, _ arguments: [String]
    ) throws -> (status: Int32, stdout: String, stderr: String) {
        let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = errorHandle
        try process.run()
        let outputData = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errorText = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), errorText)
    }

    /// A failure to run or understand the reader.
    struct ReadBackFailure: Error, CustomStringConvertible {
        /// What went wrong.
        let message: String
        /// The message.
        var description: String { message }
    }
}
