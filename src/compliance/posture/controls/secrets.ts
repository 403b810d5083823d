/**
 * Controls on credentials: literal secrets in env and ConfigMaps, secrets passed as env.
 * @module
 */
import type { Control } from '../types.ts';
import { cname, containersOf, deployment, goodContainer, goodSpec } from './util.ts';

const sensitiveName =
  /(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)/i;
// values that are clearly references or placeholders, not credentials
const harmless = /^(|true|false|\d+|\$\(.*\)|\$\{.*\}|changeme|<.*>)$/i;

/** VP-031 credentials as literal env values. */
export const secretInEnv: Control = {
  id: 'VP-031',
  name: 'Credential in environment variable',
  severity: 'high',
  description:
    'A literal credential in a pod template is readable by anyone who can read the workload and ends up in logs and diffs.',
  remediation:
    'Move the value into a Secret (or an external secret store) and reference it; rotate the exposed credential.',
  mappings: { nsa: ['Network separation: secrets'], mitre: ['T1552.001'], kubescape: ['C-0012'] },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) =>
      (Array.isArray(c.env) ? c.env : [])
        .filter(
          (e) =>
            e &&
            typeof e.name === 'string' &&
            sensitiveName.test(e.name) &&
            typeof e.value === 'string' &&
            !harmless.test(e.value),
        )
        .map((e) => `${cname(c)} sets ${e.name} to a literal value`),
    ),
  examples: {
    pass: [
      deployment(
        goodSpec(
          goodContainer({
            env: [
              { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
            ],
          }),
        ),
      ),
    ],
    fail: [
      deployment(goodSpec(goodContainer({ env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] }))),
    ],
  },
};

/** VP-032 secrets passed as environment variables. */
export const secretAsEnv: Control = {
  id: 'VP-032',
  name: 'Secret passed as environment variable',
  severity: 'low',
  description:
    'Secrets in environment variables leak through crash dumps, child processes and /proc; mounted files are safer.',
  remediation:
    'Mount the Secret as a volume and read the file instead of secretKeyRef/secretRef env.',
  mappings: {
    nsa: ['Network separation: secrets'],
    cis: ['5.4.1'],
    mitre: ['T1552.007'],
    kubescape: ['C-0207'],
  },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) => {
      const isObj = (v: unknown): v is Record<string, unknown> =>
        typeof v === 'object' && v !== null;
      const refs = (Array.isArray(c.env) ? c.env : [])
        .filter((e) => isObj(e) && isObj(e.valueFrom) && e.valueFrom.secretKeyRef != null)
        .map((e) => String(e.name));
      const from = (Array.isArray(c.envFrom) ? c.envFrom : []).some(
        (e) => isObj(e) && e.secretRef != null,
      );
      return refs.length || from
        ? [
            `${cname(c)} takes secrets from the environment${refs.length ? ` (${refs.join(', ')})` : ''}`,
          ]
        : [];
    }),
  examples: {
    pass: [
      deployment(
        goodSpec(
          goodContainer({ volumeMounts: [{ name: 'db', mountPath: '/secrets', readOnly: true }] }),
          { volumes: [{ name: 'db', secret: { secretName: 'db' } }] },
        ),
      ),
    ],
    fail: [deployment(goodSpec(goodContainer({ envFrom: [{ secretRef: { name: 'db' } }] })))],
  },
};

/** VC-001 credentials in ConfigMaps. */
export const secretInConfigMap: Control = {
  id: 'VC-001',
  name: 'Credential in ConfigMap',
  severity: 'high',
  description:
    'ConfigMaps are not access-controlled like Secrets; credential-looking keys in them are readable by many principals.',
  remediation: 'Move credentials into Secrets and restrict who can read them.',
  mappings: { nsa: ['Network separation: secrets'], mitre: ['T1552.001'], kubescape: ['C-0012'] },
  target: ['ConfigMap'],
  check: (s) => {
    const data = s.obj.data;
    if (!data || typeof data !== 'object') return [];
    return Object.entries(data as Record<string, unknown>)
      .filter(
        ([k, v]) =>
          sensitiveName.test(k) && typeof v === 'string' && !harmless.test(v) && !v.includes('\n'),
      )
      .map(([k]) => `key ${JSON.stringify(k)} looks like a credential`);
  },
  examples: {
    pass: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cfg', namespace: 'shop' },
        data: { LOG_LEVEL: 'info' },
      },
    ],
    fail: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'cfg', namespace: 'shop' },
        data: { API_TOKEN: 'abc123def456' },
      },
    ],
  },
};
