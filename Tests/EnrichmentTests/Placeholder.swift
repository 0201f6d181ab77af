import Testing

@Suite struct PlaceholderEnrichmentTests { @Test func builds() {} }
