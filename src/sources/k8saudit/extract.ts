/**
 * Extractors of the ka.* fields with the k8saudit plugin's semantics: values are strings
 * (non-strings as compact JSON), list fields walk every element of the arrays on their path
 * (or only element N with an [N] argument), and anything missing is <NA>.
 * @module
 */
import type { FieldValue } from '../../rules/index.ts';
import { asString, at, child, type AuditEvent, type Json } from './event.ts';
import { containerExtractors } from './extract-containers.ts';

/** Reads a field from an event; undefined means <NA>. */
export type AuditExtractor = (ev: AuditEvent, arg?: string) => FieldValue;

/**
 * Values along a key path where every array met on the way fans out (index undefined) or is
 * narrowed to one element (index N); missing leaves are undefined entries in a fan-out and
 * make the whole result undefined otherwise. An empty key keeps the current value.
 */
export function pathValues(v: Json | undefined, index: number | undefined, keys: readonly string[], from = 0): (Json | undefined)[] | undefined {
  let cur = v;
  for (let i = from; i < keys.length; i++) {
    if (Array.isArray(cur)) {
      if (index === undefined) {
        const res: (Json | undefined)[] = [];
        for (const el of cur) {
          const r = pathValues(el, index, keys, i);
          if (r) res.push(...r);
          else res.push(undefined);
        }
        return res;
      }
      if (index >= cur.length) return undefined;
      cur = cur[index];
    }
    const k = keys[i]!;
    cur = k === '' ? cur : child(cur, k);
    if (cur === undefined) return undefined;
  }
  return [cur];
}

/** The strings of the present values. */
export function stringsSkipMissing(values: readonly (Json | undefined)[]): string[] {
  const out: string[] = [];
  for (const v of values) if (v !== undefined) out.push(asString(v));
  return out;
}

/** The optional [N] argument of a list field (undefined: every element). */
export function indexArg(arg: string | undefined): number | undefined {
  return arg !== undefined && /^[0-9]+$/.test(arg) ? Number(arg) : undefined;
}

// Plugin args that are keys still carry index 0 to the extractor (libsinsp's default), so
// ka.req.volume.hostpath[/x] only looks at the first volume, as in Falco.
const KEY_ARG_INDEX = 0;

function scalar(...keys: string[]): AuditExtractor {
  return (ev) => {
    const v = at(ev.obj, ...keys);
    return v === undefined ? undefined : asString(v);
  };
}

function list(...keys: string[]): AuditExtractor {
  return (ev) => {
    const v = at(ev.obj, ...keys);
    if (!Array.isArray(v)) return undefined;
    return v.map(asString);
  };
}

function subjectNames(kind: 'User' | 'Group' | 'ServiceAccount', namespaced = false): AuditExtractor {
  return (ev) => {
    const subjects = at(ev.obj, 'requestObject', 'subjects');
    if (subjects === undefined) return [];
    if (!Array.isArray(subjects)) return undefined;
    const out: string[] = [];
    for (const s of subjects) {
      const k = child(s, 'kind');
      const n = child(s, 'name');
      if (k === undefined || n === undefined || asString(k) !== kind) continue;
      if (namespaced) {
        const ns = child(s, 'namespace');
        if (ns === undefined) continue;
        out.push(`${asString(ns)}:${asString(n)}`);
      } else {
        out.push(asString(n));
      }
    }
    return out;
  };
}

function rulesField(key: string): AuditExtractor {
  return (ev, arg) => {
    const arr = pathValues(ev.obj, indexArg(arg), ['requestObject', 'rules', key]);
    if (!arr) return undefined;
    const out: string[] = [];
    for (const v of arr) if (Array.isArray(v)) out.push(...stringsSkipMissing(v));
    return out;
  };
}

function volumes(...keys: string[]): AuditExtractor {
  return (ev, arg) => {
    const arr = pathValues(ev.obj, indexArg(arg), ['requestObject', 'spec', 'volumes', ...keys]);
    return arr ? stringsSkipMissing(arr) : undefined;
  };
}

function uriParam(ev: AuditEvent, arg?: string): FieldValue {
  const uri = child(ev.obj, 'requestURI');
  if (uri === undefined || arg === undefined) return undefined;
  const s = asString(uri);
  const q = s.indexOf('?');
  if (q < 0) return undefined;
  const unescape = (x: string) => decodeURIComponent(x.replaceAll('+', ' '));
  let found: string | undefined;
  for (const part of s.slice(q + 1).split('#')[0]!.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    try {
      const k = unescape(eq < 0 ? part : part.slice(0, eq));
      const v = unescape(eq < 0 ? '' : part.slice(eq + 1));
      if (k === arg && found === undefined) found = v;
    } catch {
      return undefined; // a malformed escape fails the whole query, as Go's ParseQuery does
    }
  }
  return found;
}

function volumeHostPath(ev: AuditEvent, arg?: string): FieldValue {
  if (arg === undefined) return undefined;
  const arr = pathValues(ev.obj, KEY_ARG_INDEX, ['requestObject', 'spec', 'volumes', 'hostPath', 'path']);
  if (!arr) return undefined;
  const star = arg.endsWith('*');
  const prefix = arg.slice(0, -1);
  for (const p of stringsSkipMissing(arr)) if ((star && p.startsWith(prefix)) || p === arg) return 'true';
  return 'false';
}

