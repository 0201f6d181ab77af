/// How often a field occurs in its parent, as Parquet's `FieldRepetitionType`.
public enum ParquetRepetition: Sendable, Hashable {
    /// Exactly once; a `.null` value is refused.
    case required
    /// Zero or one time; `.null` is written as a missing value.
    case optional
    /// Zero or more times (a bare repeated field without a LIST annotation); the value is a `.list`.
    /// - Note: Prefer ``ParquetField/list(name:repetition:element:)``. Readers apply legacy list rules to bare
    ///   repeated fields differently: DuckDB 2.0 reads a repeated group whose only field is repeated as a list of
    ///   lists, where pyarrow reads a list of structs.
    case repeated
}
