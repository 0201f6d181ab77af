import Foundation

/// The records of all files named on a command line.
public struct EventFileCollection: Sendable {
    /// The files read, in argument order (directories expanded in sorted order).
    public var files: [EventFile]
    /// Notes about skipped entries (for example `skipped LICENSE: not JSON`).
    public var notes: [String]

    /// Every record of every file, in order.
    public var records: [EventRecord] {
        files.flatMap(\.records)
    }

    /// Creates a collection.
    ///
    /// - Parameters:
    ///   - files: The files read.
    ///   - notes: Notes about skipped entries.
    public init(files: [EventFile] = [], notes: [String] = []) {
        self.files = files
        self.notes = notes
    }
}

extension EventFileReader {
    /// File name extensions (lowercase, without the dot) whose files must hold JSON or NDJSON.
    public static let jsonExtensions = ["json", "ndjson", "jsonl", "jsonlines"]

    /// Reads files and directories named on a command line.
    ///
    /// A file argument must be JSON or NDJSON; `-` reads standard input to its end. A directory argument is walked
    /// recursively in byte-wise sorted order. Inside it, files named `*.json`, `*.ndjson`, `*.jsonl` or
    /// `*.jsonlines` must parse (an error otherwise); other files are read when they parse as JSON or NDJSON and
    /// skipped with a note when they do not (such as `README.md` or `LICENSE`); hidden entries (names starting with
    /// `.`) and symbolic links to directories are skipped with a note.
    ///
    /// - Parameter paths: File and directory paths.
    /// - Returns: The files read and notes about skipped entries.
    /// - Throws: ``SenderError`` (`unreadableFile`, `notJSON`, `invalidEventFile`) for the first bad argument
    ///   or file.
    public func read(paths: [String]) throws(SenderError) -> EventFileCollection {
        var collection = EventFileCollection()
        for path in paths {
            if path == "-" {
                collection.files.append(try readStandardInput())
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw SenderError(code: .unreadableFile, message: "\(path): no such file or directory")
            }
            if isDirectory.boolValue {
                try walk(directory: path, into: &collection)
            } else {
                collection.files.append(try read(file: path))
            }
        }
        return collection
    }

    /// Reads one file given explicitly.
    ///
    /// - Parameter path: The file path.
    /// - Returns: The detected kind and records.
    /// - Throws: ``SenderError``: `unreadableFile`, `notJSON` (also for text that does not start with `{` or `[`),
    ///   or `invalidEventFile`.
    public func read(file path: String) throws(SenderError) -> EventFile {
        try parseExplicit(try contents(of: path), path: path, name: path)
    }

    /// Reads standard input to its end as one file named `-` (JSON, a JSON array or NDJSON).
    ///
    /// - Returns: The detected kind and records.
    /// - Throws: ``SenderError``: `notJSON` or `invalidEventFile`.
    public func readStandardInput() throws(SenderError) -> EventFile {
        try parseExplicit([UInt8](FileHandle.standardInput.readDataToEndOfFile()), path: "-", name: "standard input")
    }

    /// Parses the bytes of an input named explicitly, which must be JSON or NDJSON (or empty).
    private func parseExplicit(_ bytes: [UInt8], path: String, name: String) throws(SenderError) -> EventFile {
        guard EventFileReader.looksLikeJSON(bytes) || bytes.allSatisfy(EventFileReader.isWhitespace) else {
            throw SenderError(code: .notJSON, message: "\(name): not JSON, a JSON array or NDJSON")
        }
        return try parse(bytes, path: path)
    }

    /// Walks a directory recursively in sorted order.
    private func walk(directory: String, into collection: inout EventFileCollection) throws(SenderError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw SenderError(code: .unreadableFile, message: "\(directory): cannot list directory")
        }
        let base = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let path = base + "/" + name
            if name.hasPrefix(".") {
                collection.notes.append("skipped \(path): hidden")
                continue
            }
            let type = (try? FileManager.default.attributesOfItem(atPath: path)[.type]) as? FileAttributeType
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                collection.notes.append("skipped \(path): dangling link")
                continue
            }
            if isDirectory.boolValue {
                if type == .typeSymbolicLink {
                    collection.notes.append("skipped \(path): symbolic link to a directory")
                } else {
                    try walk(directory: path, into: &collection)
                }
                continue
            }
            let bytes = try contents(of: path)
            let hasJSONExtension = EventFileReader.jsonExtensions.contains {
                name.lowercased().hasSuffix("." + $0)
            }
            if hasJSONExtension {
                collection.files.append(try parse(bytes, path: path))
            } else if EventFileReader.looksLikeJSON(bytes), let file = try? parse(bytes, path: path) {
                collection.files.append(file)
            } else {
                collection.notes.append("skipped \(path): not JSON")
            }
        }
    }

    /// Reads a whole file.
    private func contents(of path: String) throws(SenderError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SenderError(code: .unreadableFile, message: "\(path): cannot read file")
        }
        return [UInt8](data)
    }
}
