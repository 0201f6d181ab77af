import Testing

@Suite struct PlaceholderMappingTests { @Test func builds() {} }
