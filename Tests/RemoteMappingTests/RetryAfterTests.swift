import Testing

@testable import RemoteMapping

@Suite struct RetryAfterTests {
    /// 1994-11-06T08:49:37Z.
    private let date = 784_111_777.0

    @Test func secondsAreTakenAsIs() {
        #expect(RetryAfter.seconds("3", nowEpochSeconds: date) == 3)
        #expect(RetryAfter.seconds(" 120 ", nowEpochSeconds: date) == 120)
        #expect(RetryAfter.seconds("-1", nowEpochSeconds: date) == nil)
        #expect(RetryAfter.seconds("1.5", nowEpochSeconds: date) == nil)
        #expect(RetryAfter.seconds("", nowEpochSeconds: date) == nil)
    }

    @Test(arguments: ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"])
    func allThreeDateFormsAreRead(_ text: String) {
        #expect(RetryAfter.epochSeconds(httpDate: text) == Int(date))
        #expect(RetryAfter.seconds(text, nowEpochSeconds: date - 7) == 7)
    }

    @Test func pastDatesMeanNoWaitAndGarbageIsRefused() {
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 08:49:37 GMT", nowEpochSeconds: date + 60) == 0)
        #expect(RetryAfter.seconds("soon", nowEpochSeconds: date) == nil)
        #expect(RetryAfter.seconds("Sun, 06 Nov 1994 25:49:37 GMT", nowEpochSeconds: date) == nil)
        #expect(RetryAfter.seconds("Sun, 06 Foo 1994 08:49:37 GMT", nowEpochSeconds: date) == nil)
    }
}
