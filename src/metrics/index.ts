/**
 * metrics: host and container collectors with node_exporter's and cAdvisor's metric names,
 * Vigil's own counters under Falco's names, one scrape that merges them, the Prometheus text
 * exposition, and a small HTTP server for `vigil metrics serve`.
 * @module
 */
export type { Collector, CollectContext, Family, HostPaths, Sample } from './types.ts';
export { LIVE_PATHS } from './types.ts';
export { collectors, type CollectorOptions } from './collectors/index.ts';
export type { ContainerFacts, ContainerFactsSource } from './cgroup/collector.ts';
export type { DetectionStats, SensorCounts } from './collectors/vigil.ts';
export { exposition, scrape, TEXT_CONTENT_TYPE, type ScrapeResult } from './scrape.ts';
export { DEFAULT_LISTEN, metricsText, parseListen, serveMetrics, type MetricsServer } from './serve.ts';
