/**
 * container.* fields (in Falco supplied by the container plugin, required by the official
 * rules): identity, image, privileges, mounts, labels and probes of the container a
 * thread runs in. Host processes have container.id `host`.
 * @module
 */
import { declare, type FieldSpec } from './define.ts';

// Mount fields take a mount index (container.mount.dest[0]) or a source/destination path
// glob (container.mount.dest[/var/run/docker.sock]).
const MOUNT = { arg: 'required-key' } as const;
// The fields the container plugin flags as suggested output (appended by append_output's
// suggested_output, Falco's default), in the plugin's order.
const SUGGESTED = { suggested: true } as const;

const SPECS: FieldSpec[] = [
  ['container.id', 'CHARBUF', "Short (12 characters) container id; 'host' for processes outside containers.", SUGGESTED],
  ['container.full_id', 'CHARBUF', 'Full container id.'],
  ['container.name', 'CHARBUF', "Container name; 'host' for processes outside containers.", SUGGESTED],
  ['container.image', 'CHARBUF', 'Image reference the container runs (repository and tag).'],
  ['container.image.id', 'CHARBUF', 'Image id.'],
  ['container.type', 'CHARBUF', 'Container runtime kind: docker, containerd, cri-o, podman...'],
  ['container.privileged', 'BOOL', 'True for privileged containers.'],
  ['container.mounts', 'CHARBUF', 'Every mount as source:dest:mode:rdwr:propagation, comma separated.'],
  ['container.mount', 'CHARBUF', "One mount by index or source path, as source:dest:mode:rdwr:propagation; 'none' when absent.", MOUNT],
  ['container.mount.source', 'CHARBUF', 'Source of a mount, by index or by destination path.', MOUNT],
  ['container.mount.dest', 'CHARBUF', 'Destination of a mount, by index or by source path.', MOUNT],
  ['container.mount.mode', 'CHARBUF', 'Mode of a mount, by index or by source path.', MOUNT],
  ['container.mount.rdwr', 'CHARBUF', 'Whether a mount is writable (true/false), by index or by source path.', MOUNT],
  ['container.mount.propagation', 'CHARBUF', 'Propagation of a mount, by index or by source path.', MOUNT],
  ['container.image.repository', 'CHARBUF', 'Repository part of the container image.', SUGGESTED],
  ['container.image.tag', 'CHARBUF', 'Tag part of the container image.', SUGGESTED],
  ['container.image.digest', 'CHARBUF', 'Registry digest of the container image.'],
  ['container.healthcheck', 'CHARBUF', "The container's health check command, or NONE."],
  ['container.liveness_probe', 'CHARBUF', "The container's liveness probe command, or NONE."],
  ['container.readiness_probe', 'CHARBUF', "The container's readiness probe command, or NONE."],
  ['container.start_ts', 'ABSTIME', 'Start time of the container in nanoseconds since the epoch.'],
  ['container.duration', 'RELTIME', 'Nanoseconds since container.start_ts.'],
  ['container.ip', 'CHARBUF', 'Primary IP address of the container.'],
  ['container.cni.json', 'CHARBUF', 'CNI result of the container or pod, as JSON.'],
  ['container.host_pid', 'BOOL', 'True when the container shares the host PID namespace.'],
  ['container.host_network', 'BOOL', 'True when the container shares the host network namespace.'],
  ['container.host_ipc', 'BOOL', 'True when the container shares the host IPC namespace.'],
  ['container.label', 'CHARBUF', 'One container label by key, e.g. container.label.foo or container.label[foo].', { arg: 'required-key', dotted: true }],
  ['container.labels', 'CHARBUF', 'Every container label as key:value pairs, comma separated.'],
  ['container.info', 'CHARBUF', 'Container details for events about containers (container event type).'],
];

/** container.* definitions. */
export const CONTAINER_FIELDS = declare(SPECS);
