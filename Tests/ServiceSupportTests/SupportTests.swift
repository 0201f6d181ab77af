import Foundation
import ServiceSupport
import Testing

@Suite struct LockedValueTests {
    @Test func serialisesConcurrentUpdates() {
        let counter = LockedValue(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<1_000 {
                counter.withLock { $0 += 1 }
            }
        }
        #expect(counter.value == 8_000)
    }

    @Test func rethrowsTypedErrors() {
        struct Boom: Error {}
        let box = LockedValue([1, 2])
        #expect(throws: Boom.self) {
            try box.withLock { (_: inout [Int]) throws(Boom) in throw Boom() }
        }
        #expect(box.withLock { values in values.append(3); return values.count } == 3)
    }
}

@Suite struct EnvironmentReaderTests {
    let reader = EnvironmentReader(values: [
        "PORT": "8080", "BAD_PORT": "80x", "BIG": "70000", "FLAG": "Yes", "NOFLAG": "off", "BAD_FLAG": "maybe",
        "EMPTY": "", "RATIO": " 0.25 ", "LIST": "a, b,,c ", "MODE": "S3", "API_TOKEN": "12ab",
        "LONG": String(repeating: "9x", count: 100), "UNDERSCORES": "1_000_000",
    ])

    @Test func readsTypedValuesAndDefaults() throws {
        #expect(try reader.int("PORT", default: 1, range: 1...65_535) == 8_080)
        #expect(try reader.int("UNSET", default: 7) == 7)
        #expect(try reader.int("EMPTY", default: 7) == 7)
        #expect(try reader.int("UNDERSCORES", default: 0) == 1_000_000)
        #expect(try reader.bool("FLAG", default: false))
        #expect(try !reader.bool("NOFLAG", default: true))
        #expect(try reader.double("RATIO", default: 1) == 0.25)
        #expect(reader.list("LIST") == ["a", "b", "c"])
        #expect(reader.list("UNSET").isEmpty)
        #expect(try reader.choice("MODE", of: ["local", "s3"], default: "local") == "s3")
        #expect(reader.string("EMPTY") == nil)
        #expect(reader.string("UNSET", default: "d") == "d")
        #expect(try reader.require("PORT") == "8080")
    }

    static let failures: [(String, EnvironmentError.Code, String)] = [
        ("BAD_PORT", .invalidInteger, #"BAD_PORT="80x" is not an integer"#),
        ("BIG", .outOfRange, "BIG=\"70000\" is outside 1...65535"),
        ("MISSING", .missing, "MISSING is not set"),
        ("EMPTY", .missing, "EMPTY is not set"),
        ("API_TOKEN", .invalidInteger, #"API_TOKEN="***" is not an integer"#),
        ("LONG", .invalidInteger, "LONG=\"" + String(repeating: "9x", count: 32) + "…\""),
    ]

    @Test(arguments: failures)
    func errorsNameTheVariable(_ row: (String, EnvironmentError.Code, String)) {
        do {
            if row.1 == .missing {
                _ = try reader.require(row.0)
            } else {
                _ = try reader.int(row.0, default: 0, range: 1...65_535)
            }
            Issue.record("expected an error for \(row.0)")
        } catch {
            #expect(error.code == row.1)
            #expect(error.variable == row.0)
            #expect(error.message.contains(row.2), "\(error.message)")
        }
    }

    @Test func otherTypedErrors() {
        #expect(throws: EnvironmentError.self) { try reader.bool("BAD_FLAG", default: true) }
        #expect(throws: EnvironmentError.self) { try reader.double("PORT", default: 0, range: 0...1) }
        #expect(throws: EnvironmentError.self) { try reader.double("FLAG", default: 0) }
        #expect(throws: EnvironmentError.self) { try reader.choice("FLAG", of: ["a"], default: "a") }
        #expect(EnvironmentError.Code.invalidBoolean.name == "invalidBoolean")
    }

    @Test func readsTheProcessEnvironment() throws {
        let name = "LAKEMARK_TEST_ENV_\(getpid())"
        setenv(name, "42", 1)
        defer { unsetenv(name) }
        #expect(try EnvironmentReader().int(name, default: 0) == 42)
        #expect(EnvironmentReader().string(name + "_UNSET") == nil)
    }
}
