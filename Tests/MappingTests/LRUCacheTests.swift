import Testing

@testable import Mapping

@Suite struct LRUCacheTests {
    @Test func evictsLeastRecentlyUsed() {
        let cache = LRUCache<String, Int>(capacity: 3)
        cache.insert(1, for: "a")
        cache.insert(2, for: "b")
        cache.insert(3, for: "c")
        #expect(cache.value(for: "a") == 1)
        cache.insert(4, for: "d")
        #expect(cache.count == 3)
        #expect(cache.value(for: "b") == nil)
        #expect(cache.value(for: "a") == 1)
        #expect(cache.value(for: "c") == 3)
        #expect(cache.value(for: "d") == 4)
        cache.insert(5, for: "e")
        #expect(cache.value(for: "a") == nil)
    }

    @Test func updatesRefreshRecency() {
        let cache = LRUCache<String, Int>(capacity: 2)
        cache.insert(1, for: "a")
        cache.insert(2, for: "b")
        cache.insert(10, for: "a")
        cache.insert(3, for: "c")
        #expect(cache.value(for: "a") == 10)
        #expect(cache.value(for: "b") == nil)
        #expect(cache.count == 2)
    }

    @Test func capacityOneAndZero() {
        let one = LRUCache<Int, Int>(capacity: 1)
        one.insert(1, for: 1)
        one.insert(2, for: 2)
        #expect(one.value(for: 1) == nil)
        #expect(one.value(for: 2) == 2)
        let off = LRUCache<Int, Int>(capacity: 0)
        off.insert(1, for: 1)
        #expect(off.value(for: 1) == nil)
        #expect(off.count == 0)
    }

    @Test func manyEvictionsKeepLatest() {
        let cache = LRUCache<Int, Int>(capacity: 16)
        for i in 0..<1000 {
            cache.insert(i * 2, for: i)
        }
        #expect(cache.count == 16)
        for i in 984..<1000 {
            #expect(cache.value(for: i) == i * 2)
        }
        #expect(cache.value(for: 983) == nil)
    }

    @Test func concurrentUse() async {
        let cache = LRUCache<Int, Int>(capacity: 64)
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    for i in 0..<500 {
                        let key = (i * 7 + worker) % 100
                        if let value = cache.value(for: key) {
                            #expect(value == key * 3)
                        } else {
                            cache.insert(key * 3, for: key)
                        }
                    }
                }
            }
        }
        #expect(cache.count <= 64)
    }

    @Test func mapperCachesByTextAndOptions() throws {
        let directory = try EmbeddedMapper.bundledCatalogDirectory()
        let mapper = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 2)
        let options = MappingOptions(frameworks: [.nist80053r5], topK: 3)
        let first = try mapper.map(["MFA not enabled", "MFA not enabled", "S3 bucket is public"], options: options)
        #expect(first[0] == first[1])
        #expect(mapper.cachedTextCount == 2)
        let again = try mapper.map(["MFA not enabled"], options: options)
        #expect(again[0] == first[0])
        _ = try mapper.map(["MFA not enabled"], options: MappingOptions(frameworks: [.nist80053r5], topK: 1))
        #expect(mapper.cachedTextCount == 2)
        let uncached = try EmbeddedMapper(catalogDirectory: directory, cacheCapacity: 0)
        #expect(try uncached.map(["S3 bucket is public"], options: options)[0] == first[2])
    }
}
