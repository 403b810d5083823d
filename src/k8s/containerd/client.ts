/**
 * A containerd client over its unix socket (gRPC, @grpc/grpc-js + the schema in proto.ts):
 * containers, images, content blobs, namespaces and the event stream. Every call takes the
 * containerd namespace (`containerd-namespace` header); failures are VigilErrors (errors.ts).
 * @module
 */
import { Client, credentials, Metadata, type ClientReadableStream } from '@grpc/grpc-js';
import { PassThrough, type Readable } from 'node:stream';
import { containerdError, noSocketError } from './errors.ts';
import { decode, encode, type PbContainer, type PbContentInfo, type PbEnvelope, type PbImage } from './proto.ts';
import { candidateSockets, detectSocket, isSocket } from './socket.ts';

/** Options of a containerd client. */
export interface ContainerdClientOptions {
  /** Socket path; default: $VIGIL_CONTAINERD_SOCKET, then k3s's, then containerd's. */
  socket?: string;
  /** Deadline of unary calls in ms (default 5000). */
  timeoutMs?: number;
}

/** One event of the containerd event stream, payload decoded when its type is known. */
export interface ContainerdEvent {
  namespace: string;
  topic: string;
  /** ns since the epoch. */
  timestamp?: bigint;
  /** Decoded payload (e.g. `{ container_id, pid }` for /tasks/start). */
  event?: Record<string, unknown>;
  /** Short payload type, e.g. `TaskStart`. */
  type?: string;
}

/** A live subscription; `close()` ends it. */
export interface ContainerdSubscription {
  close(): void;
  /** Resolves when the stream ends (closed, daemon gone or error). */
  done: Promise<Error | undefined>;
}

const SVC = {
  containers: '/containerd.services.containers.v1.Containers/',
  images: '/containerd.services.images.v1.Images/',
  content: '/containerd.services.content.v1.Content/',
  events: '/containerd.services.events.v1.Events/',
  namespaces: '/containerd.services.namespaces.v1.Namespaces/',
  version: '/containerd.services.version.v1.Version/',
};

const PAYLOADS = new Set(['ContainerCreate', 'ContainerUpdate', 'ContainerDelete', 'TaskCreate', 'TaskStart', 'TaskExit', 'TaskDelete']);

/** Nanoseconds since the epoch of a protobuf Timestamp. */
export function timestampNs(t: { seconds: number; nanos: number } | null | undefined): bigint | undefined {
  if (!t) return undefined;
  return BigInt(t.seconds) * 1_000_000_000n + BigInt(t.nanos);
}

/** Talks to one containerd daemon. */
export class ContainerdClient {
  /** The socket path in use. */
  readonly socket: string;
  private readonly client: Client;
  private readonly timeoutMs: number;

  /** Throws CONTAINERD_NO_SOCKET when no socket is configured and none of the defaults exists. */
  constructor(opts: ContainerdClientOptions = {}) {
    const socket = detectSocket(opts.socket);
    if (!socket) throw noSocketError(candidateSockets());
    if (opts.socket && !isSocket(opts.socket)) throw noSocketError([opts.socket]);
    this.socket = socket;
    this.timeoutMs = opts.timeoutMs ?? 5000;
    this.client = new Client(`unix://${socket}`, credentials.createInsecure(), {
      'grpc.max_receive_message_length': 32 * 1024 * 1024,
      // containerd's grpc server expects no special authority; keep reconnects quick
      'grpc.initial_reconnect_backoff_ms': 200,
      'grpc.max_reconnect_backoff_ms': 5000,
    });
  }

  private meta(ns: string | undefined): Metadata {
    const m = new Metadata();
    if (ns) m.set('containerd-namespace', ns);
    return m;
  }

