import Glibc

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
            guard let base = buffer.baseAddress else {
                return
            }
            var start = 0
            let n = buffer.count
            while start < n {
                // memchr scans many bytes per step: these files are read at every start, some are megabytes.
                let end = index(of: 0x0A, base, start, n) ?? n
                var stop = end
                if stop > start && buffer[stop - 1] == 0x0D {
                    stop -= 1
                }
                body(start..<stop)
                start = end + 1
            }
        }
    }

    /// The position of the first `byte` in `base[start..<end]` (memchr), or nil.
    private static func index(of byte: UInt8, _ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int? {
        memchr(base + start, Int32(byte), end - start).map {
            UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base
        }
    }

    /// Whether two ranges of a buffer hold the same bytes.
    static func equal(_ buffer: UnsafeBufferPointer<UInt8>, _ a: Range<Int>, _ b: Range<Int>) -> Bool {
        guard a.count == b.count, let base = buffer.baseAddress else {
            return a.count == b.count
        }
        return memcmp(base + a.lowerBound, base + b.lowerBound, a.count) == 0
    }

    /// The ranges of the TAB-separated fields of a line.
    /// - Parameters:
    ///   - bytes: The contents.
    ///   - line: The line's range.
    /// - Returns: One range per field.
    static func fieldRanges(_ bytes: [UInt8], _ line: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        out.reserveCapacity(8)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress, line.upperBound <= buffer.count else {
                return
            }
            var start = line.lowerBound
            while let tab = index(of: 0x09, base, start, line.upperBound) {
                out.append(start..<tab)
                start = tab + 1
            }
            out.append(start..<line.upperBound)
        }
        return out
    }
}
