extension Duration {
    /// The duration in seconds, as a `Double`.
    var seconds: Double {
        let parts = self.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
