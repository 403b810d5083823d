/**
 * Checks on pod-level resources: the volume types allowed at restricted, and safe sysctls.
 * @module
 */
import type { PodMeta, PodSpec } from '../../manifests/index.ts';
import type { Finding, PssCheck } from '../types.ts';
import { quoted } from './util.ts';

const allowedVolumeSources = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

/** restrictedVolumes: only volume types that cannot reach host or network storage directly. */
export const restrictedVolumes: PssCheck = {
  id: 'restrictedVolumes',
  level: 'restricted',
  versions: [
    {
      minVersion: 0,
      overrides: ['hostPathVolumes'],
      evaluate(_meta, spec) {
        const names: string[] = [];
        const types = new Set<string>();
        for (const v of Array.isArray(spec.volumes) ? spec.volumes : []) {
          if (!v || typeof v !== 'object') continue;
          const sources = Object.keys(v).filter((k) => k !== 'name' && v[k] != null);
          // a volume without a source is defaulted to emptyDir by the API server, so it is allowed
          if (sources.length === 0 || sources.some((k) => allowedVolumeSources.has(k))) continue;
          names.push(String(v.name ?? ''));
          for (const k of sources) types.add(k);
        }
        if (!names.length) return undefined;
        return {
          reason: 'restricted volume types',
          detail: `volume${names.length > 1 ? 's' : ''} ${quoted(names)} use${names.length > 1 ? '' : 's'} restricted volume type${types.size > 1 ? 's' : ''} ${quoted(types)}`,
        };
      },
    },
  ],
};

const sysctls10 = [
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_unprivileged_port_start',
];
const sysctls127 = [...sysctls10, 'net.ipv4.ip_local_reserved_ports'];
const sysctls129 = [
  ...sysctls127,
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
];
const sysctls132 = [...sysctls129, 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'];
const sysctls137 = [
  ...sysctls132,
  'net.ipv4.tcp_slow_start_after_idle',
  'net.ipv4.tcp_notsent_lowat',
];

function sysctlCheck(list: string[]) {
  const allowed = new Set(list);
  return (_meta: PodMeta, spec: PodSpec): Finding | undefined => {
    const raw = spec.securityContext?.sysctls;
    const bad = (Array.isArray(raw) ? raw : [])
      .map((s) => String(s?.name ?? ''))
      .filter((n) => !allowed.has(n));
    return bad.length ? { reason: 'forbidden sysctls', detail: quoted(bad) } : undefined;
  };
}

/** sysctls: only the namespaced, safe sysctls of each version. */
export const sysctls: PssCheck = {
  id: 'sysctls',
  level: 'baseline',
  versions: [
    { minVersion: 0, evaluate: sysctlCheck(sysctls10) },
    { minVersion: 27, evaluate: sysctlCheck(sysctls127) },
    { minVersion: 29, evaluate: sysctlCheck(sysctls129) },
    { minVersion: 32, evaluate: sysctlCheck(sysctls132) },
    { minVersion: 37, evaluate: sysctlCheck(sysctls137) },
  ],
};
