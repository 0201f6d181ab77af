import Testing

@Suite struct PlaceholderHTTPTests { @Test func builds() {} }
