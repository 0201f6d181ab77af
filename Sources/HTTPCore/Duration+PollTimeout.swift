extension Duration {
    /// The duration as a `poll`/`epoll_wait` timeout: whole milliseconds rounded up, clamped to `0...Int32.max`
    /// (negative durations give 0). Shared by the server and client targets of this package.
    package var pollMilliseconds: Int32 {
        let (seconds, attoseconds) = self.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) {
            return 0
        }
        if seconds >= Int64(Int32.max / 1000) {
            return Int32.max
        }
        return Int32(seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
