/// Line and field splitting for the engine's TAB-separated resource files.
enum TabFile {
    /// A non-empty, non-comment line split at TABs.
    struct Line {
        /// 1-based line number.
        let number: Int
        /// The fields.
        let fields: [String]
    }

    /// The lines of a small file as strings; blank lines and lines starting with `#` are skipped.
    /// - Parameter bytes: UTF-8 contents.
    /// - Returns: The lines.
    static func lines(_ bytes: [UInt8]) -> [Line] {
        var out: [Line] = []
        var number = 0
        forEachLine(bytes) { range in
            number += 1
            guard !range.isEmpty, bytes[range.lowerBound] != UInt8(ascii: "#") else {
                return
            }
            let fields = fieldRanges(bytes, range).map { String(decoding: bytes[$0], as: UTF8.self) }
            if fields.contains(where: { !$0.isEmpty }) {
                out.append(Line(number: number, fields: fields))
            }
        }
        return out
    }

    /// Calls `body` with the byte range of every line (without the line feed or a trailing CR).
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - body: Receives each line's range.
    static func forEachLine(_ bytes: [UInt8], _ body: (Range<Int>) -> Void) {
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            let n = buffer.count
            while start < n {
                var end = start
                while end < n && buffer[end] != 0x0A {
                    end += 1
                }
                var stop = end
                if stop > start && buffer[stop - 1] == 0x0D {
                    stop -= 1
                }
                body(start..<stop)
                start = end + 1
            }
        }
    }

    /// The ranges of the TAB-separated fields of a line.
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - line: The line's range.
    /// - Returns: One range per field.
    static func fieldRanges(_ bytes: [UInt8], _ line: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        var start = line.lowerBound
        for i in line where bytes[i] == 0x09 {
            out.append(start..<i)
            start = i + 1
        }
        out.append(start..<line.upperBound)
        return out
    }
}
