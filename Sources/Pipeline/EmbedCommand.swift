import Dispatch
import Foundation
import JSONBytes
import Semantic
import ServiceSupport
import Synchronization

/// `lakemark embed --model DIR [--out FILE] [--json] [--max-tokens N]`: sentence embeddings of texts read as
/// TSV on standard input, written as an ``EmbeddingMatrix`` file (or JSON lines with `--json`).
///
/// Each non-empty input line is `id<TAB>text`. The text is the last tab-separated field and the id everything
/// before it, so ids may hold tabs (`nist_800_53_r5<TAB>AC-2<TAB>text`). In the text, `\t`, `\n`, `\r` and `\\`
/// stand for a tab, a newline, a carriage return and a backslash.
public enum EmbedCommand {
    /// The usage text.
    static let usage = """
        usage: lakemark embed --model DIR [--out FILE] [--json] [--max-tokens N] [--batch N] [--threads N] < in.tsv
          --model DIR       model directory made by scripts/fetch_model.sh (all-MiniLM-L6-v2)
          --out FILE        write the embedding matrix to FILE (default: standard output)
          --json            write JSON lines {"id": ..., "vector": [...]} instead of a matrix file
          --max-tokens N    token limit per text, [CLS] and [SEP] included, 2...512 (default 128)
          --batch N         texts per encoder call (default 256; 1 encodes one text at a time)
          --threads N       batches encoded in parallel (default: the number of cores)
        input: one `id<TAB>text` per line; the text is the last field, the id may hold tabs;
               \\t \\n \\r \\\\ in the text stand for tab, newline, carriage return, backslash
        """

    /// Texts per encoder call unless `--batch` says otherwise.
    static let defaultBatch = 256

