/**
 * Container metadata for live detection: a cache keyed by container id (full and 12-char)
 * filled from containerd (all namespaces listed at start, then refreshed on the
 * /containers/create and /tasks/start events), with Kubernetes pod facts from the CRI labels
 * and the pod labels of the sandbox. Lookups never throw: a missing daemon or container
 * gives undefined and is reported once through `onError`.
 * @module
 */
import { VigilError } from '../../core/index.ts';
import { ContainerdClient, timestampNs, type ContainerdEvent, type ContainerdSubscription } from '../containerd/client.ts';
import { CONTAINERD_ERRORS } from '../containerd/errors.ts';
import type { PbContainer } from '../containerd/proto.ts';
import { CRI_ANNOTATIONS, CRI_LABELS, isSandbox, podFromLabels, podLabelsFromSandbox, type PodInfo } from './pod.ts';
import { specFacts, type SpecFacts } from './spec.ts';

/** What Vigil knows about one container. */
export interface ContainerMeta {
  /** 12-character id. */
  id: string;
  fullId: string;
  /** containerd namespace (k8s.io for Kubernetes pods). */
  namespace: string;
  /** Runtime kind, as container.type prints it. */
  type: 'containerd';
  /** Kubernetes container name, else the containerd id. */
  name: string;
  /** Image reference (the CRI's image name when set). */
  image: string;
  /** Manifest digest of the image, when containerd still has the image. */
  imageDigest?: string;
  labels: Record<string, string>;
  /** ns since the epoch. */
  createdAt?: bigint;
  /** ns since the epoch of the last /tasks/start seen. */
  startedAt?: bigint;
  mounts: SpecFacts['mounts'];
  privileged: boolean;
  hostPid: boolean;
  hostNetwork: boolean;
  hostIpc: boolean;
  /** True for a pod sandbox (pause) container. */
  sandbox: boolean;
  pod?: PodInfo;
}

/** Counters of the resolver. */
export interface ResolverStats {
  lookups: number;
  hits: number;
  misses: number;
  fetches: number;
  events: number;
  errors: number;
}

/** Options of the resolver. */
export interface ResolverOptions {
  /** A client to use (else one is opened on `socket` or the detected socket). */
  client?: ContainerdClient;
  socket?: string;
  /** Namespaces to search; default: every namespace containerd lists. */
  namespaces?: string[];
  /** Deadline of each containerd call (ms, default 2000). */
  timeoutMs?: number;
  /** Told about problems (socket absent, daemon gone); the resolver keeps working without metadata. */
  onError?: (e: VigilError) => void;
  /** Told when a container's metadata is added or refreshed (from events or lookups). */
  onUpdate?: (m: ContainerMeta) => void;
  /** Subscribe to containerd events (default true). */
  follow?: boolean;
  /** How long a failed lookup is not retried (ms, default 2000). */
  negativeTtlMs?: number;
  /** How long metadata stays after /containers/delete, for late events (ms, default 30000). */
  deleteGraceMs?: number;
}

const KEEP_TOPICS = ['topic=="/containers/create"', 'topic=="/containers/update"', 'topic=="/containers/delete"', 'topic=="/tasks/start"', 'topic=="/tasks/exit"'];

