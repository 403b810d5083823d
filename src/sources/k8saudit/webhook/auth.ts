/**
 * Who may post audit events: a bearer token (any of the configured ones) or a client
 * certificate verified against the configured CA, as an API server's webhook kubeconfig
 * provides. Any one configured method that succeeds authenticates the request.
 * @module
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Authentication settings. */
export interface AuthOptions {
  /** Accepted bearer tokens. */
  tokens?: string[];
  /** Accept requests whose TLS client certificate the server verified (needs TLS with a client CA). */
  clientCerts?: boolean;
  /** Accept everyone (only for local testing; the CLI asks for it explicitly). */
  allowUnauthenticated?: boolean;
}

// Comparing digests keeps the comparison constant-time whatever the token lengths.
const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Builds the request check; returns the reason a request is refused, or undefined. */
export function authenticator(opts: AuthOptions): (req: IncomingMessage) => string | undefined {
  const tokens = (opts.tokens ?? []).filter((t) => t !== '').map(digest);
  const certs = opts.clientCerts === true;
  if (opts.allowUnauthenticated) return () => undefined;
  return (req) => {
    if (certs) {
      const sock = req.socket as TLSSocket;
      if (sock.encrypted && sock.authorized) return undefined;
    }
    if (tokens.length) {
      const h = req.headers.authorization;
      const m = typeof h === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
      if (m) {
        const d = digest(m[1]!);
        if (tokens.some((t) => timingSafeEqual(t, d))) return undefined;
        return 'invalid bearer token';
      }
    }
    if (!tokens.length && !certs) return 'no authentication configured';
    return certs && !tokens.length ? 'a verified client certificate is required' : 'missing bearer token';
  };
}
