import CSIMDKernels

extension Base64 {
    /// One decoding pass over raw pointers: a four-characters-per-step fast path and a byte-at-a-time path
    /// for the group that holds whitespace, padding or an error.
    struct Decoder {
        /// The base64 characters.
        let input: UnsafePointer<UInt8>
        /// The number of characters.
        let count: Int
        /// Where decoded bytes go; holds at least `count / 4 * 3 + 3` bytes (the fast path writes one past a group).
        let output: UnsafeMutablePointer<UInt8>
        /// ``Base64/decodeTables``.
        let tables: UnsafePointer<UInt32>
        /// The caller's options.
        let options: DecodingOptions
        /// The next character to read.
        private var position = 0
        /// The number of bytes written so far.
        private(set) var written = 0

        /// Creates a decoding pass.
        init(
            input: UnsafePointer<UInt8>,
            count: Int,
            output: UnsafeMutablePointer<UInt8>,
            tables: UnsafePointer<UInt32>,
            options: DecodingOptions
        ) {
            self.input = input
            self.count = count
            self.output = output
            self.tables = tables
            self.options = options
        }

        /// Decodes the whole input.
        /// - Returns: The number of bytes written to `output`.
        /// - Throws: ``Base64Error`` for the first problem found.
        mutating func run() throws(Base64Error) -> Int {
            while true {
                decodeWholeGroups()
                if position == count { return written }
                if try decodeOneGroupSlowly() { return written }
            }
        }

        /// Decodes groups of four alphabet characters until the input ends or a group holds anything else: sixteen
        /// characters per step with SSSE3 where the processor has it (`CSIMDKernels`), then two groups per step
        /// while eight characters remain, each stored as one 32-bit write whose fourth byte the next write (or the
        /// output's spare bytes) absorbs.
        private mutating func decodeWholeGroups() {
            var i = position
            var o = written
            if Base64.isSSSE3Available && count &- i >= 20 {
                var consumed = 0
                o &+= lakemark_base64_decode_ssse3(input + i, count &- i, output + o, &consumed)
                i &+= consumed
            }
            while count &- i >= 8 {
                let first = group(at: i)
                let second = group(at: i &+ 4)
                if (first | second) & invalidMarker != 0 { break }
                store(first, at: o)
                store(second, at: o &+ 3)
                i &+= 8
                o &+= 6
            }
            while count &- i >= 4 {
                let single = group(at: i)
                if single & invalidMarker != 0 { break }
                store(single, at: o)
                i &+= 4
                o &+= 3
            }
            position = i
            written = o
        }

        /// The three bytes (or the invalid marker) of the four characters at `offset`, see ``Base64/decodeTables``.
        @inline(__always)
        private func group(at offset: Int) -> UInt32 {
            tables[Int(input[offset])] | tables[256 &+ Int(input[offset &+ 1])]
                | tables[512 &+ Int(input[offset &+ 2])] | tables[768 &+ Int(input[offset &+ 3])]
        }

        /// Writes a group's three bytes, and one spare byte, at `offset`.
        @inline(__always)
        private func store(_ group: UInt32, at offset: Int) {
            UnsafeMutableRawPointer(output + offset).storeBytes(of: group.littleEndian, as: UInt32.self)
        }

        /// Reads characters one at a time until a group of four is complete or the input ends.
        /// - Returns: `true` when the input is finished (end reached or padding consumed).
        private mutating func decodeOneGroupSlowly() throws(Base64Error) -> Bool {
            var group: UInt32 = 0
            var filled = 0
            while position < count {
                let character = input[position]
                let value = tables[1024 + Int(character)]
                if value & invalidMarker == 0 {
                    group = group << 6 | value
                    filled += 1
                    position += 1
                    if filled == 4 {
                        emit(group: group, filled: 4)
                        return false
                    }
                } else if isSkippable(character) {
                    position += 1
                } else if character == UInt8(ascii: "=") {
                    try readPadding(after: filled)
                    emit(group: group, filled: filled)
                    return true
                } else {
                    throw Base64Error(code: .invalidCharacter, offset: position)
                }
            }
            switch filled {
            case 0: break
            case 1: throw Base64Error(code: .invalidLength, offset: count)
            default:
                if options.requiresPadding { throw Base64Error(code: .missingPadding, offset: count) }
                emit(group: group, filled: filled)
            }
            return true
        }

        /// Consumes the padding that starts at `position` and everything after it, which may only be `=` and
        /// skippable whitespace, and checks that the group is padded to exactly four characters.
        private mutating func readPadding(after filled: Int) throws(Base64Error) {
            guard filled >= 2 else { throw Base64Error(code: .invalidPadding, offset: position) }
            let needed = 4 - filled
            var seen = 0
            while position < count {
                let character = input[position]
                if character == UInt8(ascii: "=") {
                    seen += 1
                    if seen > needed { throw Base64Error(code: .invalidPadding, offset: position) }
                } else if !isSkippable(character) {
                    let code: Base64Error.Code =
                        tables[1024 + Int(character)] & invalidMarker == 0 ? .invalidPadding : .invalidCharacter
                    throw Base64Error(code: code, offset: position)
                }
                position += 1
            }
            if seen != needed { throw Base64Error(code: .invalidPadding, offset: count) }
        }

        /// Writes the whole bytes held by a group of `filled` characters (2, 3 or 4), dropping unused low bits.
        private mutating func emit(group: UInt32, filled: Int) {
            let aligned = group << (6 * UInt32(4 - filled))
            output[written] = UInt8(truncatingIfNeeded: aligned >> 16)
            if filled >= 3 { output[written + 1] = UInt8(truncatingIfNeeded: aligned >> 8) }
            if filled == 4 { output[written + 2] = UInt8(truncatingIfNeeded: aligned) }
            written += filled - 1
        }

        /// Whether `character` is whitespace that the options allow to skip.
        private func isSkippable(_ character: UInt8) -> Bool {
            guard options.ignoresWhitespace else { return false }
            return character == 0x0A || character == 0x0D || character == 0x20 || character == 0x09
        }
    }
}
