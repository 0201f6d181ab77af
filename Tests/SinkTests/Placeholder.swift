import Testing

@Suite struct PlaceholderSinkTests { @Test func builds() {} }
