import Testing

@Suite struct PlaceholderJSONBytesTests { @Test func builds() {} }
