import Glibc

/// The signals a long-running command handles — SIGTERM and SIGINT (stop) and SIGHUP (reload) — taken
/// synchronously with `sigwait(2)` instead of through handlers or dispatch sources.
///
/// They are blocked before the command starts any thread, so every thread inherits the block and a signal that
/// arrives while catalogs load stays pending until ``next()`` takes it: none is lost to a window where it is
/// ignored, and none reaches a worker thread whose default action would end the process without a graceful stop.
public enum ProcessSignals {
    /// The handled signals: SIGTERM, SIGINT and SIGHUP.
    public static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// Blocks ``handled`` in the calling thread; threads it creates afterwards inherit the block. Call it first,
    /// before anything starts a thread.
    public static func block() {
        var set = signalSet()
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Waits for the next handled signal, pending or to come (the caller must have called ``block()``).
    /// - Returns: The signal number.
    public static func next() -> Int32 {
        var set = signalSet()
        var signalNumber: Int32 = 0
        while sigwait(&set, &signalNumber) != 0 {}
        return signalNumber
    }

    private static func signalSet() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signalNumber in handled {
            sigaddset(&set, signalNumber)
        }
        return set
    }
}
