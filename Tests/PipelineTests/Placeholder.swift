import Testing

@Suite struct PlaceholderPipelineTests { @Test func builds() {} }
