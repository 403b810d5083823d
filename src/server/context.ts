/**
 * What the routes work with: the store, tokens, the alert bus and the loaded rules. Built
 * once by `vigil up` (or a test) and handed to `buildApp`.
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Alert, Diagnostic } from '../core/index.ts';
import type { CompiledRule } from '../rules/index.ts';
import type { ScanResult } from '../scan/index.ts';
import type { Store } from '../store/index.ts';
import type { AlertBus } from './bus.ts';
import type { TokenStore } from './tokens.ts';

/** A raw node:http handler mounted under a route (Falco ingest, audit webhook). */
export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** Everything the API needs. */
export interface ServerContext {
  store: Store;
  tokens: TokenStore;
  bus: AlertBus;
  /** Stores an alert (through the outbox) and announces it; resolves with its id. */
  submit: (a: Alert) => Promise<string>;
  /** The rules files in force and what loading them produced. */
  rules: {
    files: string[];
    compiled: CompiledRule<unknown>[];
    warnings: Diagnostic[];
    /** Whether a rule runs now (enabled and at or above the minimum priority). */
    isActive?: (rule: CompiledRule<unknown>) => boolean;
    /** Enables or disables rules by exact name in the running rulesets; how many matched. */
    setEnabled?: (name: string, on: boolean) => number;
  };
  /** The Falco alert ingest handler (answers on `/falco`). */
  ingest?: RawHandler;
  /** The Kubernetes audit webhook handler (answers on `/k8s-audit`). */
  auditWebhook?: RawHandler;
  /** Runs a capture or audit file from a server-side path through detection into the store. */
  replay?: (path: string, rules?: string[]) => Promise<ReplayResult>;
  /** Scans an image or a directory on the server's side (with the vulnerability database). */
  scan?: (kind: 'image' | 'fs', ref: string) => Promise<ScanResult>;
  /** The data folder: kept scans, posture reports, waivers, uploaded rules (memory only without). */
  dataDir?: string;
  /** Folder of the built static UI (`web/dist`); absent or unbuilt: `/` explains how to build it. */
  webDir?: string;
  /** False while starting or draining. */
  ready: () => boolean;
  /** Largest JSON body accepted (bytes). */
  bodyLimit?: number;
  /** GET /metrics: one scrape as text, and whether it is served without a token. */
  metrics?: { text: () => Promise<{ contentType: string; body: string }>; public: boolean };
}

/** What a replay did. */
export interface ReplayResult {
  kind: 'scap' | 'k8s_audit';
  events: number;
  alerts: number;
  byRule: Record<string, number>;
  errors: Diagnostic[];
}
