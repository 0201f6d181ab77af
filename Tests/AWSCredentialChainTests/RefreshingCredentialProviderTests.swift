import AWSCredentialChain
import AWSSigning
import Foundation
import Synchronization
import Testing

@Suite struct RefreshingCredentialProviderTests {
    let clock = ManualClock()
    let runner = ManualRunner()
    let failures = ErrorLog()

    func keys(_ name: String, expiresIn seconds: TimeInterval) -> AWSCredentials {
        AWSCredentials(
            accessKeyID: name,
            secretAccessKey: "secret-\(name)",
            sessionToken: "token-\(name)",
            expiration: clock.now.addingTimeInterval(seconds)
        )
    }

    func wrap(_ base: any CredentialProvider) -> RefreshingCredentialProvider {
        var configuration = RefreshingCredentialProvider.Configuration()
        configuration.now = clock.function
        configuration.runInBackground = runner.function
        configuration.onRefreshFailure = failures.function
        return RefreshingCredentialProvider(base: base, source: "test", configuration: configuration)
    }

    static let outage = CredentialError(code: .transportFailed, source: "test", message: "endpoint down")

    @Test func cachesUntilTheAdvisoryWindow() throws {
        let base = ScriptedProvider([.success(keys("A", expiresIn: 3_600)), .success(keys("B", expiresIn: 7_200))])
        let provider = wrap(base)
        #expect(try provider.credentials().accessKeyID == "A")
        clock.advance(by: 3_600 - 901)
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(base.callCount == 1)
        #expect(runner.pendingCount == 0)
    }

    @Test func advisoryWindowRefreshesInTheBackgroundWithoutBlocking() throws {
        let base = ScriptedProvider([.success(keys("A", expiresIn: 3_600)), .success(keys("B", expiresIn: 7_200))])
        let provider = wrap(base)
        _ = try provider.credentials()
        clock.advance(by: 3_600 - 840)
        // The caller gets the old keys at once; exactly one refresh is queued however many callers come.
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(runner.pendingCount == 1)
        #expect(base.callCount == 1)
        runner.runAll()
        #expect(base.callCount == 2)
        #expect(try provider.credentials().accessKeyID == "B")
    }

    @Test func failedBackgroundRefreshKeepsTheWorkingKeysAndReports() throws {
        let base = ScriptedProvider([.success(keys("A", expiresIn: 3_600)), .failure(Self.outage)])
        let provider = wrap(base)
        _ = try provider.credentials()
        clock.advance(by: 3_600 - 840)
        #expect(try provider.credentials().accessKeyID == "A")
        runner.runAll()
        #expect(failures.all.map(\.code) == [.transportFailed])
        // Within the back-off nothing new starts; afterwards the next caller queues another attempt.
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(runner.pendingCount == 0)
        clock.advance(by: 6)
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(runner.pendingCount == 1)
    }

    @Test func mandatoryWindowBlocksButFallsBackToUnexpiredKeys() throws {
        let base = ScriptedProvider([
            .success(keys("A", expiresIn: 3_600)), .failure(Self.outage), .success(keys("C", expiresIn: 7_200)),
        ])
        let provider = wrap(base)
        _ = try provider.credentials()
        clock.advance(by: 3_600 - 300)
        // Blocking refresh fails: the keys still have 5 minutes, so they are returned and the failure reported.
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(base.callCount == 2)
        #expect(failures.all.count == 1)
        #expect(runner.pendingCount == 0)
        clock.advance(by: 10)
        #expect(try provider.credentials().accessKeyID == "C")
        #expect(base.callCount == 3)
    }

    @Test func expiredKeysNeedABlockingRefresh() throws {
        let base = ScriptedProvider([
            .success(keys("A", expiresIn: 3_600)), .failure(Self.outage), .success(keys("D", expiresIn: 7_200)),
        ])
        let provider = wrap(base)
        _ = try provider.credentials()
        clock.advance(by: 3_601)
        let error = try #require(throws: CredentialError.self) { try provider.credentials() }
        #expect(error.code == .transportFailed)
        // During the back-off the last error is returned without calling the source again.
        #expect(throws: CredentialError.self) { try provider.credentials() }
        #expect(base.callCount == 2)
        clock.advance(by: 6)
        #expect(try provider.credentials().accessKeyID == "D")
    }

    @Test func shortLivedCredentialsAreRefreshedOnEveryUse() throws {
        let base = ScriptedProvider([
            .success(keys("A", expiresIn: 300)), .success(keys("B", expiresIn: 300)),
            .success(keys("C", expiresIn: 300)),
        ])
        let provider = wrap(base)
        #expect(try provider.credentials().accessKeyID == "A")
        #expect(try provider.credentials().accessKeyID == "B")
        #expect(try provider.credentials().accessKeyID == "C")
    }

    @Test func credentialsWithoutExpiryAreKept() throws {
        let base = ScriptedProvider([.success(AWSCredentials(accessKeyID: "AKIA", secretAccessKey: "s"))])
        let provider = wrap(base)
        _ = try provider.credentials()
        clock.advance(by: 86_400 * 30)
        _ = try provider.credentials()
        #expect(base.callCount == 1)
    }

    @Test func alreadyExpiredAnswerIsAFailure() throws {
        let base = ScriptedProvider([.success(keys("OLD", expiresIn: -1))])
        let error = try #require(throws: CredentialError.self) { try wrap(base).credentials() }
        #expect(error.code == .expiredCredentials)
    }

    @Test func invalidateForcesARefresh() throws {
        let base = ScriptedProvider([.success(keys("A", expiresIn: 3_600)), .success(keys("B", expiresIn: 3_600))])
        let provider = wrap(base)
        _ = try provider.credentials()
        provider.invalidate()
        #expect(try provider.credentials().accessKeyID == "B")
    }

    @Test func foreignErrorsAreWrapped() throws {
        struct Odd: Error {}
        final class Failing: CredentialProvider {
            func credentials() throws -> AWSCredentials { throw Odd() }
        }
        let error = try #require(throws: CredentialError.self) { try wrap(Failing()).credentials() }
        #expect(error.code == .providerFailed)
        #expect(error.source == "test")
    }

    @Test func concurrentCallersShareOneBlockingRefresh() throws {
        final class SlowProvider: CredentialProvider {
            let calls = Atomic<Int>(0)
            let expiry: Date
            init(expiry: Date) { self.expiry = expiry }
            func credentials() throws -> AWSCredentials {
                calls.add(1, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 0.3)
                return AWSCredentials(accessKeyID: "SLOW", secretAccessKey: "s", sessionToken: "t", expiration: expiry)
            }
        }
        let base = SlowProvider(expiry: clock.now.addingTimeInterval(3_600))
        let provider = wrap(base)
        let results = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            let key = (try? provider.credentials().accessKeyID) ?? "error"
            results.withLock { $0.append(key) }
        }
        #expect(results.withLock { $0 } == Array(repeating: "SLOW", count: 8))
        #expect(base.calls.load(ordering: .relaxed) == 1)
    }
}
