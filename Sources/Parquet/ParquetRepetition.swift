/// How often a field occurs in its parent, as Parquet's `FieldRepetitionType`.
public enum ParquetRepetition: Sendable, Hashable {
    /// Exactly once; a `.null` value is refused.
    case required
    /// Zero or one time; `.null` is written as a missing value.
    case optional
    /// Zero or more times (a bare repeated field without a LIST annotation); the value is a `.list`.
    case repeated
}
