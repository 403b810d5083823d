// Alerts with filters (time, priority, rule, container, pod, namespace, text) kept in the
// address, pages fetched with the API's cursor, and live alerts that match added on top.
import { useState } from 'react';
import { api, query } from '../api.ts';
import { ErrorBox, useData } from '../components.tsx';
import { useLive } from '../live.ts';
import { href } from '../router.ts';
import { PRIORITIES, type StoredAlert } from '../types.ts';
import { AlertHead, AlertRow } from './alert-row.tsx';

const FIELDS = ['since', 'until', 'priority', 'rule', 'container', 'namespace', 'pod', 'q'] as const;
type Filters = Partial<Record<(typeof FIELDS)[number], string>>;

/** Whether a live alert passes the filters the browser can check itself. */
function matches(a: StoredAlert, f: Filters): boolean {
  const fields = a.alert.output_fields ?? {};
  const str = (k: string) => (fields[k] === undefined || fields[k] === null ? '' : String(fields[k]));
  if (f.since || f.until) return false; // time windows are the server's to judge
  if (f.rule && a.alert.rule !== f.rule) return false;
  if (f.priority && PRIORITIES.indexOf(a.alert.priority) > PRIORITIES.indexOf(f.priority as never)) return false;
  if (f.pod && str('k8s.pod.name') !== f.pod && str('ka.target.name') !== f.pod) return false;
  if (f.namespace && str('k8s.ns.name') !== f.namespace && str('ka.target.namespace') !== f.namespace) return false;
  if (f.container && ![str('container.id'), str('container.name')].some((v) => v && (v === f.container || v.startsWith(f.container!)))) return false;
  if (f.q && !a.alert.output.toLowerCase().includes(f.q.toLowerCase())) return false;
  return true;
}

/** The alerts page. */
export function Alerts({ params }: { params: URLSearchParams }) {
  const filters: Filters = Object.fromEntries(FIELDS.map((k) => [k, params.get(k) ?? '']).filter(([, v]) => v));
  const key = JSON.stringify(filters);
  const [draft, setDraft] = useState<Filters>(filters);
  const [more, setMore] = useState<{ alerts: StoredAlert[]; next?: string }>({ alerts: [] });
  const [moreError, setMoreError] = useState<Error>();
  const first = useData(() => api<{ alerts: StoredAlert[]; next?: string }>(`/api/v1/alerts${query({ ...filters, limit: 100 })}`), [key]);
  const { since, until, ...rest } = filters;
  // the matching total comes from the store's counts, not from the pages loaded so far
  const total = useData(() => api<{ total: number }>(`/api/v1/alerts/summary${query({ since, until, ...rest, buckets: 1 })}`), [key]);
  const live = useLive();
  const [openedAt] = useState(() => live.alerts[0]?.id);
  // new filters in the address: the form shows them and pages loaded for the old ones go
  // (adjusted while rendering, as React advises, rather than in an effect one render late)
  const [shownKey, setShownKey] = useState(key);
  if (shownKey !== key) {
    setShownKey(key);
    setDraft(filters);
    setMore({ alerts: [] });
  }
  const shown = new Set<string>();
  const liveRows = live.alerts.slice(0, openedAt ? live.alerts.findIndex((a) => a.id === openedAt) : undefined).filter((a) => matches(a, filters));
  const rows = [...liveRows.map((a) => ({ a, fresh: true })), ...(first.data?.alerts ?? []).map((a) => ({ a, fresh: false })), ...more.alerts.map((a) => ({ a, fresh: false }))].filter(
    ({ a }) => !shown.has(a.id) && !!shown.add(a.id),
  );
  const next = more.next ?? (more.alerts.length ? undefined : first.data?.next);
  const loadMore = async () => {
    try {
      const page = await api<{ alerts: StoredAlert[]; next?: string }>(`/api/v1/alerts${query({ ...filters, limit: 100, cursor: next })}`);
      setMore((m) => ({ alerts: [...m.alerts, ...page.alerts], next: page.next }));
    } catch (e) {
      setMoreError(e as Error);
    }
  };
  const set = (k: keyof Filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setDraft((d) => ({ ...d, [k]: e.target.value }));
  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    location.hash = href('alerts', draft);
  };
  return (
    <div id="alerts" className="page">
      <div className="page-head">
        <h2>Alerts</h2>
      </div>
      <form id="filters" className="filters" onSubmit={apply}>
        <select name="priority" value={draft.priority ?? ''} onChange={set('priority')} aria-label="priority">
          <option value="">any priority</option>
          {PRIORITIES.map((p) => (
            <option key={p} value={p}>
              {p} or worse
            </option>
          ))}
        </select>
        <input name="since" placeholder="since (1h, 7d, ISO)" value={draft.since ?? ''} onChange={set('since')} />
        <input name="until" placeholder="until" value={draft.until ?? ''} onChange={set('until')} />
        <input name="rule" placeholder="rule" value={draft.rule ?? ''} onChange={set('rule')} />
        <input name="container" placeholder="container id or name" value={draft.container ?? ''} onChange={set('container')} />
        <input name="namespace" placeholder="namespace" value={draft.namespace ?? ''} onChange={set('namespace')} />
        <input name="pod" placeholder="pod" value={draft.pod ?? ''} onChange={set('pod')} />
        <input name="q" placeholder="text in output" value={draft.q ?? ''} onChange={set('q')} />
        <button type="submit">Filter</button>
        <a className="button secondary" href="#/alerts">
          Clear
        </a>
      </form>
      <ErrorBox error={first.error ?? moreError} />
      <p className="muted" id="alert-count">
        {first.loading ? 'loading…' : `${rows.length} alert${rows.length === 1 ? '' : 's'} shown${total.data ? ` of ${total.data.total + (rows.length - (first.data?.alerts.length ?? 0) - more.alerts.length)} matching` : ''}${next ? ', more below' : ''}`}
      </p>
      <div className="scroll">
        <table id="alert-list" className="alerts">
          <AlertHead />
          <tbody>
            {rows.map(({ a, fresh }) => (
              <AlertRow key={a.id} a={a} fresh={fresh} />
            ))}
          </tbody>
        </table>
      </div>
      {next && (
        <button id="more" onClick={loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}
