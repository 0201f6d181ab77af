import Mapping
import Metrics
import RemoteMapping
import S3

extension ServiceMetrics {
    /// Cache hits and misses (embedded cache, or the remote mapper's cache) and the remote mapper's totals.
    func registerMappingStatistics(mapper: any ComplianceMapper, remoteMapper: RemoteMapper?) {
        let r = registry
        let hitsHelp = "Distinct texts answered from the mapping cache."
        let missesHelp = "Distinct texts the mapping cache did not hold."
        if let remoteMapper {
            r.collect("lakemark_mapping_cache_hits_total", type: .counter, help: hitsHelp) {
                [MetricSample(remoteMapper.statistics.cachedTexts)]
            }
            r.collect("lakemark_mapping_cache_misses_total", type: .counter, help: missesHelp) {
                let totals = remoteMapper.statistics
                return [MetricSample(totals.remoteTexts + totals.fallbackTexts + totals.unmappedTexts)]
            }
            registerRemoteStatistics(remoteMapper)
        } else if let embedded = mapper as? EmbeddedMapper {
            r.collect("lakemark_mapping_cache_hits_total", type: .counter, help: hitsHelp) {
                [MetricSample(embedded.cacheStatistics.hits)]
            }
            r.collect("lakemark_mapping_cache_misses_total", type: .counter, help: missesHelp) {
                [MetricSample(embedded.cacheStatistics.misses)]
            }
            r.collect("lakemark_mapping_cache_entries", type: .gauge, help: "Texts in the mapping cache.") {
                [MetricSample(embedded.cacheStatistics.entries)]
            }
        }
    }

    private func registerRemoteStatistics(_ remoteMapper: RemoteMapper) {
        let r = registry
        r.collect("lakemark_remote_mapping_calls_total", type: .counter, help: "Calls to /v1/map, retries included.") {
            [MetricSample(remoteMapper.statistics.calls)]
        }
        r.collect(
            "lakemark_remote_mapping_http_calls_total",
            type: .counter,
            help: "HTTP calls to the mapping API (both endpoints, failures included) by protocol: h2 or http/1.1."
        ) {
            let totals = remoteMapper.statistics
            return [
                MetricSample(labels: ["protocol": "h2"], totals.http2Calls),
                MetricSample(labels: ["protocol": "http/1.1"], totals.http1Calls),
            ]
        }
        r.collect("lakemark_remote_mapping_retries_total", type: .counter, help: "Retried calls to /v1/map.") {
            [MetricSample(remoteMapper.statistics.retries)]
        }
        r.collect(
            "lakemark_remote_mapping_texts_total",
            type: .counter,
            help: "Distinct texts by who answered: api, cache, fallback (embedded engine) or unmapped."
        ) {
            let totals = remoteMapper.statistics
            return [
                MetricSample(labels: ["source": "api"], totals.remoteTexts),
                MetricSample(labels: ["source": "cache"], totals.cachedTexts),
                MetricSample(labels: ["source": "fallback"], totals.fallbackTexts),
                MetricSample(labels: ["source": "unmapped"], totals.unmappedTexts),
            ]
        }
        r.collect(
            "lakemark_mapping_degraded_batches_total",
            type: .counter,
            help: "Batches whose remote mapping failed for some texts, by mapping.degraded.* code "
                + "(under mapping_failure=fail they were answered 503)."
        ) {
            remoteMapper.statistics.degradedRuns.map { MetricSample(labels: ["code": $0.key], $0.value) }
        }
        r.collect(
            "lakemark_remote_mapping_circuit_openings_total",
            type: .counter,
            help: "Times the circuit breaker in front of the mapping API opened."
        ) {
            [MetricSample(remoteMapper.statistics.circuitOpenings)]
        }
    }

    /// The S3 client's requests, retries, failed operations and clock corrections.
    func registerS3Statistics(_ client: S3Client) {
        let r = registry
        r.collect("lakemark_s3_requests_total", type: .counter, help: "HTTP requests to S3, every attempt.") {
            [MetricSample(client.statistics.requests)]
        }
        r.collect("lakemark_sink_retries_total", type: .counter, help: "S3 attempts made after a retryable failure.") {
            [MetricSample(client.statistics.retries)]
        }
        r.collect("lakemark_s3_failed_operations_total", type: .counter, help: "S3 operations that failed for good.") {
            [MetricSample(client.statistics.failures)]
        }
        r.collect(
            "lakemark_s3_clock_corrections_total",
            type: .counter,
            help: "Clock offset corrections after RequestTimeTooSkewed."
        ) {
            [MetricSample(client.statistics.clockCorrections)]
        }
        r.collect(
            "lakemark_s3_credential_refreshes_total",
            type: .counter,
            help: "Credentials fetched again after S3 refused their session token (ExpiredToken, InvalidToken)."
        ) {
            [MetricSample(client.statistics.credentialRefreshes)]
        }
    }
}
