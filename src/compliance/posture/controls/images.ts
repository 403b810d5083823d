/**
 * Workload controls on images: tags, pull policy, trusted registries.
 * @module
 */
import type { Control } from '../types.ts';
import { cname, containersOf, deployment, goodContainer, goodSpec } from './util.ts';

/** Splits an image reference into registry (or '' for Docker Hub shorthand), tag and digest. */
export function parseImage(ref: string): { registry: string; tag: string; digest: string } {
  let rest = ref;
  let digest = '';
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.indexOf('/');
  const first = slash >= 0 ? rest.slice(0, slash) : '';
  const registry = first.includes('.') || first.includes(':') || first === 'localhost' ? first : '';
  const lastSeg = rest.slice(rest.lastIndexOf('/') + 1);
  const colon = lastSeg.indexOf(':');
  return { registry, tag: colon >= 0 ? lastSeg.slice(colon + 1) : '', digest };
}

const imageProvenance = 'Building secure container images';

/** VP-028 image without a pinned tag. */
export const imageTag: Control = {
  id: 'VP-028',
  name: 'Image tag missing or latest',
  severity: 'medium',
  description:
    'Images without a tag or tagged latest change under the same name, so what runs cannot be audited or reproduced.',
  remediation: 'Reference images by an immutable version tag or, better, by digest (@sha256:...).',
  mappings: { nsa: [imageProvenance], mitre: ['T1525', 'T1204.003'], kubescape: ['C-0075'] },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) => {
      const img = typeof c.image === 'string' ? c.image : '';
      const p = parseImage(img);
      return !p.digest && (p.tag === '' || p.tag === 'latest')
        ? [`${cname(c)} uses image ${JSON.stringify(img)} without a fixed tag`]
        : [];
    }),
  examples: {
    pass: [deployment(goodSpec())],
    fail: [deployment(goodSpec(goodContainer({ image: 'nginx:latest' })))],
  },
};

/** VP-029 mutable tag not always pulled. */
export const pullPolicy: Control = {
  id: 'VP-029',
  name: 'Mutable image not pulled always',
  severity: 'low',
  description:
    'A latest or untagged image with a pull policy other than Always may run a stale or locally tampered copy cached on the node.',
  remediation: 'Pin the image tag, or set imagePullPolicy: Always for mutable tags.',
  mappings: { nsa: [imageProvenance], mitre: ['T1525'], kubescape: ['C-0075'] },
  target: 'workload',
  check: (s) =>
    containersOf(s).flatMap((c) => {
      const p = parseImage(typeof c.image === 'string' ? c.image : '');
      const mutable = !p.digest && (p.tag === '' || p.tag === 'latest');
      // an untagged/latest image defaults to Always, so only an explicit other policy is a finding
      return mutable && c.imagePullPolicy != null && c.imagePullPolicy !== 'Always'
        ? [`${cname(c)} uses a mutable tag with imagePullPolicy ${c.imagePullPolicy}`]
        : [];
    }),
  examples: {
    pass: [
      deployment(goodSpec(goodContainer({ image: 'nginx:latest', imagePullPolicy: 'Always' }))),
    ],
    fail: [
      deployment(
        goodSpec(goodContainer({ image: 'nginx:latest', imagePullPolicy: 'IfNotPresent' })),
      ),
    ],
  },
};

/** VP-030 image from an untrusted registry. */
export const trustedRegistry: Control = {
  id: 'VP-030',
  name: 'Image from untrusted registry',
  severity: 'medium',
  description:
    "Images from registries outside the allowed list bypass the organisation's scanning and signing pipeline. Applies only when allowed registries are configured.",
  remediation:
    'Mirror the image into an allowed registry, or add the registry to the allowed list after review.',
  mappings: { nsa: [imageProvenance], cis: ['5.5.1'], mitre: ['T1204.003'], kubescape: ['C-0078'] },
  target: 'workload',
  check: (s, ctx) => {
    const allowed = ctx.config.allowedRegistries;
    if (!allowed.length) return [];
    return containersOf(s).flatMap((c) => {
      const img = typeof c.image === 'string' ? c.image : '';
      const full = parseImage(img).registry ? img : `docker.io/${img}`;
      return allowed.some((a) => full.startsWith(a))
        ? []
        : [`${cname(c)} pulls ${JSON.stringify(img)} from an untrusted registry`];
    });
  },
  examples: {
    pass: [deployment(goodSpec())],
    fail: [deployment(goodSpec(goodContainer({ image: 'evil.example.net/miner:1.0' })))],
  },
};
