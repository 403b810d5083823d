/**
 * Baseline checks about reaching the host: Windows HostProcess, host namespaces, hostPath
 * volumes, host ports, and probes/lifecycle hooks aimed at other hosts.
 * @module
 */
import { allContainers, type Container, type Handler } from '../../manifests/index.ts';
import type { PssCheck } from '../types.ts';
import { containersPhrase, nameOf, quoted } from './util.ts';

/** windowsHostProcess: no HostProcess containers (pod or container windowsOptions). */
export const windowsHostProcess: PssCheck = {
  id: 'windowsHostProcess',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(_meta, spec) {
        const podSet = spec.securityContext?.windowsOptions?.hostProcess === true;
        const bad = allContainers(spec)
          .filter((c) => c.securityContext?.windowsOptions?.hostProcess === true)
          .map(nameOf);
        if (!podSet && bad.length === 0) return undefined;
        const parts: string[] = [];
        if (podSet) parts.push('pod');
        if (bad.length) parts.push(containersPhrase(bad));
        return {
          reason: 'hostProcess',
          detail: `${parts.join(' and ')} must not set securityContext.windowsOptions.hostProcess=true`,
        };
      },
    },
  ],
};

/** hostNamespaces: hostNetwork, hostPID and hostIPC must be unset or false. */
export const hostNamespaces: PssCheck = {
  id: 'hostNamespaces',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(_meta, spec) {
        const set: string[] = [];
        if (spec.hostNetwork === true) set.push('hostNetwork=true');
        if (spec.hostPID === true) set.push('hostPID=true');
        if (spec.hostIPC === true) set.push('hostIPC=true');
        return set.length ? { reason: 'host namespaces', detail: set.join(', ') } : undefined;
      },
    },
  ],
};

/** hostPathVolumes: no hostPath volumes. */
export const hostPathVolumes: PssCheck = {
  id: 'hostPathVolumes',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(_meta, spec) {
        const bad = (Array.isArray(spec.volumes) ? spec.volumes : [])
          .filter((v) => v && v.hostPath != null)
          .map((v) => String(v.name ?? ''));
        return bad.length
          ? {
              reason: 'hostPath volumes',
              detail: `volume${bad.length > 1 ? 's' : ''} ${quoted(bad)}`,
            }
          : undefined;
      },
    },
  ],
};

/** hostPorts: no container port may bind a host port. */
export const hostPorts: PssCheck = {
  id: 'hostPorts',
  level: 'baseline',
  versions: [
    {
      minVersion: 0,
      evaluate(_meta, spec) {
        const names: string[] = [];
        const ports = new Set<string>();
        for (const c of allContainers(spec)) {
          let hit = false;
          for (const p of Array.isArray(c.ports) ? c.ports : []) {
            if (p && typeof p.hostPort === 'number' && p.hostPort !== 0) {
              hit = true;
              ports.add(String(p.hostPort));
            }
          }
          if (hit) names.push(nameOf(c));
        }
        if (!names.length) return undefined;
        return {
          reason: 'hostPort',
          detail: `${containersPhrase(names)} use${names.length === 1 ? 's' : ''} hostPort${ports.size > 1 ? 's' : ''} ${[...ports].join(', ')}`,
        };
      },
    },
  ],
};

function handlerHosts(h: Handler | null | undefined, out: Set<string>): void {
  if (!h) return;
  const a = h.httpGet?.host;
  const b = h.tcpSocket?.host;
  if (typeof a === 'string' && a !== '') out.add(a);
  if (typeof b === 'string' && b !== '') out.add(b);
}

function containerHosts(c: Container): Set<string> {
  const hosts = new Set<string>();
  handlerHosts(c.livenessProbe, hosts);
  handlerHosts(c.readinessProbe, hosts);
  handlerHosts(c.startupProbe, hosts);
  handlerHosts(c.lifecycle?.postStart, hosts);
  handlerHosts(c.lifecycle?.preStop, hosts);
  return hosts;
}

/** hostProbesAndHostLifecycle (v1.34+): probes and lifecycle handlers must not set a host. */
export const hostProbesAndHostLifecycle: PssCheck = {
  id: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  versions: [
    {
      minVersion: 34,
      evaluate(_meta, spec) {
        const names: string[] = [];
        const hosts = new Set<string>();
        for (const c of allContainers(spec)) {
          const h = containerHosts(c);
          if (h.size) {
            names.push(nameOf(c));
            for (const x of h) hosts.add(x);
          }
        }
        if (!names.length) return undefined;
        return {
          reason: 'probe or lifecycle host',
          detail: `${containersPhrase(names)} use${names.length === 1 ? 's' : ''} probe or lifecycle host${hosts.size > 1 ? 's' : ''} ${quoted(hosts)}`,
        };
      },
    },
  ],
};
