// The overview: alerts by priority over time, counts, top rules and containers, the
// compliance score of the newest posture report, the newest critical image findings and the
// newest alerts (live ones added as they arrive).
import { useState } from 'react';
import { api, query } from '../api.ts';
import { TimeChart } from '../chart.tsx';
import { BarList, Card, ErrorBox, SeverityBadge, useData } from '../components.tsx';
import { useLive } from '../live.ts';
import { href } from '../router.ts';
import { PRIORITIES, type Finding, type PostureSummary, type Summary } from '../types.ts';
import { AlertHead, AlertRow } from './alert-row.tsx';

const RANGES = [
  ['', 'all time'],
  ['1h', 'last hour'],
  ['24h', 'last 24 hours'],
  ['7d', 'last 7 days'],
] as const;

/** The overview page. */
export function Overview() {
  const [since, setSince] = useState('');
  const live = useLive();
  // a live alert changes the counts: reload the summary when one arrives
  const s = useData(() => api<Summary>(`/api/v1/alerts/summary${query({ since })}`), [since, live.alerts[0]?.id]);
  const reports = useData(() => api<{ reports: { id: string; created: string; summary: PostureSummary }[] }>('/api/v1/compliance/reports'), []);
  const findings = useData(() => api<{ findings: Finding[] }>('/api/v1/findings?severity=CRITICAL&limit=8'), []);
  const sum = s.data;
  const posture = reports.data?.reports[0];
  return (
    <div id="overview" className="page">
      <div className="page-head">
        <h2>Overview</h2>
        <select id="range" value={since} onChange={(e) => setSince(e.target.value)} aria-label="time range">
          {RANGES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <ErrorBox error={s.error} />
      {sum && (
        <>
          <div id="counts" className="counts">
            <a className="count total" href={href('alerts', { since })}>
              <b>{sum.total}</b>alerts
            </a>
            {PRIORITIES.filter((p) => sum.byPriority[p]).map((p) => (
              <a key={p} className={`count p-${p}`} href={href('alerts', { since, priority: p })}>
                <b>{sum.byPriority[p]}</b>
                {p}
              </a>
            ))}
          </div>
          <Card title="Alerts by priority over time" className="wide">
            <TimeChart summary={sum} />
          </Card>
          <div className="grid">
            <Card title="Top rules" id="top-rules">
              <BarList items={sum.topRules} link={(rule) => href('alerts', { since, rule })} />
            </Card>
            <Card title="Top containers" id="top-containers">
              <BarList items={sum.topContainers} link={(container) => href('alerts', { since, container })} />
            </Card>
            <Card title="Top pods" id="top-pods">
              <BarList
                items={sum.topPods}
                link={(name) => {
                  const [namespace, pod] = name.includes('/') ? name.split('/', 2) : ['', name];
                  return href('alerts', { since, namespace, pod });
                }}
              />
            </Card>
            <Card title="Compliance score" id="compliance-score">
              {posture ? (
                <a href="#/compliance" className="score">
                  <b>{posture.summary.score === null ? 'n/a' : `${Math.round(posture.summary.score)}%`}</b>
                  <span>
                    {posture.summary.name}: {posture.summary.failedControls} failing controls
                  </span>
                </a>
              ) : (
                <p className="muted">No posture report yet: post manifests on the Compliance page.</p>
              )}
              {posture && <BarList items={posture.summary.frameworks.filter((f) => f.score !== null).map((f) => ({ name: f.id, label: f.name, count: Math.round(f.score!) }))} />}
            </Card>
            <Card title="Newest critical image findings" id="critical-findings">
              {findings.data?.findings.length ? (
                <table className="compact">
                  <tbody>
                    {findings.data.findings.map((f, i) => (
                      <tr key={i}>
                        <td>
                          <SeverityBadge s={f.severity} />
                        </td>
                        <td>
                          <a href={href('images', { scan: f.scan })}>{f.vulnId}</a>
                        </td>
                        <td>{f.pkg}</td>
                        <td className="muted">{f.ref}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">No critical findings in the kept scans.</p>
              )}
            </Card>
          </div>
          <Card title="Newest alerts" className="wide">
            <div className="scroll">
              <table id="newest" className="alerts">
                <AlertHead />
                <tbody>
                  {sum.newest.map((a) => (
                    <AlertRow key={a.id} a={a} fresh={live.alerts.some((l) => l.id === a.id)} />
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}
