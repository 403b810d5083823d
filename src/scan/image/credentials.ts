/**
 * Registry credentials the way the docker CLI keeps them: `--username/--password` first, then
 * the Docker config (`$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`): a
 * `credHelpers` entry for the registry, `auths` (base64 `auth`, `username`/`password`,
 * `identitytoken`), then the default `credsStore`. Helpers run as `docker-credential-NAME get`.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { VigilError } from '../../core/index.ts';

/** Credentials for one registry: a user and password, or an OAuth2 refresh (identity) token. */
export interface RegistryCredentials {
  username?: string;
  password?: string;
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<
    string,
    { auth?: string; username?: string; password?: string; identitytoken?: string }
  >;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

// Docker Hub is filed under its v1 index URL; other registries by host, with or without scheme.
function keysFor(registry: string): string[] {
  if (['registry-1.docker.io', 'docker.io', 'index.docker.io'].includes(registry))
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', registry];
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`];
}

/** Where the Docker config lives for this environment. */
export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
}

function fromHelper(helper: string, server: string): RegistryCredentials | undefined {
  if (!/^[\w.-]+$/.test(helper))
    throw new VigilError('SCAN_REGISTRY_AUTH', `bad credential helper name "${helper}"`);
  const r = spawnSync(`docker-credential-${helper}`, ['get'], {
    input: server,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return undefined;
  // Helpers answer "credentials not found" with a non-zero exit: anonymous, not an error.
  if (r.status !== 0) return undefined;
  try {
    const j = JSON.parse(r.stdout) as { Username?: string; Secret?: string };
    if (!j.Secret) return undefined;
    return j.Username === '<token>'
      ? { identityToken: j.Secret }
      : { username: j.Username ?? '', password: j.Secret };
  } catch {
    throw new VigilError('SCAN_REGISTRY_AUTH', `docker-credential-${helper} answered non-JSON`);
  }
}

/** Credentials for a registry host, or undefined for anonymous access. */
export function resolveCredentials(
  registry: string,
  opts: { username?: string; password?: string; configPath?: string } = {},
): RegistryCredentials | undefined {
  if (opts.username !== undefined || opts.password !== undefined) {
    if (!opts.username || opts.password === undefined)
      throw new VigilError('SCAN_REGISTRY_AUTH', '--username and --password go together');
    return { username: opts.username, password: opts.password };
  }
  const file = opts.configPath ?? dockerConfigPath();
  if (!existsSync(file)) return undefined;
  let cfg: DockerConfig;
  try {
    cfg = JSON.parse(readFileSync(file, 'utf8')) as DockerConfig;
  } catch (e) {
    throw new VigilError('SCAN_REGISTRY_AUTH', `unreadable Docker config`, { file }, { cause: e });
  }
  const keys = keysFor(registry);
  for (const k of keys) {
    const helper = cfg.credHelpers?.[k];
    if (helper) return fromHelper(helper, k);
  }
  for (const k of keys) {
    const a = cfg.auths?.[k];
    if (!a) continue;
    if (a.identitytoken) return { identityToken: a.identitytoken };
    if (a.auth) {
      const text = Buffer.from(a.auth, 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon < 0)
        throw new VigilError('SCAN_REGISTRY_AUTH', `auths["${k}"].auth is not user:password`, {
          file,
          jsonPath: `$.auths["${k}"].auth`,
        });
      return { username: text.slice(0, colon), password: text.slice(colon + 1) };
    }
    if (a.username !== undefined && a.password !== undefined)
      return { username: a.username, password: a.password };
  }
  if (cfg.credsStore) return fromHelper(cfg.credsStore, keys[0]!);
  return undefined;
}