    /// Runs the command.
    /// - Parameter arguments: The arguments after `embed`.
    /// - Returns: 0 on success, 1 when the model or the input is unusable, 2 on bad arguments.
    public static func run(arguments: [String]) -> Int32 {
        var model: String?
        var output: String?
        var json = false
        var maxTokens = SentenceEncoder.defaultMaxTokens
        var batch = defaultBatch
        var threads = ProcessInfo.processInfo.activeProcessorCount
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch argument {
            case "--model" where value != nil:
                model = value
                index += 1
            case "--out" where value != nil:
                output = value
                index += 1
            case "--max-tokens" where value.flatMap(Int.init) != nil:
                maxTokens = Int(value!)!
                index += 1
            case "--batch" where (value.flatMap(Int.init) ?? 0) > 0:
                batch = Int(value!)!
                index += 1
            case "--threads" where (value.flatMap(Int.init) ?? 0) > 0:
                threads = Int(value!)!
                index += 1
            case "--json":
                json = true
            case "--help", "-h":
                print(usage)
                return 0
            default:
                return fail("unknown or incomplete argument '\(argument)'\n\(usage)", status: 2)
            }
            index += 1
        }
        guard let model else {
            return fail("--model DIR is required\n\(usage)", status: 2)
        }
        let rows: [(id: String, text: String)]
        switch parse(FileHandle.standardInput.readDataToEndOfFile()) {
        case .success(let parsed):
            rows = parsed
        case .failure(let message):
            return fail(message.text, status: 1)
        }
        do {
            let encoder = try SentenceEncoder(modelDirectory: model, maxTokens: maxTokens)
            let vectors = embed(rows.map(\.text), with: encoder, batch: batch, threads: threads)
            if json {
                let lines = jsonLines(ids: rows.map(\.id), vectors: vectors)
                if let output {
                    guard FileManager.default.createFile(atPath: output, contents: Data(lines)) else {
                        return fail("cannot write \(output)", status: 1)
                    }
                } else {
                    StandardStream.output.write(lines)
                }
            } else if let output {
                try EmbeddingMatrix.write(ids: rows.map(\.id), vectors: vectors, to: output)
            } else {
                let temporary = NSTemporaryDirectory() + "/lakemark-embed-\(getpid()).bin"
                defer { unlink(temporary) }
                try EmbeddingMatrix.write(ids: rows.map(\.id), vectors: vectors, to: temporary)
                guard let bytes = FileManager.default.contents(atPath: temporary) else {
                    return fail("cannot read back \(temporary)", status: 1)
                }
                StandardStream.output.write([UInt8](bytes))
            }
            return 0
        } catch {
            return fail("\(error)", status: 1)
        }
    }

    /// Encodes texts in batches of `batch`, up to `threads` batches at a time.
    /// - Parameters:
    ///   - texts: The texts.
    ///   - encoder: The encoder (safe to share between threads).
    ///   - batch: Texts per encoder call.
    ///   - threads: Batches in flight at once.
    /// - Returns: One vector per text, in order.
    static func embed(_ texts: [String], with encoder: SentenceEncoder, batch: Int, threads: Int) -> [[Float]] {
        let starts = Array(stride(from: 0, to: texts.count, by: batch))
        let results = Mutex<[Int: [[Float]]]>([:])
        let next = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: min(threads, starts.count)) { _ in
            while true {
                let index = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard index < starts.count else { return }
                let start = starts[index]
                let vectors = encoder.embed(Array(texts[start..<min(start + batch, texts.count)]))
                results.withLock { $0[index] = vectors }
            }
        }
        let batches = results.withLock { $0 }
        return starts.indices.flatMap { batches[$0] ?? [] }
    }

    /// A message about the input.
    struct InputProblem: Error {
        /// What is wrong, with the line number.
        let text: String
    }

    /// Splits TSV input into ids and unescaped texts.
    /// - Parameter data: The whole input.
    /// - Returns: The rows in order, or the first malformed line.
    static func parse(_ data: Data) -> Result<[(id: String, text: String)], InputProblem> {
        var rows: [(id: String, text: String)] = []
        // Bytes, not Characters: "\r\n" is one Character and would hide the line break.
        for (number, rawLine) in [UInt8](data).split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            if line.isEmpty { continue }
            guard let tab = line.lastIndex(of: 0x09) else {
                return .failure(InputProblem(text: "line \(number + 1): expected id<TAB>text"))
            }
            guard let id = String(validating: line[..<tab], as: UTF8.self),
                let text = String(validating: line[(tab + 1)...], as: UTF8.self)
            else {
                return .failure(InputProblem(text: "line \(number + 1): not UTF-8"))
            }
            guard !id.isEmpty else {
                return .failure(InputProblem(text: "line \(number + 1): the id is empty"))
            }
            rows.append((id, unescape(Substring(text))))
        }
        return .success(rows)
    }

    /// Resolves `\t`, `\n`, `\r` and `\\`; any other backslash stays as written.
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var result = ""
        var escaped = false
        for character in field {
            if escaped {
                switch character {
                case "t": result.append("\t")
                case "n": result.append("\n")
                case "r": result.append("\r")
                case "\\": result.append("\\")
                default: result.append("\\"); result.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }

    /// `{"id": ..., "vector": [...]}` per row, newline-terminated; floats in their shortest exact form.
    static func jsonLines(ids: [String], vectors: [[Float]]) -> [UInt8] {
        var writer = JSONWriter(capacity: vectors.count * 4_096)
        for (id, vector) in zip(ids, vectors) {
            writer.appendRaw("{\"id\":")
            writer.appendString(id)
            writer.appendRaw(",\"vector\":[")
            for (position, value) in vector.enumerated() {
                if position > 0 { writer.appendRaw(",") }
                writer.appendRaw(Array(value.description.utf8))
            }
            writer.appendRaw("]}\n")
        }
        return writer.bytes
    }

    private static func fail(_ message: String, status: Int32) -> Int32 {
        StandardStream.error.write("lakemark embed: \(message)\n")
        return status
    }
}