function volumeTypes(ev: AuditEvent, arg?: string): FieldValue {
  const arr = pathValues(ev.obj, indexArg(arg), ['requestObject', 'spec', 'volumes', '']);
  if (!arr) return undefined;
  const out: string[] = [];
  for (const v of arr) {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) if (k !== 'name') out.push(k);
  }
  return out;
}

function targetPodName(ev: AuditEvent): FieldValue {
  const ref = child(ev.obj, 'objectRef');
  if (child(ref, 'resource') !== 'pods') return undefined;
  const sub = child(ref, 'subresource');
  if (sub !== undefined && sub !== '') return undefined;
  return scalar('responseObject', 'metadata', 'name')(ev);
}

/** Every ka.* extractor, by field name. */
export const KA_EXTRACTORS: Record<string, AuditExtractor> = {
  'ka.auditid': scalar('auditID'),
  'ka.stage': scalar('stage'),
  'ka.auth.decision': scalar('annotations', 'authorization.k8s.io/decision'),
  'ka.auth.reason': scalar('annotations', 'authorization.k8s.io/reason'),
  'ka.auth.openshift.decision': scalar('annotations', 'authentication.openshift.io/decision'),
  'ka.auth.openshift.username': scalar('annotations', 'authentication.openshift.io/username'),
  'ka.validations.admission.policy.failure': scalar('annotations', 'validation.policy.admission.k8s.io/validation_failure'),
  'ka.security.pod.violations': scalar('annotations', 'pod-security.kubernetes.io/audit-violations'),
  'ka.user.name': scalar('user', 'username'),
  'ka.user.groups': list('user', 'groups'),
  'ka.impuser.name': scalar('impersonatedUser', 'username'),
  'ka.verb': scalar('verb'),
  'ka.uri': scalar('requestURI'),
  'ka.uri.param': uriParam,
  'ka.target.name': scalar('objectRef', 'name'),
  'ka.target.namespace': scalar('objectRef', 'namespace'),
  'ka.target.resource': scalar('objectRef', 'resource'),
  'ka.target.subresource': scalar('objectRef', 'subresource'),
  'ka.target.pod.name': targetPodName,
  'ka.req.binding.subjects': list('requestObject', 'subjects'),
  'ka.req.binding.subjects.user_names': subjectNames('User'),
  'ka.req.binding.subjects.serviceaccount_names': subjectNames('ServiceAccount'),
  'ka.req.binding.subjects.serviceaccount_ns_names': subjectNames('ServiceAccount', true),
  'ka.req.binding.subjects.group_names': subjectNames('Group'),
  'ka.req.binding.role': scalar('requestObject', 'roleRef', 'name'),
  // documented as N/A, but the plugin (like the original implementation) answers true
  'ka.req.binding.subject.has_name': () => 'true',
  'ka.req.configmap.name': scalar('objectRef', 'name'),
  'ka.req.configmap.obj': scalar('requestObject', 'data'),
  'ka.req.pod.host_ipc': scalar('requestObject', 'spec', 'hostIPC'),
  'ka.req.pod.host_network': scalar('requestObject', 'spec', 'hostNetwork'),
  'ka.req.container.host_network': scalar('requestObject', 'spec', 'hostNetwork'),
  'ka.req.pod.host_pid': scalar('requestObject', 'spec', 'hostPID'),
  'ka.req.pod.run_as_user': scalar('requestObject', 'spec', 'securityContext', 'runAsUser'),
  'ka.req.pod.run_as_group': scalar('requestObject', 'spec', 'securityContext', 'runAsGroup'),
  'ka.req.pod.fs_group': scalar('requestObject', 'spec', 'securityContext', 'fsGroup'),
  'ka.req.pod.supplemental_groups': list('requestObject', 'spec', 'securityContext', 'supplementalGroups'),
  'ka.req.role.rules': list('requestObject', 'rules'),
  'ka.req.role.rules.apiGroups': rulesField('apiGroups'),
  'ka.req.role.rules.nonResourceURLs': rulesField('nonResourceURLs'),
  'ka.req.role.rules.verbs': rulesField('verbs'),
  'ka.req.role.rules.resources': rulesField('resources'),
  'ka.req.service.type': scalar('requestObject', 'spec', 'type'),
  'ka.req.service.ports': (ev, arg) => {
    const arr = pathValues(ev.obj, indexArg(arg), ['requestObject', 'spec', 'ports']);
    return arr ? stringsSkipMissing(arr) : undefined;
  },
  'ka.req.pod.volumes.hostpath': volumes('hostPath', 'path'),
  'ka.req.volume.hostpath': volumeHostPath,
  'ka.req.pod.volumes.flexvolume_driver': volumes('flexVolume', 'driver'),
  'ka.req.pod.volumes.volume_type': volumeTypes,
  'ka.resp.name': scalar('responseObject', 'metadata', 'name'),
  'ka.response.code': scalar('responseStatus', 'code'),
  'ka.response.reason': scalar('responseStatus', 'reason'),
  'ka.useragent': scalar('userAgent'),
  // the plugin looks under requestObject.rules here (never present); the event's own
  // sourceIPs is what the field describes
  'ka.sourceips': (ev, arg) => {
    const ips = child(ev.obj, 'sourceIPs');
    if (!Array.isArray(ips)) return undefined;
    const i = indexArg(arg);
    if (i === undefined) return ips.map(asString);
    return i < ips.length ? [asString(ips[i]!)] : undefined;
  },
  'ka.cluster.name': scalar('annotations', 'cluster_name'),
  ...containerExtractors(),
};
