/**
 * Images from an OCI/Docker registry over the Distribution API: anonymous or bearer-token
 * auth (the WWW-Authenticate challenge), manifest lists/indexes with platform choice, Docker
 * and OCI media types; layer blobs are streamed straight into the layer reader.
 * @module
 */
import { Readable } from 'node:stream';
import { VigilError } from '../../core/index.ts';
import { readImageFromBlobs, type BlobSource, type ImageDocument } from './remote-image.ts';
import type { Platform } from './manifest.ts';
import type { FileView } from './view.ts';
import type { RegistryCredentials } from './credentials.ts';
import {
  DEFAULT_LIMITS,
  ImageErrors,
  type ImageContents,
  type ReadLimits,
  type WantFile,
} from './types.ts';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** A parsed image reference. */
export interface ImageRef {
  registry: string;
  repository: string;
  reference: string;
  /** http for loopback registries, https otherwise. */
  scheme: 'http' | 'https';
}

/** Parses `[registry/]repo[:tag|@digest]` (Docker Hub's `library/` default included). */
export function parseImageRef(ref: string): ImageRef {
  let rest = ref.replace(/^(docker|oci):\/\//, '');
  let registry = 'registry-1.docker.io';
  const first = rest.split('/')[0]!;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(first.length + 1);
  }
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  if (!/^[a-z0-9]+([._/-][a-z0-9]+)*$/.test(rest))
    throw new VigilError(ImageErrors.unsupported, `bad image reference "${ref}"`);
  if (registry === 'registry-1.docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(registry);
  return { registry, repository: rest, reference, scheme: loopback ? 'http' : 'https' };
}

class Client {
  private authorization?: string;
  constructor(
    private readonly ref: ImageRef,
    private readonly credentials?: RegistryCredentials,
  ) {}

  private url(path: string): string {
    return `${this.ref.scheme}://${this.ref.registry}/v2/${this.ref.repository}/${path}`;
  }

  async get(path: string, accept?: string): Promise<Response> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const headers: Record<string, string> = {};
      if (accept) headers.Accept = accept;
      if (this.authorization) headers.Authorization = this.authorization;
      const res = await fetch(this.url(path), { headers, redirect: 'follow' });
      if (res.status === 401 && attempt === 0) {
        await res.body?.cancel();
        await this.authenticate(res.headers.get('www-authenticate') ?? '');
        continue;
      }
      if (!res.ok)
        throw new VigilError(
          res.status === 404
            ? ImageErrors.notFound
            : res.status === 401 || res.status === 403
              ? 'SCAN_REGISTRY_AUTH'
              : 'SCAN_REGISTRY_HTTP',
          `GET ${this.url(path)}: HTTP ${res.status}`,
          { file: this.url(path) },
        );
      return res;
    }
    throw new VigilError('SCAN_REGISTRY_AUTH', `not authorised for ${this.ref.repository}`);
  }

  private basic(): string | undefined {
    const c = this.credentials;
    if (!c?.username || c.password === undefined) return undefined;
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
  }

  // Basic challenge: send the credentials as they are. Bearer challenge: realm, service and
  // scope name the token endpoint; an identity token is exchanged there as an OAuth2
  // refresh token (POST), a user and password go along as Basic auth (GET).
  private async authenticate(challenge: string): Promise<void> {
    if (/^Basic/i.test(challenge)) {
      this.authorization = this.basic();
      if (!this.authorization)
        throw new VigilError(
          'SCAN_REGISTRY_AUTH',
          `${this.ref.registry} wants a user and password (docker login, or --username/--password)`,
        );
      return;
    }
    const params: Record<string, string> = {};
    for (const m of challenge.matchAll(/(\w+)="([^"]*)"/g)) params[m[1]!] = m[2]!;
    if (!/^Bearer/i.test(challenge) || !params.realm)
      throw new VigilError('SCAN_REGISTRY_AUTH', `unsupported auth challenge "${challenge}"`);
    const u = new URL(params.realm);
    const scope = params.scope ?? `repository:${this.ref.repository}:pull`;
    let res: Response;
    if (this.credentials?.identityToken) {
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: this.credentials.identityToken,
        client_id: 'vigil',
        scope,
      });
      if (params.service) form.set('service', params.service);
      res = await fetch(u, { method: 'POST', body: form });
    } else {
      if (params.service) u.searchParams.set('service', params.service);
      u.searchParams.set('scope', scope);
      const basic = this.basic();
      res = await fetch(u, basic ? { headers: { Authorization: basic } } : {});
    }
    if (!res.ok)
      throw new VigilError('SCAN_REGISTRY_AUTH', `token request failed: HTTP ${res.status}`, {
        file: u.toString(),
      });
    const body = (await res.json()) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token) throw new VigilError('SCAN_REGISTRY_AUTH', 'token response without a token');
    this.authorization = `Bearer ${token}`;
  }
}


/** Pulls an image's config and streams its layers into a merged view. */
export async function readRegistryImage(
  refText: string,
  want: WantFile,
  opts: {
    platform?: Platform;
    limits?: ReadLimits;
    credentials?: RegistryCredentials;
  } = {},
): Promise<{ contents: ImageContents; view: FileView }> {
  const ref = parseImageRef(refText);
  const client = new Client(ref, opts.credentials);
  const limits = opts.limits ?? DEFAULT_LIMITS;
  const top = (await (await client.get(`manifests/${ref.reference}`, ACCEPT)).json()) as ImageDocument;
  const blobs: BlobSource = {
    manifest: async (digest) => (await (await client.get(`manifests/${digest}`, ACCEPT)).json()) as ImageDocument,
    config: async (digest) => (await (await client.get(`blobs/${digest}`)).json()) as Record<string, unknown>,
    layer: async (digest) => Readable.fromWeb((await client.get(`blobs/${digest}`)).body as never) as AsyncIterable<Buffer>,
  };
  return readImageFromBlobs(blobs, top, {
    refText,
    format: 'registry',
    repoTags: [`${ref.registry}/${ref.repository}:${ref.reference}`],
    want,
    limits,
    platform: opts.platform,
  });
}