/** Container metadata from containerd, cached. */
export class ContainerMetadataResolver {
  readonly stats: ResolverStats = { lookups: 0, hits: 0, misses: 0, fetches: 0, events: 0, errors: 0 };
  private readonly byId = new Map<string, ContainerMeta>();
  private readonly pending = new Map<string, Promise<ContainerMeta | undefined>>();
  private readonly failedAt = new Map<string, number>();
  private readonly imageDigests = new Map<string, string | undefined>();
  private client?: ContainerdClient;
  private sub?: ContainerdSubscription;
  private stopped = false;
  private namespaces?: string[];
  private readonly reported = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly opts: ResolverOptions = {}) {
    this.namespaces = opts.namespaces;
    try {
      this.client = opts.client ?? new ContainerdClient({ socket: opts.socket, timeoutMs: opts.timeoutMs ?? 2000 });
    } catch (e) {
      this.report(e);
    }
  }

  /** The socket in use; undefined when no containerd was found. */
  get socket(): string | undefined {
    return this.client?.socket;
  }

  /** True when a containerd client is open. */
  get available(): boolean {
    return this.client !== undefined;
  }

  /** Lists every container and starts following events. Resolves even when containerd is absent. */
  async start(): Promise<void> {
    if (!this.client) return;
    if (this.opts.follow !== false) this.follow(0);
    await this.refreshAll();
  }

  /** Ends the subscription and closes the client. */
  stop(): void {
    this.stopped = true;
    this.sub?.close();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.client?.close();
  }

  /** Cached metadata by full or 12-character id. */
  cached(id: string): ContainerMeta | undefined {
    return this.byId.get(id);
  }

  /** Every cached container. */
  all(): ContainerMeta[] {
    return [...new Set(this.byId.values())];
  }

  /** Metadata by full or 12-char id: cache first, then containerd (concurrent lookups share one call). */
  lookup(id: string): Promise<ContainerMeta | undefined> {
    this.stats.lookups++;
    const hit = this.byId.get(id);
    if (hit) {
      this.stats.hits++;
      return Promise.resolve(hit);
    }
    if (!this.client) return Promise.resolve(undefined);
    const failed = this.failedAt.get(id);
    if (failed !== undefined && Date.now() - failed < (this.opts.negativeTtlMs ?? 2000)) return Promise.resolve(undefined);
    let p = this.pending.get(id);
    if (!p) {
      p = this.fetch(id).finally(() => this.pending.delete(id));
      this.pending.set(id, p);
    }
    return p;
  }

  private async fetch(id: string): Promise<ContainerMeta | undefined> {
    this.stats.misses++;
    try {
      for (const ns of await this.nsList()) {
        let c: PbContainer | undefined;
        if (id.length === 64) {
          c = await this.client!.getContainer(ns, id).catch((e) => {
            if ((e as VigilError).code === CONTAINERD_ERRORS.notFound) return undefined;
            throw e;
          });
        } else {
          // a short id: containerd has no prefix Get, so filter by regular expression
          const found = await this.client!.listContainers(ns, [`id~="^${id.replace(/[^0-9A-Za-z_.-]/g, '')}"`]);
          c = found.length === 1 ? found[0] : undefined;
        }
        if (c) return await this.store(ns, c);
      }
    } catch (e) {
      this.report(e);
    }
    this.failedAt.set(id, Date.now());
    return undefined;
  }

  private async nsList(): Promise<string[]> {
    if (this.namespaces) return this.namespaces;
    const list = await this.client!.namespaces();
    // Kubernetes first: most lookups on a node are for pods
    return list.sort((a, b) => (a === 'k8s.io' ? -1 : b === 'k8s.io' ? 1 : a.localeCompare(b)));
  }

  /** Re-reads every container of every namespace. */
  async refreshAll(): Promise<void> {
    if (!this.client) return;
    try {
      for (const ns of await this.nsList()) {
        const list = await this.client.listContainers(ns);
        // sandboxes first, so pod labels are at hand for their containers
        list.sort((a, b) => Number(isSandbox(b.labels)) - Number(isSandbox(a.labels)));
        for (const c of list) await this.store(ns, c, list);
      }
    } catch (e) {
      this.report(e);
    }
  }

  private async store(ns: string, c: PbContainer, siblings?: PbContainer[]): Promise<ContainerMeta> {
    this.stats.fetches++;
    const facts = specFacts(c.spec?.value);
    const labels = { ...c.labels };
    const pod = podFromLabels(labels, facts.annotations);
    const sandbox = isSandbox(labels, facts.annotations);
    if (pod) pod.labels = sandbox ? podLabelsFromSandbox(labels) : await this.podLabels(ns, pod, siblings);
    const image = facts.annotations[CRI_ANNOTATIONS.imageName] || c.image;
    const prev = this.byId.get(c.id);
    const meta: ContainerMeta = {
      id: c.id.slice(0, 12), fullId: c.id, namespace: ns, type: 'containerd',
      name: labels[CRI_LABELS.containerName] ?? pod?.containerName ?? c.id,
      image, imageDigest: image ? await this.imageDigest(ns, image) : undefined,
      labels, createdAt: timestampNs(c.created_at), startedAt: prev?.startedAt,
      mounts: facts.mounts, privileged: facts.privileged, hostPid: facts.hostPid, hostNetwork: facts.hostNetwork, hostIpc: facts.hostIpc,
      sandbox, pod,
    };
    this.byId.set(meta.fullId, meta);
    this.byId.set(meta.id, meta);
    this.failedAt.delete(meta.fullId);
    this.failedAt.delete(meta.id);
    this.opts.onUpdate?.(meta);
    return meta;
  }

  private async podLabels(ns: string, pod: PodInfo, siblings?: PbContainer[]): Promise<Record<string, string>> {
    const known = pod.sandboxId ? this.byId.get(pod.sandboxId) : this.all().find((m) => m.sandbox && m.pod?.uid !== undefined && m.pod.uid === pod.uid);
    if (known) {
      pod.sandboxId ??= known.fullId;
      return podLabelsFromSandbox(known.labels);
    }
    let sb: PbContainer | undefined = siblings?.find((s) => (pod.sandboxId ? s.id === pod.sandboxId : isSandbox(s.labels) && pod.uid !== undefined && s.labels[CRI_LABELS.podUid] === pod.uid));
    if (!sb) {
      try {
        if (pod.sandboxId) sb = await this.client!.getContainer(ns, pod.sandboxId);
        else if (pod.uid) sb = (await this.client!.listContainers(ns, [`labels."${CRI_LABELS.kind}"==sandbox,labels."${CRI_LABELS.podUid}"=="${pod.uid.replace(/"/g, '')}"`]))[0];
      } catch {
        sb = undefined; // no sandbox: the pod keeps its name and namespace, without labels
      }
    }
    if (!sb) return {};
    pod.sandboxId ??= sb.id;
    return podLabelsFromSandbox(sb.labels);
  }

  private async imageDigest(ns: string, image: string): Promise<string | undefined> {
    const key = `${ns}/${image}`;
    if (this.imageDigests.has(key)) return this.imageDigests.get(key);
    let d: string | undefined;
    try {
      d = (await this.client!.getImage(ns, image)).target?.digest || undefined;
    } catch {
      d = undefined; // images may be removed while containers run
    }
    this.imageDigests.set(key, d);
    return d;
  }

  /** Subscribes, re-subscribing with back-off (and a full re-list) when the stream breaks. */
  private follow(attempt: number): void {
    if (this.stopped || !this.client) return;
    const sub = this.client.subscribe((e) => this.onEvent(e), KEEP_TOPICS);
    this.sub = sub;
    void sub.done.then((err) => {
      if (this.stopped) return;
      if (err) this.report(err);
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.follow(attempt + 1);
        void this.refreshAll();
      }, Math.min(30_000, 500 * 2 ** Math.min(attempt, 6)));
      t.unref();
      this.timers.add(t);
    });
  }

  private onEvent(e: ContainerdEvent): void {
    this.stats.events++;
    const ev = e.event ?? {};
    const id = String(ev.id ?? ev.container_id ?? '');
    if (!id) return;
    switch (e.topic) {
      case '/containers/create':
      case '/containers/update':
      case '/tasks/start': {
        this.failedAt.delete(id);
        void this.client!.getContainer(e.namespace, id)
          .then((c) => this.store(e.namespace, c))
          .then((m) => {
            if (e.topic === '/tasks/start' && e.timestamp !== undefined) m.startedAt = e.timestamp;
          })
          .catch((x) => this.report(x));
        return;
      }
      case '/containers/delete': {
        // keep it a little: the last events of its processes may still be in flight
        const t = setTimeout(() => {
          this.timers.delete(t);
          const m = this.byId.get(id);
          if (m) {
            this.byId.delete(m.fullId);
            this.byId.delete(m.id);
          }
        }, this.opts.deleteGraceMs ?? 30_000);
        t.unref();
        this.timers.add(t);
        return;
      }
    }
  }

  private report(e: unknown): void {
    this.stats.errors++;
    const err = e instanceof VigilError ? e : new VigilError(CONTAINERD_ERRORS.failed, (e as Error)?.message ?? String(e));
    // one report per distinct problem: a dead daemon must not flood the log
    const key = `${err.code}:${err.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.opts.onError?.(err);
  }
}
