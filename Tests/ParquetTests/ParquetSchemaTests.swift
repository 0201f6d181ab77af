import Testing

@testable import Parquet

@Suite struct ParquetSchemaTests {
    @Test func emptySchemaIsRefused() {
        #expect(throws: ParquetError.self) { try ParquetSchema(fields: []) }
    }
}
