import Dispatch
import Synchronization

/// Runs `compress` on 16 threads at once and counts the results that differ from `expected`: pooled compressors
/// must give every concurrent caller the output a fresh one would.
func concurrentMismatches(expected: [UInt8], _ compress: @Sendable () -> [UInt8]) -> Int {
    let mismatches = Mutex(0)
    DispatchQueue.concurrentPerform(iterations: 16) { _ in
        if compress() != expected { mismatches.withLock { $0 += 1 } }
    }
    return mismatches.withLock { $0 }
}
