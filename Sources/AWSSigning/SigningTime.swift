import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two UTC renderings of the signing time that SigV4 uses.
///
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html (the `X-Amz-Date` format and the
/// credential scope).
struct SigningTime {
    /// `YYYYMMDD'T'HHMMSS'Z'`, for example `20150830T123600Z`; the value of `X-Amz-Date`.
    let amzDate: String
    /// `YYYYMMDD`, the first element of the credential scope.
    let scopeDate: String

    /// Renders `date` in UTC, dropping fractions of a second.
    ///
    /// - Parameter date: The signing time.
    /// - Throws: ``SigningError/Code/invalidRequest`` when the year is outside 0001–9999.
    init(_ date: Date) throws(SigningError) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds > -62_135_596_800, seconds < 253_402_300_800 else {
            throw SigningError(code: .invalidRequest, message: "the signing time is outside years 0001-9999")
        }
        var time = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&time, &parts) != nil else {
            throw SigningError(code: .invalidRequest, message: "the signing time cannot be converted to UTC")
        }
        var digits: [UInt8] = []
        digits.reserveCapacity(16)
        Self.append(Int(parts.tm_year) + 1900, width: 4, to: &digits)
        Self.append(Int(parts.tm_mon) + 1, width: 2, to: &digits)
        Self.append(Int(parts.tm_mday), width: 2, to: &digits)
        scopeDate = String(decoding: digits, as: UTF8.self)
        digits.append(UInt8(ascii: "T"))
        Self.append(Int(parts.tm_hour), width: 2, to: &digits)
        Self.append(Int(parts.tm_min), width: 2, to: &digits)
        Self.append(Int(parts.tm_sec), width: 2, to: &digits)
        digits.append(UInt8(ascii: "Z"))
        amzDate = String(decoding: digits, as: UTF8.self)
    }

    /// Appends `value` in decimal, zero-padded to `width` digits.
    private static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var remainder = value
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(remainder / divisor % 10))
            remainder %= divisor
            divisor /= 10
        }
    }
}
