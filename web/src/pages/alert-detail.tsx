// One alert: its output line, every field, and the activity audit of the same container (or
// host process) within a window around its time.
import { useState } from 'react';
import { api } from '../api.ts';
import { showValue } from '../values.ts';
import { Card, ErrorBox, PriorityBadge, shortTime, useData } from '../components.tsx';
import { href } from '../router.ts';
import type { Activity, StoredAlert } from '../types.ts';

const WINDOWS = [60, 300, 1800, 3600];

/** What an activity did, in one line. */
function describe(a: Activity): string {
  const d = a.detail ?? {};
  if (a.kind === 'exec') return a.cmdline || a.exe || a.comm || '';
  if (a.kind === 'net') return `${d.direction ?? ''} ${d.proto ?? ''} ${d.src ?? ''} → ${d.dst ?? ''}`.trim();
  return `${d.op ?? ''} ${d.path ?? ''}${d.target ? ` → ${d.target}` : ''}`.trim();
}

/** The alert detail page. */
export function AlertDetail({ id }: { id: string }) {
  const [win, setWin] = useState(300);
  const alert = useData(() => api<StoredAlert>(`/api/v1/alerts/${encodeURIComponent(id)}`), [id]);
  const audit = useData(
    () => api<{ container?: string; pid?: unknown; total: number; activity: Activity[] }>(`/api/v1/alerts/${encodeURIComponent(id)}/activity?window=${win}`),
    [id, win],
  );
  const a = alert.data?.alert;
  const fields = a ? { time: a.time, priority: a.priority, source: a.source, hostname: a.hostname, tags: a.tags.join(', '), ...a.output_fields } : {};
  const where = audit.data?.container ? `container ${audit.data.container}` : audit.data?.pid !== undefined ? `process ${String(audit.data.pid)} on the host` : 'the host';
  return (
    <div id="detail" className="page">
      <p>
        <a href="#/alerts">← alerts</a>
      </p>
      <ErrorBox error={alert.error} />
      {a && (
        <>
          <h2 id="detail-rule" className="detail-title">
            <PriorityBadge p={a.priority} /> {a.rule}
          </h2>
          <p id="detail-output" className="output block">
            {a.output}
          </p>
          <Card title="Fields">
            <div className="scroll">
              <table id="detail-fields" className="kv">
                <tbody>
                  {Object.entries(fields).map(([k, v]) => (
                    <tr key={k}>
                      <th>{k}</th>
                      <td className="output">{showValue(v)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p>
              <a href={href('alerts', { rule: a.rule })}>All alerts of this rule</a>
            </p>
          </Card>
          <Card
            title={
              <span id="detail-audit-title">
                Activity of {where} within{' '}
                <select value={win} onChange={(e) => setWin(Number(e.target.value))} aria-label="window">
                  {WINDOWS.map((w) => (
                    <option key={w} value={w}>
                      ±{w >= 3600 ? `${w / 3600} h` : `${w / 60} min`}
                    </option>
                  ))}
                </select>
              </span>
            }
          >
            <ErrorBox error={audit.error} />
            {audit.data && !audit.data.activity.length && <p className="muted">No recorded activity in this window.</p>}
            {!!audit.data?.activity.length && (
              <div className="scroll">
                <table id="detail-audit" className="compact">
                  <thead>
                    <tr>
                      <th>time (UTC)</th>
                      <th>kind</th>
                      <th>process</th>
                      <th>what</th>
                    </tr>
                  </thead>
                  <tbody>
                    {audit.data.activity.map((x, i) => (
                      <tr key={x.id ?? i} className={Math.abs(x.ts - alert.data!.ts) < 1000 ? 'near' : ''}>
                        <td className="nowrap">{shortTime(new Date(x.ts).toISOString())}</td>
                        <td>{x.kind}</td>
                        <td>
                          {x.comm} ({x.pid})
                        </td>
                        <td className="output">{describe(x)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {audit.data.total > audit.data.activity.length && <p className="muted">{audit.data.total - audit.data.activity.length} more not shown</p>}
              </div>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
