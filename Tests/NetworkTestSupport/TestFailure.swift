/// A test set-up step failed; the message says which.
public struct TestFailure: Error, CustomStringConvertible {
    /// What failed.
    public let description: String

    /// Creates a failure.
    /// - Parameter description: What failed.
    public init(_ description: String) {
        self.description = description
    }
}
