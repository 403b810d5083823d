/**
 * server: the HTTP API (`/api/v1`), token auth, Falco ingest and audit webhook mounts, live
 * alerts over server-sent events, the OpenAPI document and the static UI.
 * @module
 */
export { buildApp, API_VERSION, type RouteInfo } from './app.ts';
export { AlertBus } from './bus.ts';
export { TokenStore, SCOPES, type Scope, type TokenRecord } from './tokens.ts';
export { findAlerts, toFilter, streams, type AlertFilters } from './routes/alerts.ts';
export { uiBuilt, UI_NOT_BUILT } from './static.ts';
export { startVigil, type UpOptions, type Running } from './runtime.ts';
export type { ServerContext, RawHandler, ReplayResult } from './context.ts';
