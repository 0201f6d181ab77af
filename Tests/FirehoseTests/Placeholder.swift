import Testing

@Suite struct PlaceholderFirehoseTests { @Test func builds() {} }
