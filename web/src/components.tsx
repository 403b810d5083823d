// Small shared pieces: loading/error states, priority and severity badges, bar lists, time.
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, type Diagnostic } from './api.ts';

/** Loads data with an async function; reloads when `deps` change. */
export function useData<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: Error; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: Error) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, n]);
  return { ...state, reload: () => setN((x) => x + 1) };
}

/** Shows an error with the API's diagnostics (code, position). */
export function ErrorBox({ error }: { error?: Error }) {
  if (!error) return null;
  const diags: Diagnostic[] = error instanceof ApiError ? error.diagnostics : [];
  return (
    <div className="error" role="alert">
      {diags.length ? (
        <ul>
          {diags.map((d, i) => (
            <li key={i}>
              <code>{d.code}</code> {d.message}
              {d.line ? ` (line ${d.line}${d.column ? `:${d.column}` : ''})` : d.jsonPath ? ` (${d.jsonPath})` : ''}
            </li>
          ))}
        </ul>
      ) : (
        error.message
      )}
    </div>
  );
}

/** A card with a title. */
export function Card({ title, children, className = '', id }: { title: ReactNode; children: ReactNode; className?: string; id?: string }) {
  return (
    <section className={`card ${className}`} id={id}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

/** A Falco priority as a coloured label. */
export function PriorityBadge({ p }: { p: string }) {
  return <span className={`badge p-${p}`}>{p}</span>;
}

/** A vulnerability severity as a coloured label. */
export function SeverityBadge({ s }: { s: string }) {
  return <span className={`badge s-${s}`}>{s}</span>;
}

/** Horizontal bars for a top list; a click on a row can narrow a view. */
export function BarList({ items, link }: { items: { name: string; count: number; label?: string }[]; link?: (name: string) => string }) {
  if (!items.length) return <p className="muted">none</p>;
  const max = Math.max(...items.map((i) => i.count));
  return (
    <ul className="bars">
      {items.map((i) => (
        <li key={i.name}>
          <a href={link?.(i.name)} title={i.name}>
            <span className="bar" style={{ width: `${(100 * i.count) / max}%` }} />
            <span className="bar-label">{i.label ?? i.name}</span>
            <span className="bar-count">{i.count}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

/** An alert time shortened for tables (UTC, to the millisecond). */
export const shortTime = (iso: string): string => iso.replace('T', ' ').slice(0, 23);
/** Epoch ms as an ISO time. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();
