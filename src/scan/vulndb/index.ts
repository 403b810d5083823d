/**
 * vulndb: the SQLite vulnerability database, its importers (OSV, Alpine secdb, Debian tracker,
 * npm legacy advisories, Trivy fixtures) and status.
 * @module
 */
export * from './types.ts';
export { VulnDb, defaultDbPath, SCHEMA_VERSION } from './store.ts';
export { importPath, convertFile, type ImportSummary } from './import.ts';
export {
  osEcosystem,
  fromOsvEcosystem,
  normalizePackageName,
  DEBIAN_CODENAMES,
} from './ecosystems.ts';
export { cvssBaseScore } from './cvss.ts';
export { updateFromFeeds, download, type UpdateOptions, type DownloadProgress } from './update.ts';
export {
  feedList,
  DEFAULT_BASES,
  DEFAULT_OSV_ECOSYSTEMS,
  DEFAULT_ALPINE_RELEASES,
  type Feed,
  type FeedBases,
} from './feeds.ts';
export { eachZipJson } from './zip-feed.ts';