  /** One unary call: request type → response type. */
  private unary<T>(path: string, reqType: string, resType: string, req: Record<string, unknown>, ns?: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.client.makeUnaryRequest<Record<string, unknown>, T>(
        path,
        (v) => encode(reqType, v),
        (b) => decode<T>(resType, b),
        req,
        this.meta(ns),
        { deadline: Date.now() + this.timeoutMs },
        (err, res) => (err ? reject(containerdError(err, this.socket, path)) : resolve(res as T)),
      );
    });
  }

  /** containerd's version and revision. */
  version(): Promise<{ version: string; revision: string }> {
    return this.unary(SVC.version + 'Version', 'google.protobuf.Empty', 'containerd.services.version.v1.VersionResponse', {});
  }

  /** Names of the namespaces (k8s.io, default, moby, ...). */
  async namespaces(): Promise<string[]> {
    const r = await this.unary<{ namespaces: { name: string }[] }>(
      SVC.namespaces + 'List', 'containerd.services.namespaces.v1.ListNamespacesRequest', 'containerd.services.namespaces.v1.ListNamespacesResponse', {},
    );
    return r.namespaces.map((n) => n.name);
  }

  /** Containers of a namespace (containerd filter syntax, e.g. `labels."io.kubernetes.pod.uid"==X`). */
  async listContainers(ns: string, filters: string[] = []): Promise<PbContainer[]> {
    const r = await this.unary<{ containers: PbContainer[] }>(
      SVC.containers + 'List', 'containerd.services.containers.v1.ListContainersRequest', 'containerd.services.containers.v1.ListContainersResponse', { filters }, ns,
    );
    return r.containers;
  }

  /** One container by its full id; CONTAINERD_NOT_FOUND when absent. */
  async getContainer(ns: string, id: string): Promise<PbContainer> {
    const r = await this.unary<{ container: PbContainer }>(
      SVC.containers + 'Get', 'containerd.services.containers.v1.GetContainerRequest', 'containerd.services.containers.v1.GetContainerResponse', { id }, ns,
    );
    return r.container;
  }

  /** Images of a namespace. */
  async listImages(ns: string, filters: string[] = []): Promise<PbImage[]> {
    const r = await this.unary<{ images: PbImage[] }>(
      SVC.images + 'List', 'containerd.services.images.v1.ListImagesRequest', 'containerd.services.images.v1.ListImagesResponse', { filters }, ns,
    );
    return r.images;
  }

  /** One image by name (e.g. `docker.io/library/nginx:1.25`). */
  async getImage(ns: string, name: string): Promise<PbImage> {
    const r = await this.unary<{ image: PbImage }>(
      SVC.images + 'Get', 'containerd.services.images.v1.GetImageRequest', 'containerd.services.images.v1.GetImageResponse', { name }, ns,
    );
    return r.image;
  }

  /** Size and labels of a blob of the content store. */
  async contentInfo(ns: string, digest: string): Promise<PbContentInfo> {
    const r = await this.unary<{ info: PbContentInfo }>(
      SVC.content + 'Info', 'containerd.services.content.v1.InfoRequest', 'containerd.services.content.v1.InfoResponse', { digest }, ns,
    );
    return r.info;
  }

  /** A blob of the content store as a byte stream (errors are emitted as VigilErrors). */
  readBlob(ns: string, digest: string, range: { offset?: number; size?: number } = {}): Readable {
    const path = SVC.content + 'Read';
    const call = this.client.makeServerStreamRequest<Record<string, unknown>, { offset: number; data: Uint8Array }>(
      path,
      (v) => encode('containerd.services.content.v1.ReadContentRequest', v),
      (b) => decode('containerd.services.content.v1.ReadContentResponse', b),
      { digest, offset: range.offset ?? 0, size: range.size ?? 0 },
      this.meta(ns),
    );
    const out = new PassThrough();
    call.on('data', (m: { data: Uint8Array }) => {
      // back-pressure: pause the gRPC stream while the consumer is behind
      if (!out.write(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength))) {
        call.pause();
        out.once('drain', () => call.resume());
      }
    });
    call.on('end', () => out.end());
    call.on('error', (e) => out.destroy(containerdError(e, this.socket, path)));
    out.on('close', () => call.cancel());
    return out;
  }

  /** Reads a whole blob into memory (manifests, configs); refuses blobs over `maxBytes`. */
  async readBlobBytes(ns: string, digest: string, maxBytes = 64 * 1024 * 1024): Promise<Buffer> {
    const parts: Buffer[] = [];
    let n = 0;
    for await (const c of this.readBlob(ns, digest)) {
      n += (c as Buffer).length;
      if (n > maxBytes) throw containerdError(new Error(`blob ${digest} larger than ${maxBytes} bytes`), this.socket, 'Read');
      parts.push(c as Buffer);
    }
    return Buffer.concat(parts);
  }

  /**
   * Follows containerd's event stream (all namespaces; filters like `topic~="/tasks/"`),
   * calling `onEvent` for each. The subscription ends on `close()` or when the stream fails.
   */
  subscribe(onEvent: (e: ContainerdEvent) => void, filters: string[] = []): ContainerdSubscription {
    const path = SVC.events + 'Subscribe';
    const call: ClientReadableStream<PbEnvelope> = this.client.makeServerStreamRequest(
      path,
      (v: Record<string, unknown>) => encode('containerd.services.events.v1.SubscribeRequest', v),
      (b: Buffer) => decode<PbEnvelope>('containerd.services.events.v1.Envelope', b),
      { filters },
      new Metadata(),
    );
    let closed = false;
    const done = new Promise<Error | undefined>((resolve) => {
      call.on('data', (env: PbEnvelope) => {
        const ev: ContainerdEvent = { namespace: env.namespace, topic: env.topic, timestamp: timestampNs(env.timestamp) };
        const url = env.event?.type_url ?? '';
        const type = url.slice(url.lastIndexOf('.') + 1);
        if (env.event && PAYLOADS.has(type) && url.startsWith('containerd.events.')) {
          ev.type = type;
          try {
            ev.event = decode(`containerd.events.${type}`, env.event.value);
          } catch {
            // a payload we cannot decode still tells the topic
          }
        }
        onEvent(ev);
      });
      call.on('error', (e) => resolve(closed ? undefined : containerdError(e, this.socket, path)));
      call.on('end', () => resolve(undefined));
    });
    return {
      done,
      close: () => {
        closed = true;
        call.cancel();
      },
    };
  }

  /** Closes the channel. */
  close(): void {
    this.client.close();
  }
}
