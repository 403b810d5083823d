/**
 * The audit webhook server (authentication, limits, exactly-once hand-off).
 * @module
 */
export { authenticator, type AuthOptions } from './auth.ts';
export { startWebhook, webhookHandler, DEFAULT_MAX_BODY, type RunningWebhook, type TlsOptions, type WebhookOptions, type WebhookStats } from './server.ts';
