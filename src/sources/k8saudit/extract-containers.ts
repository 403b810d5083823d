/**
 * The per-container list fields (ka.req.pod.{containers,initContainers,ephemeralContainers}.*)
 * and the older first-container fields, with the k8saudit plugin's semantics.
 * @module
 */
import type { FieldValue } from '../../rules/index.ts';
import { asString, at, child, type AuditEvent, type Json } from './event.ts';
import type { AuditExtractor } from './extract.ts';
import { indexArg, pathValues, stringsSkipMissing } from './extract.ts';

type Values = (Json | undefined)[];

function containerValues(ev: AuditEvent, list: string, index: number | undefined, ...keys: string[]): Values | undefined {
  return pathValues(ev.obj, index, ['requestObject', 'spec', list, ...keys]);
}

/** Every value must be present (a container without the key makes the field <NA>). */
function stringsStrict(values: Values): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    if (v === undefined) return undefined;
    out.push(asString(v));
  }
  return out;
}

/** command/args arrays joined by spaces, one entry per container that has them. */
function joinedArrays(values: Values): string[] | undefined {
  const out: string[] = [];
  for (const v of values) {
    if (v === undefined) continue;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return undefined;
    out.push(v.join(' '));
  }
  return out.length ? out : undefined;
}

/** Image reference without tag or digest (the plugin cuts at the first ':' then '@'). */
export function imageRepository(image: string): string {
  return image.split(':')[0]!.split('@')[0]!;
}

function images(ev: AuditEvent, list: string, index: number | undefined): string[] | undefined {
  const v = containerValues(ev, list, index, 'image');
  return v && stringsStrict(v);
}

function hostPorts(ev: AuditEvent, list: string, index: number | undefined): FieldValue {
  const per = containerValues(ev, list, index, 'ports');
  if (!per) return undefined;
  const out: string[] = [];
  for (const ports of per) {
    if (ports === undefined) continue;
    if (!Array.isArray(ports)) return undefined;
    for (const p of ports) {
      // with hostNetwork the containerPort is the host port
      const v = child(p, 'hostPort') ?? child(p, 'containerPort');
      if (v !== undefined) out.push(asString(v));
    }
  }
  return out;
}

/**
 * The id a container starts with: its securityContext value, else the pod's, else 0 (the
 * field's documented meaning).
 */
function effective(ev: AuditEvent, list: string, index: number | undefined, key: string): FieldValue {
  const podV = at(ev.obj, 'requestObject', 'spec', 'securityContext', key);
  const dflt = podV === undefined ? '0' : asString(podV);
  const per = containerValues(ev, list, index, 'securityContext', key);
  if (!per) return undefined;
  return per.map((v) => (v === undefined ? dflt : asString(v)));
}

function secCtx(list: string, ...keys: string[]): AuditExtractor {
  return (ev, arg) => {
    const v = containerValues(ev, list, indexArg(arg), 'securityContext', ...keys);
    return v ? stringsSkipMissing(v) : undefined;
  };
}

/** The list fields of one container list. */
function forList(list: string, withHostPort: boolean): Record<string, AuditExtractor> {
  const p = `ka.req.pod.${list}.`;
  const m: Record<string, AuditExtractor> = {
    [`${p}name`]: (ev, arg) => {
      const v = containerValues(ev, list, indexArg(arg), 'name');
      return v && stringsStrict(v);
    },
    [`${p}image`]: (ev, arg) => images(ev, list, indexArg(arg)),
    [`${p}image.repository`]: (ev, arg) => images(ev, list, indexArg(arg))?.map(imageRepository),
    [`${p}command`]: (ev, arg) => {
      const v = containerValues(ev, list, indexArg(arg), 'command');
      return v && joinedArrays(v);
    },
    [`${p}args`]: (ev, arg) => {
      const v = containerValues(ev, list, indexArg(arg), 'args');
      return v && joinedArrays(v);
    },
    [`${p}privileged`]: secCtx(list, 'privileged'),
    [`${p}allow_privilege_escalation`]: secCtx(list, 'allowPrivilegeEscalation'),
    [`${p}read_only_fs`]: secCtx(list, 'readOnlyRootFilesystem'),
    [`${p}run_as_user`]: secCtx(list, 'runAsUser'),
    [`${p}eff_run_as_user`]: (ev, arg) => effective(ev, list, indexArg(arg), 'runAsUser'),
    [`${p}run_as_group`]: secCtx(list, 'runAsGroup'),
    [`${p}eff_run_as_group`]: (ev, arg) => effective(ev, list, indexArg(arg), 'runAsGroup'),
    [`${p}proc_mount`]: secCtx(list, 'procMount'),
    [`${p}add_capabilities`]: secCtx(list, 'capabilities', 'add'),
  };
  if (withHostPort) m[`${p}host_port`] = (ev, arg) => hostPorts(ev, list, indexArg(arg));
  return m;
}

/** Extractors of every container-list field plus the older first-container fields. */
export function containerExtractors(): Record<string, AuditExtractor> {
  return {
    ...forList('containers', true),
    ...forList('initContainers', true),
    ...forList('ephemeralContainers', false),
    'ka.req.container.image': (ev) => images(ev, 'containers', 0)?.[0],
    'ka.req.container.image.repository': (ev) => {
      const i = images(ev, 'containers', 0)?.[0];
      return i === undefined ? undefined : imageRepository(i);
    },
    'ka.req.container.privileged': (ev) => {
      const v = containerValues(ev, 'containers', undefined, 'securityContext', 'privileged');
      if (!v) return undefined;
      return v.some((x) => x === true) ? 'true' : 'false';
    },
  };
}
