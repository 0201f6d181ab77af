import Firehose
#if canImport(Glibc)
import Glibc
#endif

// Checks that access-key comparison takes the same time wherever a wrong key differs from the right one.
//
// A 4 KiB key is compared a few hundred thousand times against wrong keys that differ in their first byte and in
// their last byte, interleaved in rounds; the medians per round are compared. An early-exit comparison differs by
// the time to scan 4 KiB (hundreds of nanoseconds, many times the noise); a constant-time one by noise only.
// Prints the figures; exits 1 when the last-byte median exceeds the first-byte median by more than 25 %.

let key = String((0..<4_096).map { index in Character(Unicode.Scalar(UInt8(97 + index % 26))) })
var firstDiffers = Array(key.utf8)
firstDiffers[0] = UInt8(ascii: "#")
var lastDiffers = Array(key.utf8)
lastDiffers[lastDiffers.count - 1] = UInt8(ascii: "#")
let verifier = AccessKeyVerifier(keys: [key])
let wrongFirst = String(decoding: firstDiffers, as: UTF8.self)
let wrongLast = String(decoding: lastDiffers, as: UTF8.self)
let clock = ContinuousClock()

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) * 1e-9
}

/// The time of `count` verifications of `presented`, per verification, in nanoseconds.
func measure(_ presented: String, count: Int) -> Double {
    var accepted = 0
    let elapsed = clock.measure {
        for _ in 0..<count where verifier.verify(presented) {
            accepted += 1
        }
    }
    precondition(accepted == 0, "a wrong key was accepted")
    return nanoseconds(elapsed) / Double(count)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

precondition(verifier.verify(key), "the right key was refused")
var first: [Double] = []
var last: [Double] = []
for round in 0..<41 {
    if round % 2 == 0 {
        first.append(measure(wrongFirst, count: 4_000))
        last.append(measure(wrongLast, count: 4_000))
    } else {
        last.append(measure(wrongLast, count: 4_000))
        first.append(measure(wrongFirst, count: 4_000))
    }
}
let firstMedian = median(first)
let lastMedian = median(last)
let ratio = lastMedian / firstMedian
print("key timing: differs at first byte \(Int(firstMedian)) ns, at last byte \(Int(lastMedian)) ns, ratio \(ratio)")
if ratio > 1.25 || ratio < 0.8 {
    print("key timing: FAIL - comparison time depends on where the key differs")
    exit(1)
}
