// One alert as a table row; a click opens its detail page.
import { PriorityBadge, shortTime } from '../components.tsx';
import type { StoredAlert } from '../types.ts';

/** Where an alert happened: container name or id, else pod, else host. */
export function alertPlace(a: StoredAlert): string {
  const f = a.alert.output_fields ?? {};
  const pick = (...keys: string[]) => keys.map((k) => f[k]).find((v) => v !== undefined && v !== null && v !== '');
  const c = pick('container.name', 'container.id');
  const pod = pick('k8s.pod.name', 'ka.target.name');
  const ns = pick('k8s.ns.name', 'ka.target.namespace');
  return [ns && pod ? `${ns}/${pod}` : pod, c && c !== 'host' ? c : undefined].filter(Boolean).join(' · ') || String(f['container.id'] ?? a.alert.hostname ?? '');
}

/** A table row for an alert. */
export function AlertRow({ a, fresh }: { a: StoredAlert; fresh?: boolean }) {
  const open = () => (location.hash = `#/alert/${encodeURIComponent(a.id)}`);
  return (
    <tr className={`clickable${fresh ? ' new' : ''}`} data-id={a.id} onClick={open}>
      <td className="nowrap">{shortTime(a.alert.time)}</td>
      <td>
        <PriorityBadge p={a.alert.priority} />
      </td>
      <td className="rule">
        <a href={`#/alert/${encodeURIComponent(a.id)}`}>{a.alert.rule}</a>
      </td>
      <td className="place">{alertPlace(a)}</td>
      <td className="output">{a.alert.output}</td>
    </tr>
  );
}

/** The head of an alert table. */
export function AlertHead() {
  return (
    <thead>
      <tr>
        <th>time (UTC)</th>
        <th>priority</th>
        <th>rule</th>
        <th className="place">where</th>
        <th className="output">output</th>
      </tr>
    </thead>
  );
}
