import Metrics
import Testing

/// The exposition text: names, labels, escaping, ordering and histogram series.
@Suite struct MetricsRegistryTests {
    @Test func countersAndGaugesRenderWithHelpAndType() {
        let registry = MetricsRegistry()
        registry.counter("demo_requests_total", help: "Requests.", labels: ["status": "200", "path": "a"])
            .increment(by: 3)
        registry.counter("demo_requests_total", help: "Requests.", labels: ["path": "a", "status": "200"])
            .increment()
        registry.counter("demo_requests_total", help: "Requests.", labels: ["path": "a", "status": "500"])
            .increment(by: -5)
        registry.gauge("demo_in_flight", help: "Now.").set(-2)
        #expect(
            registry.render() == """
                # HELP demo_in_flight Now.
                # TYPE demo_in_flight gauge
                demo_in_flight -2
                # HELP demo_requests_total Requests.
                # TYPE demo_requests_total counter
                demo_requests_total{path="a",status="200"} 4
                demo_requests_total{path="a",status="500"} 0

                """
        )
    }

    @Test func labelValuesAndHelpAreEscaped() {
        let registry = MetricsRegistry()
        registry.counter("demo_total", help: "back\\slash\nnew line \"kept\"", labels: ["v": "a\"b\\c\nd"])
            .increment()
        let lines = registry.render().split(separator: "\n").map(String.init)
        #expect(lines[0] == #"# HELP demo_total back\\slash\nnew line "kept""#)
        #expect(lines[2] == #"demo_total{v="a\"b\\c\nd"} 1"#)
    }

    @Test func histogramBucketsAreCumulativeWithInfinity() {
        let registry = MetricsRegistry()
        let histogram = registry.histogram(
            "demo_seconds",
            help: "Latency.",
            upperBounds: [1, 0.5, .infinity, 0.5],
            labels: ["k": "x"]
        )
        for value in [0.25, 0.5, 0.75, 3.0, .nan] { histogram.observe(value) }
        #expect(histogram.upperBounds == [0.5, 1])
        #expect(
            registry.render() == """
                # HELP demo_seconds Latency.
                # TYPE demo_seconds histogram
                demo_seconds_bucket{k="x",le="0.5"} 2
                demo_seconds_bucket{k="x",le="1"} 3
                demo_seconds_bucket{k="x",le="+Inf"} 4
                demo_seconds_sum{k="x"} 4.5
                demo_seconds_count{k="x"} 4

                """
        )
    }

    @Test func collectorsAreReadAtScrapeTimeAndSorted() {
        let registry = MetricsRegistry()
        let source = Counter()
        registry.collect("demo_b_total", type: .counter, help: "B.") {
            [MetricSample(labels: ["code": "z"], 2), MetricSample(labels: ["code": "a"], source.value)]
        }
        registry.collect("demo_a_ratio", type: .gauge, help: "A.") { [MetricSample(value: 0.25)] }
        source.increment(by: 7)
        #expect(
            registry.render() == """
                # HELP demo_a_ratio A.
                # TYPE demo_a_ratio gauge
                demo_a_ratio 0.25
                # HELP demo_b_total B.
                # TYPE demo_b_total counter
                demo_b_total{code="a"} 7
                demo_b_total{code="z"} 2

                """
        )
    }

    @Test func sameNameAndLabelsShareOneSeries() {
        let registry = MetricsRegistry()
        let first = registry.counter("demo_total", help: "D.")
        let second = registry.counter("demo_total", help: "D.")
        first.increment()
        second.increment()
        #expect(first === second)
        #expect(first.value == 2)
    }
}
