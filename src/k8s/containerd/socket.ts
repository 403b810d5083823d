/**
 * Where containerd listens: an explicit path, $VIGIL_CONTAINERD_SOCKET, k3s's embedded
 * containerd, then the standalone daemon's default.
 * @module
 */
import { statSync } from 'node:fs';

/** k3s's embedded containerd. */
export const K3S_CONTAINERD_SOCKET = '/run/k3s/containerd/containerd.sock';
/** Standalone containerd's default. */
export const CONTAINERD_SOCKET = '/run/containerd/containerd.sock';

/** True when the path exists and is a unix socket. */
export function isSocket(path: string): boolean {
  try {
    return statSync(path).isSocket();
  } catch {
    return false;
  }
}

/** The sockets tried, in order, when none is configured. */
export function candidateSockets(env: NodeJS.ProcessEnv = process.env): string[] {
  const out: string[] = [];
  if (env.VIGIL_CONTAINERD_SOCKET) out.push(env.VIGIL_CONTAINERD_SOCKET);
  out.push(K3S_CONTAINERD_SOCKET, CONTAINERD_SOCKET);
  return out;
}

/** The configured socket, or the first existing candidate; undefined when none exists. */
export function detectSocket(configured?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (configured) return configured;
  return candidateSockets(env).find(isSocket);
}
