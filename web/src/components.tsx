// Small shared pieces: loading/error states, priority and severity badges, bar lists, time.
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError, type Diagnostic } from './api.ts';

/** Whether two dependency lists hold the same values (as React compares them). */
const sameDeps = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * Loads data with an async function; reloads when `deps` change. While a load runs, the last
 * answer stays shown and `loading` is true: an answer remembers the deps it was loaded for, so
 * loading is derived during render instead of set from the effect (no extra render).
 */
export function useData<T>(load: () => Promise<T>, deps: unknown[]): { data?: T; error?: Error; loading: boolean; reload: () => void } {
  const [answer, setAnswer] = useState<{ deps?: unknown[]; data?: T; error?: Error }>({});
  const [n, setN] = useState(0);
  const current = [...deps, n];
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setAnswer({ deps: current, data }),
      (error: Error) => live && setAnswer({ deps: current, error }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, current);
  const loading = !answer.deps || !sameDeps(answer.deps, current);
  return { data: answer.data, error: answer.error, loading, reload: () => setN((x) => x + 1) };
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
