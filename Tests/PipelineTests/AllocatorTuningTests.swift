import Testing

@testable import Pipeline

/// The allocator settings `lakemark serve` applies at start-up.
@Suite struct AllocatorTuningTests {
    @Test func glibcAcceptsTheSettings() {
        #expect((1...4).contains(AllocatorTuning.maxArenas))
        #expect(AllocatorTuning.mmapThresholdBytes == 32 << 20)
        #expect(AllocatorTuning.apply())
    }
}
