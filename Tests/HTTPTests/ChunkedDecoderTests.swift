import HTTPCore
import Testing

@Suite struct ChunkedDecoderTests {
    /// Decodes `text` fed in pieces of at most `step` bytes.
    private func decode(
        _ text: String,
        step: Int = .max,
        maxBodyBytes: Int = 1 << 20
    ) throws -> (body: [UInt8], consumed: Int, decoder: ChunkedDecoder) {
        let bytes = Array(text.utf8)
        var decoder = ChunkedDecoder(maxBodyBytes: maxBodyBytes)
        var body: [UInt8] = []
        var offset = 0
        while offset < bytes.count, !decoder.isComplete {
            let end = min(bytes.count, offset + min(step, bytes.count))
            offset += try bytes[offset..<end].withUnsafeBytes { try decoder.decode($0, into: &body) }
        }
        return (body, offset, decoder)
    }

    private func decodeError(_ text: String, maxBodyBytes: Int = 1 << 20) -> HTTPParseError.Code? {
        do {
            _ = try self.decode(text, maxBodyBytes: maxBodyBytes)
            return nil
        } catch let error as HTTPParseError {
            return error.code
        } catch {
            return nil
        }
    }

    @Test func decodesChunksWithExtensionsAndTrailers() throws {
        let text =
            "5;name=value;flag\r\nhello\r\n6 ; x=\"q\"\r\n world\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\nNEXT"
        for step in [1, 2, 3, 7, Int.max] {
            let result = try self.decode(text, step: step)
            #expect(String(decoding: result.body, as: UTF8.self) == "hello world")
            #expect(result.decoder.isComplete)
            #expect(result.consumed == text.utf8.count - 4)
            #expect(result.decoder.trailers["x-checksum"] == "abc")
            #expect(result.decoder.trailers.count == 2)
            #expect(result.decoder.bodyByteCount == 11)
        }
    }

    @Test func decodesUpperCaseHexSizes() throws {
        let payload = String(repeating: "z", count: 0x1A)
        let result = try self.decode("1A\r\n\(payload)\r\n0\r\n\r\n")
        #expect(result.body.count == 26)
        #expect(result.decoder.isComplete)
    }

    @Test func incompleteInputIsNotComplete() throws {
        let result = try self.decode("5\r\nhel")
        #expect(!result.decoder.isComplete)
        #expect(result.body == Array("hel".utf8))
    }

    @Test(arguments: [
        "x\r\n", "\r\n", "5\nhello\r\n0\r\n\r\n", "5\r\nhelloXX0\r\n\r\n", "5;a\u{1}b\r\nhello\r\n0\r\n\r\n",
        "1111111111111111\r\n", "5 x\r\nhello\r\n0\r\n\r\n", "0\r\nBad Trailer\r\n\r\n", "0\r\nX: a\n\r\n",
    ])
    func rejectsMalformedChunks(_ text: String) {
        #expect(self.decodeError(text) == .invalidChunk)
    }

    @Test func enforcesBodyLimitBeforeBuffering() throws {
        #expect(self.decodeError("10\r\n", maxBodyBytes: 15) == .bodyTooLarge)
        #expect(self.decodeError("8\r\n12345678\r\n8\r\n", maxBodyBytes: 15) == .bodyTooLarge)
        #expect(try self.decode("8\r\n12345678\r\n7\r\n1234567\r\n0\r\n\r\n", maxBodyBytes: 15).body.count == 15)
        #expect(HTTPParseError(.bodyTooLarge).status.code == 400)
    }

    @Test func enforcesLineAndTrailerLimits() throws {
        var decoder = ChunkedDecoder(maxBodyBytes: 100, maxChunkLineBytes: 8, maxTrailerBytes: 10)
        var body: [UInt8] = []
        #expect(throws: HTTPParseError(.invalidChunk)) {
            _ = try Array("5;abcdefgh\r\n".utf8).withUnsafeBytes { try decoder.decode($0, into: &body) }
        }
        var trailers = ChunkedDecoder(maxBodyBytes: 100, maxChunkLineBytes: 8, maxTrailerBytes: 10)
        #expect(throws: HTTPParseError(.trailersTooLarge)) {
            _ = try Array("0\r\nX-Long: 12345\r\n\r\n".utf8).withUnsafeBytes { try trailers.decode($0, into: &body) }
        }
    }
}
