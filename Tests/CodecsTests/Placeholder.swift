import Testing

@Suite struct PlaceholderCodecsTests { @Test func builds() {} }
