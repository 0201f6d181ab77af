import Testing

@Suite struct PlaceholderExtractionTests { @Test func builds() {} }
